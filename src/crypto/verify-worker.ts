/**
 * The shared-memory job format of SignatureVerifyPool, the claim-and-verify loop that the calling
 * thread and every worker run over it, and (when loaded as a worker) the worker's entry point.
 *
 * A segment is one SharedArrayBuffer: a header of atomic counters, one result byte per job, then
 * fixed-size job records. Threads take work by compare-and-swap on CLAIMED, in guided sizes
 * (a share of what is left, at most MAX_CLAIM): nothing is assigned in advance, whoever is free
 * takes the next jobs, and claims shrink towards the end so that all threads finish together.
 */
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import {
  assertNativeBackend,
  ecdsaVerifyCompact,
  schnorrVerify,
  setVerifyBackend,
  type VerifyBackendName,
} from './secp256k1.js';

/** Int32 indexes of the header counters, 64 bytes apart so that threads polling one counter do
 * not invalidate the cache line another thread is writing. */
export const CLAIMED = 0; // next job index not yet taken by any thread
export const PUBLISHED = 16; // jobs written and visible to workers
export const DONE = 32; // jobs verified (results written)
export const SEALED = 48; // 1 once PUBLISHED is final
const HEADER_BYTES = 256;

/**
 * Job record: sig64 | msg32 | key length | key padded to 65. The key length says what to verify:
 * 33 or 65 an ECDSA public key, 32 a BIP340 x-only key (no ECDSA key has that size), 0 a
 * malformed job, which fails.
 */
export const RECORD_BYTES = 64 + 32 + 1 + 65;
const PUBLEN_OFFSET = 96;
const PUBKEY_OFFSET = 97;
const XONLY_LENGTH = 32;

/**
 * At most 32 jobs per claim (~2 ms of ECDSA at 17,000/s, ~8 ms of BIP340 at 4,200/s): bounds how
 * long the last thread can lag.
 */
const MAX_CLAIM = 32;

export interface SegmentView {
  readonly header: Int32Array;
  readonly results: Uint8Array;
  readonly records: Uint8Array;
}

const resultsBytes = (capacity: number): number => Math.ceil(capacity / 64) * 64;

export function segmentByteLength(capacity: number): number {
  return HEADER_BYTES + resultsBytes(capacity) + capacity * RECORD_BYTES;
}

export function viewSegment(buffer: SharedArrayBuffer, capacity: number): SegmentView {
  const recordsOffset = HEADER_BYTES + resultsBytes(capacity);
  return {
    header: new Int32Array(buffer, 0, HEADER_BYTES / 4),
    results: new Uint8Array(buffer, HEADER_BYTES, capacity),
    records: new Uint8Array(buffer, recordsOffset, capacity * RECORD_BYTES),
  };
}

/**
 * Writes job `index`: ECDSA, or BIP340 when `schnorr` is set. A wrongly sized input becomes a job
 * that fails, as ecdsaVerifyCompact and schnorrVerify would (the pool's BIP340 jobs take 32-byte
 * messages only, all that taproot signs; callers verify other lengths themselves).
 */
export function writeJob(
  seg: SegmentView,
  index: number,
  sig64: Uint8Array,
  msg32: Uint8Array,
  pubkey: Uint8Array,
  schnorr = false,
): void {
  const off = index * RECORD_BYTES;
  const records = seg.records;
  const keyLength = pubkey.length;
  const wellFormed =
    sig64.length === 64 &&
    msg32.length === 32 &&
    (schnorr ? keyLength === XONLY_LENGTH : keyLength === 33 || keyLength === 65);
  if (!wellFormed) {
    records[off + PUBLEN_OFFSET] = 0;
    return;
  }
  records.set(sig64, off);
  records.set(msg32, off + 64);
  records[off + PUBLEN_OFFSET] = pubkey.length;
  records.set(pubkey, off + PUBKEY_OFFSET);
}

