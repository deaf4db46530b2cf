/**
 * The proof-of-work scan loop that the calling thread and every NonceSearch worker run, and (when
 * loaded as a worker) the worker's entry point.
 *
 * Hashing uses node:crypto's one-shot hash(): measured here at ~520,000 double-SHA256 headers/s per
 * thread, against ~456,000/s for a createHash() midstate copied per nonce (the copy costs more than
 * the 64 bytes of hashing it saves).
 */
import { hash } from 'node:crypto';
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';

/** Int32 indexes of a search's shared control block. */
export const STOP = 0; // non-zero: stop scanning (a solution was found, or the search was cancelled)
export const CONTROL_BYTES = 64; // one cache line

/**
 * Threads look at STOP every 2,048 nonces (~4 ms at 520,000/s): cancellation and "found elsewhere"
 * cost at most that much wasted work, and the atomic load is invisible in the hash rate.
 */
export const CHECK_EVERY = 2048;

export const HEADER_BYTES = 80;
const NONCE_OFFSET = 76;

/** A 256-bit target as the 32 little-endian bytes a block hash (internal order) is compared with. */
export function targetBytes(target: bigint): Uint8Array {
  if (target < 0n || target >= 1n << 256n) throw new RangeError('target must fit in 256 bits');
  const out = new Uint8Array(32);
  let t = target;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  return out;
}

/** Core's `UintToArith256(hash) <= target`, on little-endian bytes, most significant byte first. */
export function hashMeetsTarget(hash32: Uint8Array, target32: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const h = hash32[i]!;
    const t = target32[i]!;
    if (h !== t) return h < t;
  }
  return true;
}

export interface ScanResult {
  /** The nonce whose header hash meets the target, or -1. */
  readonly nonce: number;
  /** Headers hashed (including the winning one). */
  readonly hashes: number;
}

/**
 * Tries nonces start..end-1 (end <= 2^32) in `header` (80 bytes, modified in place: the nonce field).
 * Stops early when `control[STOP]` becomes non-zero.
 */
export function scanNonces(
  header: Uint8Array,
  target32: Uint8Array,
  start: number,
  end: number,
  control?: Int32Array,
): ScanResult {
  if (header.length !== HEADER_BYTES) throw new RangeError('a block header is 80 bytes');
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= 2 ** 32)) {
    throw new RangeError(`bad nonce range ${start}..${end}`);
  }
  let nonce = start;
  while (nonce < end) {
    const stop = Math.min(end, nonce + CHECK_EVERY);
    for (; nonce < stop; nonce++) {
      header[NONCE_OFFSET] = nonce & 0xff;
      header[NONCE_OFFSET + 1] = (nonce >>> 8) & 0xff;
      header[NONCE_OFFSET + 2] = (nonce >>> 16) & 0xff;
      header[NONCE_OFFSET + 3] = nonce >>> 24;
      const digest = hash('sha256', hash('sha256', header, 'buffer'), 'buffer') as unknown as Uint8Array;
      if (hashMeetsTarget(digest, target32)) return { nonce, hashes: nonce - start + 1 };
    }
    if (control !== undefined && Atomics.load(control, STOP) !== 0) break;
  }
  return { nonce: -1, hashes: nonce - start };
}

/** Data NonceSearch hands each worker; `kind` tells this module that it is the worker entry. */
export interface NonceWorkerData {
  readonly kind: 'tally-nonce-worker';
  readonly index: number;
}

export type ToNonceWorker = {
  readonly type: 'job';
  readonly id: number;
  readonly header: Uint8Array;
  readonly target: Uint8Array;
  readonly start: number;
  readonly end: number;
  readonly control: SharedArrayBuffer;
};
export type FromNonceWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly nonce: number; readonly hashes: number };

function isNonceWorkerData(data: unknown): data is NonceWorkerData {
  return typeof data === 'object' && data !== null && 'kind' in data && data.kind === 'tally-nonce-worker';
}

function runWorker(port: MessagePort): void {
  port.on('message', (msg: ToNonceWorker) => {
    const control = new Int32Array(msg.control);
    const { nonce, hashes } = scanNonces(msg.header, msg.target, msg.start, msg.end, control);
    // A solution stops the other threads at their next check.
    if (nonce >= 0) Atomics.store(control, STOP, 1);
    port.postMessage({ type: 'done', id: msg.id, nonce, hashes } satisfies FromNonceWorker);
  });
  port.postMessage({ type: 'ready' } satisfies FromNonceWorker);
}

if (!isMainThread && parentPort !== null && isNonceWorkerData(workerData)) runWorker(parentPort);
