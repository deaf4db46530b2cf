import { toHex } from '../../encoding/hex.js';
import type { Transaction } from '../../primitives/transaction.js';
import { addressFromScript, type AddressPrefixes } from '../../script/address.js';
import { toAsm } from '../../script/asm.js';
import { classifyScript } from '../../script/templates.js';

/** An output script as the explorer shows it: hex, asm, Core's type name, and its address if any. */
export interface ScriptJson {
  hex: string;
  asm: string;
  type: string;
  address: string | null;
}

export function scriptJson(script: Uint8Array, prefixes: AddressPrefixes): ScriptJson {
  const type = classifyScript(script).type;
  return {
    hex: toHex(script),
    asm: toAsm(script),
    type,
    // Bare P2PK has no address (Core's RPC shows none either).
    address: type === 'pubkey' ? null : addressFromScript(script, prefixes),
  };
}

/** A spent output (from undo data, the UTXO set or the mempool). */
export interface Prevout {
  readonly value: number;
  readonly scriptPubKey: Uint8Array;
}

export type TxStatus =
  | { confirmed: true; blockHash: string; height: number; index: number; time: number; confirmations: number }
  | { confirmed: false; confirmations: 0 };

export interface TxJsonInput {
  /** One per input (coinbase: empty); undefined where the spent output is unknown. */
  readonly prevouts: readonly (Prevout | undefined)[];
  readonly status: TxStatus;
  /** Who spends output n: a transaction, null when unspent, undefined when not known. */
  readonly spentBy: (n: number) => { txid: string; vin: number } | null | undefined;
}

/** Fee rate in sat/vB, to three decimals (a 1 sat/vB floor shows as 1, not 0.99999). */
export function feeRate(fee: number, vsize: number): number {
  return Math.round((fee / vsize) * 1000) / 1000;
}

/** The contract's transaction object (docs: GET /api/tx/<txid>). */
export function txJson(
  tx: Transaction,
  prefixes: AddressPrefixes,
  input: TxJsonInput,
): Record<string, unknown> {
  const coinbase = tx.isCoinbase();
  let fee: number | null = null;
  if (
    !coinbase &&
    input.prevouts.length === tx.inputs.length &&
    input.prevouts.every((p) => p !== undefined)
  ) {
    fee =
      input.prevouts.reduce((sum, p) => sum + p!.value, 0) - tx.outputs.reduce((sum, o) => sum + o.value, 0);
  }
  const vsize = tx.vsize();
  return {
    txid: tx.txidHex(),
    wtxid: tx.wtxidHex(),
    version: tx.version,
    locktime: tx.locktime,
    size: tx.totalSize(),
    vsize,
    weight: tx.weight(),
    fee,
    feeRate: fee === null ? null : feeRate(fee, vsize),
    coinbase,
    vin: tx.inputs.map((txin, i) => {
      const prevout = coinbase ? undefined : input.prevouts[i];
      return {
        txid: txin.prevout.txid(),
        vout: txin.prevout.index,
        ...(coinbase && { coinbase: toHex(txin.scriptSig) }),
        sequence: txin.sequence,
        scriptSig: { hex: toHex(txin.scriptSig), asm: coinbase ? '' : toAsm(txin.scriptSig, true) },
        witness: txin.witness.map(toHex),
        prevout:
          prevout === undefined
            ? null
            : { value: prevout.value, scriptPubKey: scriptJson(prevout.scriptPubKey, prefixes) },
      };
    }),
    vout: tx.outputs.map((output, n) => {
      const spentBy = input.spentBy(n);
      return {
        n,
        value: output.value,
        scriptPubKey: scriptJson(output.scriptPubKey, prefixes),
        ...(spentBy !== undefined && { spentBy }),
      };
    }),
    status: input.status,
  };
}