/** Claims the next range of published jobs, or returns -1 when none is left to take. */
function claim(header: Int32Array, threads: number): number {
  for (;;) {
    const start = Atomics.load(header, CLAIMED);
    const remaining = Atomics.load(header, PUBLISHED) - start;
    if (remaining <= 0) return -1;
    const take = Math.min(MAX_CLAIM, Math.max(1, Math.ceil(remaining / (2 * threads))));
    if (Atomics.compareExchange(header, CLAIMED, start, start + take) === start) {
      // Encode start and size in one number to avoid allocating a tuple per claim.
      return start * 64 + take;
    }
  }
}

/**
 * Verifies claimed ranges of one segment until nothing published is left unclaimed. Returns the
 * number of jobs this thread verified.
 */
export function drainSegment(seg: SegmentView, threads: number): number {
  const { header, results, records } = seg;
  let verified = 0;
  for (;;) {
    const claimed = claim(header, threads);
    if (claimed < 0) return verified;
    const start = Math.floor(claimed / 64);
    const end = start + (claimed % 64);
    for (let i = start; i < end; i++) {
      const off = i * RECORD_BYTES;
      const len = records[off + PUBLEN_OFFSET]!;
      let ok = false;
      if (len !== 0) {
        const sig64 = records.subarray(off, off + 64);
        const msg32 = records.subarray(off + 64, off + 96);
        const key = records.subarray(off + PUBKEY_OFFSET, off + PUBKEY_OFFSET + len);
        ok = len === XONLY_LENGTH ? schnorrVerify(sig64, msg32, key) : ecdsaVerifyCompact(sig64, msg32, key);
      }
      results[i] = ok ? 1 : 0;
    }
    verified += end - start;
    // Atomics.add orders the result bytes above before the count the waiting thread reads.
    Atomics.add(header, DONE, end - start);
    Atomics.notify(header, DONE);
  }
}

export function hasUnclaimed(seg: SegmentView): boolean {
  return Atomics.load(seg.header, CLAIMED) < Atomics.load(seg.header, PUBLISHED);
}

/** Data the pool hands each worker; `kind` tells this module that it is the worker entry. */
export interface VerifyWorkerData {
  readonly kind: 'tally-signature-verify-worker';
  readonly index: number;
  readonly threads: number;
  readonly backend: VerifyBackendName;
  /** One Int32 per worker (stride IDLE_STRIDE): 1 while the worker waits for a message. */
  readonly idle: SharedArrayBuffer;
}
export const IDLE_STRIDE = 16;

export type ToWorker =
  | { readonly type: 'segment'; readonly buffer: SharedArrayBuffer; readonly capacity: number }
  | { readonly type: 'wake' };
export type FromWorker = { readonly type: 'ready' };

function isVerifyWorkerData(data: unknown): data is VerifyWorkerData {
  return (
    typeof data === 'object' &&
    data !== null &&
    'kind' in data &&
    data.kind === 'tally-signature-verify-worker'
  );
}

function runWorker(port: MessagePort, data: VerifyWorkerData): void {
  setVerifyBackend(data.backend);
  if (data.backend === 'native') assertNativeBackend(); // a load failure kills the worker at startup
  const idle = new Int32Array(data.idle);
  const slot = data.index * IDLE_STRIDE;
  const segments: SegmentView[] = [];

  const drainAll = (): void => {
    Atomics.store(idle, slot, 0);
    for (;;) {
      for (const seg of segments) drainSegment(seg, data.threads);
      // A sealed segment with nothing left to claim will never have work again.
      for (let i = segments.length - 1; i >= 0; i--) {
        const seg = segments[i]!;
        if (Atomics.load(seg.header, SEALED) === 1 && !hasUnclaimed(seg)) segments.splice(i, 1);
      }
      // Announce idleness, then look once more: the pool publishes before it checks the flag,
      // so either we see its new jobs here or it sees the flag and posts a wake.
      Atomics.store(idle, slot, 1);
      if (!segments.some(hasUnclaimed)) return;
      Atomics.store(idle, slot, 0);
    }
  };

  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'segment') segments.push(viewSegment(msg.buffer, msg.capacity));
    drainAll();
  });
  Atomics.store(idle, slot, 1);
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

if (!isMainThread && parentPort !== null && isVerifyWorkerData(workerData)) runWorker(parentPort, workerData);
