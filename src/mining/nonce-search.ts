/**
 * NonceSearch: proof-of-work search on every core with worker_threads.
 *
 * Each search splits its nonce range into one contiguous, disjoint slice per worker. Workers scan
 * synchronously (their event loop is busy), so stopping goes through a shared Int32 that they read
 * every CHECK_EVERY nonces: the first solution sets it, and so does cancellation (an AbortSignal,
 * raised by the miner when the chain tip moves). A search resolves once every worker has reported,
 * so no stale scan overlaps the next search and the hash count is exact (it feeds maxTries).
 *
 * Workers start once, in create(), and are reused; they are unref()ed while idle so that an idle
 * pool never keeps the process alive.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker, waitWorkerReady } from '../crypto/module-worker.js';
import { hash256 } from '../crypto/hash.js';
import {
  CONTROL_BYTES,
  type FromNonceWorker,
  HEADER_BYTES,
  hashMeetsTarget,
  type NonceWorkerData,
  STOP,
  type ToNonceWorker,
  targetBytes,
} from './nonce-worker.js';
import { MiningError } from './errors.js';

/** Size of the header nonce space: nonces are uint32. */
export const NONCE_SPACE = 2 ** 32;

export interface NonceJob {
  /** The 80-byte header; its nonce field is ignored. */
  readonly header: Uint8Array;
  readonly target: bigint;
  /** First nonce to try (default 0). */
  readonly start?: number;
  /** One past the last nonce to try (default 2^32). */
  readonly end?: number;
}

export type NonceSearchResult =
  | { readonly found: true; readonly nonce: number; readonly hash: Uint8Array; readonly hashes: number }
  | { readonly found: false; readonly cancelled: boolean; readonly hashes: number };

export interface NonceSearchOptions {
  /** Worker threads (default os.availableParallelism()). */
  readonly threads?: number;
  /** Bound on worker start-up (module load under tsx can take a second); default 30 s. */
  readonly startupTimeoutMs?: number;
}

interface PendingSearch {
  readonly id: number;
  readonly control: Int32Array;
  outstanding: number;
  nonce: number;
  hashes: number;
  readonly resolve: (r: { nonce: number; hashes: number }) => void;
  readonly reject: (err: Error) => void;
}

export class NonceSearch {
  private pending: PendingSearch | undefined;
  private failure: Error | undefined;
  private nextId = 1;

  private constructor(private readonly workers: Worker[]) {
    workers.forEach((worker, i) => {
      worker.on('message', (msg: FromNonceWorker) => this.onMessage(msg));
      worker.on('error', (err) =>
        this.fail(new MiningError('worker-failed', `nonce worker ${i} crashed: ${err.message}`)),
      );
      worker.on('exit', (code) =>
        this.fail(new MiningError('worker-failed', `nonce worker ${i} exited (code ${code})`)),
      );
      worker.unref();
    });
  }

  get threads(): number {
    return this.workers.length;
  }

  static async create(options: NonceSearchOptions = {}): Promise<NonceSearch> {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new RangeError(`threads must be an integer in 1..256, got ${threads}`);
    }
    const workers: Worker[] = [];
    const startups: Promise<void>[] = [];
    for (let index = 0; index < threads; index++) {
      const worker = spawnWorker({ kind: 'tally-nonce-worker', index });
      workers.push(worker);
      startups.push(waitReady(worker, index, options.startupTimeoutMs ?? 30_000));
    }
    try {
      await Promise.all(startups);
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new NonceSearch(workers);
  }

  /**
   * Scans [start, end) across the workers. Resolves with the first solution reported, or with
   * found: false once the range is exhausted or the signal aborted. One search at a time.
   */
  async search(job: NonceJob, signal?: AbortSignal): Promise<NonceSearchResult> {
    if (this.failure !== undefined) throw this.failure;
    if (this.pending !== undefined) throw new RangeError('NonceSearch: a search is already running');
    if (job.header.length !== HEADER_BYTES) throw new RangeError('a block header is 80 bytes');
    const start = job.start ?? 0;
    const end = job.end ?? NONCE_SPACE;
    if (
      !(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= NONCE_SPACE)
    ) {
      throw new RangeError(`bad nonce range ${start}..${end}`);
    }
    const target = targetBytes(job.target);
    if (signal?.aborted || start === end)
      return { found: false, cancelled: signal?.aborted ?? false, hashes: 0 };

    const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
    const onAbort = (): void => {
      Atomics.store(control, STOP, 1);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const id = this.nextId++;
    const slices = splitRange(start, end, this.workers.length);
    const done = new Promise<{ nonce: number; hashes: number }>((resolve, reject) => {
      this.pending = { id, control, outstanding: slices.length, nonce: -1, hashes: 0, resolve, reject };
    });
    for (const w of this.workers) w.ref(); // a running search keeps the process alive
    try {
      slices.forEach(([from, to], i) => {
        const msg: ToNonceWorker = {
          type: 'job',
          id,
          header: job.header,
          target,
          start: from,
          end: to,
          control: control.buffer as SharedArrayBuffer,
        };
        this.workers[i]!.postMessage(msg);
      });
      const { nonce, hashes } = await done;
      if (nonce < 0) return { found: false, cancelled: signal?.aborted ?? false, hashes };
      const header = job.header.slice();
      new DataView(header.buffer).setUint32(76, nonce, true);
      const digest = hash256(header);
      // A worker's claim is re-checked here: a wrong solution would be a bug, not a block.
      if (!hashMeetsTarget(digest, target)) {
        const err = new MiningError('worker-failed', `nonce worker reported a bad nonce ${nonce}`);
        this.fail(err);
        throw err;
      }
      return { found: true, nonce, hash: digest, hashes };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.pending = undefined;
      for (const w of this.workers) w.unref();
    }
  }

  /** Terminates the workers; a running search rejects. */
  async close(): Promise<void> {
    this.fail(new MiningError('closed', 'NonceSearch is closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private onMessage(msg: FromNonceWorker): void {
    const p = this.pending;
    if (msg.type !== 'done' || p === undefined || msg.id !== p.id) return;
    p.hashes += msg.hashes;
    if (msg.nonce >= 0 && p.nonce < 0) p.nonce = msg.nonce;
    if (--p.outstanding === 0) p.resolve({ nonce: p.nonce, hashes: p.hashes });
  }

  private fail(error: MiningError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    const p = this.pending;
    if (p !== undefined) {
      Atomics.store(p.control, STOP, 1);
      p.reject(error);
    }
  }
}

/** [start, end) cut into at most `parts` contiguous, disjoint, non-empty slices covering it. */
export function splitRange(start: number, end: number, parts: number): [number, number][] {
  const size = end - start;
  const n = Math.max(1, Math.min(parts, size));
  const slices: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const from = start + Math.floor((size * i) / n);
    const to = start + Math.floor((size * (i + 1)) / n);
    if (to > from) slices.push([from, to]);
  }
  return slices;
}

function spawnWorker(workerData: NonceWorkerData): Worker {
  return spawnModuleWorker(import.meta.url, 'nonce-worker', workerData);
}

function waitReady(worker: Worker, index: number, timeoutMs: number): Promise<void> {
  return waitWorkerReady(
    worker,
    `nonce worker ${index}`,
    timeoutMs,
    (m) => new MiningError('worker-failed', m),
  );
}
