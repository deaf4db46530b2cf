import { toHex } from '../../encoding/hex.js';
import type { Transaction } from '../../primitives/transaction.js';
import { addressFromScript, type AddressPrefixes } from '../../script/address.js';
import { toAsm } from '../../script/asm.js';
import { classifyScript } from '../../script/templates.js';
import { Amount } from './amount.js';
import { inferDescriptor } from './descriptor.js';

/**
 * Transaction JSON in the shape of bitcoind's decoderawtransaction / getrawtransaction verbose
 * (core_write.cpp TxToUniv), so tools written against Bitcoin Core read Tally's output unchanged.
 */
export interface ScriptPubKeyJson {
  asm: string;
  desc: string;
  hex?: string;
  address?: string;
  type: string;
}

/**
 * Core's ScriptToUniv with include_address: asm, desc, [hex], [address], type. Bare P2PK has no
 * address (Core stopped showing the P2PKH address of the key: it is a different output).
 */
export function scriptPubKeyJson(
  script: Uint8Array,
  prefixes: AddressPrefixes,
  { includeHex = true, witnessScript }: { includeHex?: boolean; witnessScript?: Uint8Array } = {},
): ScriptPubKeyJson {
  const type = classifyScript(script).type;
  const address = type === 'pubkey' ? null : addressFromScript(script, prefixes);
  return {
    asm: toAsm(script),
    desc: inferDescriptor(script, prefixes, witnessScript),
    ...(includeHex && { hex: toHex(script) }),
    ...(address !== null && { address }),
    type,
  };
}

/** A spent output as getblock verbosity 3 / getrawtransaction verbosity 2 show it under `prevout`. */
export interface PrevoutInfo {
  readonly value: number;
  readonly scriptPubKey: Uint8Array;
  readonly height: number;
  readonly coinbase: boolean;
}

export interface TransactionJsonOptions {
  /** The coins the inputs spend, in input order: adds `fee` (and `prevout` with showPrevouts). */
  readonly prevouts?: readonly PrevoutInfo[];
  readonly showPrevouts?: boolean;
  /** Adds `blockhash` (display hex). */
  readonly blockHash?: string;
  /** Adds `hex`, the serialized transaction. */
  readonly includeHex?: boolean;
  /** Adds `hex` as given: the caller holds the transaction's bytes already (getblock's stored block). */
  readonly hex?: string;
}

export function transactionJson(
  tx: Transaction,
  prefixes: AddressPrefixes,
  options: TransactionJsonOptions = {},
): Record<string, unknown> {
  const coinbase = tx.isCoinbase();
  const { prevouts, showPrevouts = false } = options;
  const haveUndo = prevouts !== undefined && !coinbase;
  let totalIn = 0;
  const json: Record<string, unknown> = {
    txid: tx.txidHex(),
    hash: tx.wtxidHex(),
    version: tx.version,
    size: tx.totalSize(),
    vsize: tx.vsize(),
    weight: tx.weight(),
    locktime: tx.locktime,
    vin: tx.inputs.map((input, i) => {
      const witness = input.witness.length > 0 ? { txinwitness: input.witness.map(toHex) } : {};
      if (coinbase) return { coinbase: toHex(input.scriptSig), ...witness, sequence: input.sequence };
      const entry: Record<string, unknown> = {
        txid: input.prevout.txid(),
        vout: input.prevout.index,
        scriptSig: { asm: toAsm(input.scriptSig, true), hex: toHex(input.scriptSig) },
        ...witness,
      };
      const spent = haveUndo ? prevouts[i] : undefined;
      if (spent !== undefined) {
        totalIn += spent.value;
        if (showPrevouts) {
          entry.prevout = {
            generated: spent.coinbase,
            height: spent.height,
            value: new Amount(spent.value),
            scriptPubKey: scriptPubKeyJson(spent.scriptPubKey, prefixes),
          };
        }
      }
      entry.sequence = input.sequence;
      return entry;
    }),
    vout: tx.outputs.map((output, n) => ({
      value: new Amount(output.value),
      n,
      scriptPubKey: scriptPubKeyJson(output.scriptPubKey, prefixes),
    })),
  };
  if (haveUndo) {
    let totalOut = 0;
    for (const output of tx.outputs) totalOut += output.value;
    json.fee = new Amount(totalIn - totalOut);
  }
  if (options.blockHash !== undefined) json.blockhash = options.blockHash;
  if (options.hex !== undefined) json.hex = options.hex;
  else if (options.includeHex) json.hex = toHex(tx.encode(true));
  return json;
}
