import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { Transaction } from '../../primitives/transaction.js';

/** A transaction, in BIP144 witness serialization unless the peer cannot take witness data. */
export interface TxMessage {
  readonly command: 'tx';
  readonly tx: Transaction;
}

export function encodeTx(w: BufferWriter, m: TxMessage, witness: boolean): void {
  m.tx.write(w, witness);
}

export function decodeTx(r: BufferReader): TxMessage {
  return { command: 'tx', tx: Transaction.read(r) };
}
