import { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { OutPoint } from '../../primitives/outpoint.js';
import { Transaction } from '../../primitives/transaction.js';
import { TxIn } from '../../primitives/txin.js';
import { TxOut } from '../../primitives/txout.js';
import { PsbtError } from './errors.js';

/**
 * The transaction encodings PSBT values use. The global unsigned transaction is always in the
 * pre-segwit serialization (BIP174), which cannot be read with the BIP144 reader: a transaction
 * with zero inputs would have its output count taken for the segwit flag (Core reads it with
 * TX_NO_WITNESS for that reason).
 */

/** An int64 amount: exact bits kept in rawValue when they do not fit a safe JS number. */
export function readTxOut(r: BufferReader): TxOut {
  const start = r.offset;
  const value = r.i64num();
  if (Number.isSafeInteger(value) && value !== Number.MAX_SAFE_INTEGER && value !== Number.MIN_SAFE_INTEGER) {
    return new TxOut(value, r.varBytes().slice());
  }
  r.offset = start;
  const raw = r.i64();
  return new TxOut(Number(raw), r.varBytes().slice(), raw);
}

export function writeTxOut(w: BufferWriter, out: TxOut): void {
  if (out.rawValue !== undefined) w.i64(out.rawValue);
  else w.i64num(out.value);
  w.varBytes(out.scriptPubKey);
}

/** Reads exactly one transaction in the legacy (no witness) serialization from `bytes`. */
export function decodeLegacyTransaction(bytes: Uint8Array): Transaction {
  const r = new BufferReader(bytes);
  const version = r.u32();
  const inputCount = r.compactSize();
  // 41 bytes per input at least: refuse counts the value cannot hold before allocating.
  if (inputCount * 41 > r.remaining) throw new PsbtError('truncated', 'end of data (input count)');
  const inputs: TxIn[] = [];
  for (let i = 0; i < inputCount; i++) {
    const prevout = new OutPoint(r.bytesCopy(32), r.u32());
    const scriptSig = r.varBytes().slice();
    inputs.push(new TxIn(prevout, scriptSig, r.u32()));
  }
  const outputCount = r.compactSize();
  if (outputCount * 9 > r.remaining) throw new PsbtError('truncated', 'end of data (output count)');
  const outputs: TxOut[] = [];
  for (let i = 0; i < outputCount; i++) outputs.push(readTxOut(r));
  const locktime = r.u32();
  if (r.remaining !== 0) throw new PsbtError('bad-value', 'Size of value was not the stated size');
  return new Transaction(version, inputs, outputs, locktime);
}

/**
 * A previous transaction (PSBT_IN_NON_WITNESS_UTXO) in network serialization, witness allowed, as
 * Core reads it. Decoded from a copy so the PSBT buffer can be released.
 */
export function decodeNetworkTransaction(bytes: Uint8Array): Transaction {
  return Transaction.decode(bytes.slice());
}

/** BIP174: the unsigned transaction's scriptSigs and witnesses must be empty. */
export function requireEmptyScripts(tx: Transaction): void {
  for (const input of tx.inputs) {
    if (input.scriptSig.length !== 0 || input.witness.length !== 0) {
      throw new PsbtError(
        'bad-unsigned-tx',
        'Unsigned tx does not have empty scriptSigs and scriptWitnesses.',
      );
    }
  }
}

/** A copy of `tx` with empty scriptSigs and witnesses (the unsigned transaction of a PSBT). */
export function stripTransaction(tx: Transaction): Transaction {
  return new Transaction(
    tx.version,
    tx.inputs.map((input) => new TxIn(input.prevout, new Uint8Array(0), input.sequence)),
    tx.outputs.map((output) => new TxOut(output.value, output.scriptPubKey, output.rawValue)),
    tx.locktime,
  );
}
