import { toHex } from '../../encoding/hex.js';
import type { Transaction } from '../../primitives/transaction.js';
import { addressFromScript, type AddressPrefixes } from '../../script/address.js';
import { toAsm } from '../../script/asm.js';
import { classifyScript } from '../../script/templates.js';
import { satsToBtc } from './amount.js';

/**
 * Transaction JSON in the shape of bitcoind's decoderawtransaction / getrawtransaction verbose, so
 * tools written against Bitcoin Core read Tally's output unchanged.
 */
export interface ScriptPubKeyJson {
  asm: string;
  hex: string;
  address?: string;
  type: string;
}

export function scriptPubKeyJson(script: Uint8Array, prefixes: AddressPrefixes): ScriptPubKeyJson {
  const json: ScriptPubKeyJson = {
    asm: toAsm(script),
    hex: toHex(script),
    type: classifyScript(script).type,
  };
  const address = addressFromScript(script, prefixes);
  if (address !== null) json.address = address;
  return json;
}

export function transactionJson(tx: Transaction, prefixes: AddressPrefixes): Record<string, unknown> {
  const coinbase = tx.isCoinbase();
  return {
    txid: tx.txidHex(),
    hash: tx.wtxidHex(),
    version: tx.version,
    size: tx.totalSize(),
    vsize: tx.vsize(),
    weight: tx.weight(),
    locktime: tx.locktime,
    vin: tx.inputs.map((input) => {
      const witness = input.witness.length > 0 ? { txinwitness: input.witness.map(toHex) } : {};
      if (coinbase) return { coinbase: toHex(input.scriptSig), ...witness, sequence: input.sequence };
      return {
        txid: input.prevout.txid(),
        vout: input.prevout.index,
        scriptSig: { asm: toAsm(input.scriptSig, true), hex: toHex(input.scriptSig) },
        ...witness,
        sequence: input.sequence,
      };
    }),
    vout: tx.outputs.map((output, n) => ({
      value: satsToBtc(output.value),
      n,
      scriptPubKey: scriptPubKeyJson(output.scriptPubKey, prefixes),
    })),
  };
}
