import { sha256 } from '../crypto/hash.js';
import { equalBytes } from '../encoding/bytes.js';
import { DecodeError } from '../encoding/errors.js';
import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import { Transaction } from '../primitives/transaction.js';

/**
 * The mempool file (Core's mempool.dat role, our own format). Layout, all integers little-endian:
 *
 *   magic     8 bytes  "TLYMPOOL"
 *   version   u32      1
 *   count     compact size
 *   count × { tx: compact-size-prefixed serialization with witness; time: i64 Unix seconds;
 *             feeDelta: i64 satoshis }
 *   deltas    compact size, then × { txid: 32 bytes internal order; delta: i64 }  (prioritisations
 *             of transactions not in the pool)
 *   checksum  32 bytes: SHA256 of everything before it
 *
 * Transactions are written parents first, so loading them in order never meets a missing parent.
 * The checksum catches a torn or corrupted file, which is then ignored rather than half-loaded.
 */
export const MEMPOOL_FILE_MAGIC = Uint8Array.from('TLYMPOOL', (c) => c.charCodeAt(0));
export const MEMPOOL_FILE_VERSION = 1;

export interface PersistedTx {
  readonly tx: Transaction;
  readonly time: number;
  readonly feeDelta: number;
}

export interface MempoolSnapshot {
  readonly txs: readonly PersistedTx[];
  readonly deltas: ReadonlyMap<string, { readonly txid: Uint8Array; readonly delta: number }>;
}

export function encodeMempoolFile(snapshot: MempoolSnapshot): Uint8Array {
  const w = new BufferWriter(64 + snapshot.txs.length * 300);
  w.bytes(MEMPOOL_FILE_MAGIC).u32(MEMPOOL_FILE_VERSION).compactSize(snapshot.txs.length);
  for (const { tx, time, feeDelta } of snapshot.txs) {
    w.varBytes(tx.encode(true)).i64num(time).i64num(feeDelta);
  }
  w.compactSize(snapshot.deltas.size);
  for (const { txid, delta } of snapshot.deltas.values()) w.bytes(txid).i64num(delta);
  const body = w.finish();
  const out = new Uint8Array(body.length + 32);
  out.set(body);
  out.set(sha256(body), body.length);
  return out;
}

/** Decodes a mempool file; throws DecodeError on a bad magic, version, checksum or encoding. */
export function decodeMempoolFile(bytes: Uint8Array): {
  txs: PersistedTx[];
  deltas: { txid: Uint8Array; delta: number }[];
} {
  if (bytes.length < MEMPOOL_FILE_MAGIC.length + 4 + 32)
    throw new DecodeError('truncated', 'mempool file too short');
  const body = bytes.subarray(0, bytes.length - 32);
  if (!equalBytes(sha256(body), bytes.subarray(bytes.length - 32))) {
    throw new DecodeError('bad-checksum', 'mempool file checksum mismatch');
  }
  const r = new BufferReader(body);
  if (!equalBytes(r.bytes(MEMPOOL_FILE_MAGIC.length), MEMPOOL_FILE_MAGIC)) {
    throw new DecodeError('bad-format', 'not a mempool file');
  }
  const version = r.u32();
  if (version !== MEMPOOL_FILE_VERSION)
    throw new DecodeError('bad-format', `unknown mempool file version ${version}`);
  const count = r.compactSize();
  const txs: PersistedTx[] = [];
  for (let i = 0; i < count; i++) {
    const tx = Transaction.decode(r.varBytes());
    txs.push({ tx, time: r.i64num(), feeDelta: r.i64num() });
  }
  const deltaCount = r.compactSize();
  const deltas: { txid: Uint8Array; delta: number }[] = [];
  for (let i = 0; i < deltaCount; i++) deltas.push({ txid: r.bytesCopy(32), delta: r.i64num() });
  r.end();
  return { txs, deltas };
}
