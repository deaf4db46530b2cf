/**
 * SignatureVerifyPool: raw ECDSA and BIP340 verification of a block's signatures on every core.
 *
 * Measured here: one core verifies ≈17,000 signatures/s through native libsecp256k1, so a block
 * of 5,000 inputs costs ~300 ms on one thread. The pool splits that across cores with
 * worker_threads and lets the calling thread verify too (on 2 cores: 1 worker + the caller),
 * because a worker per core would leave the caller idle while it waits.
 *
 * Jobs are packed into SharedArrayBuffer segments (see verify-worker.ts) so handing work over
 * copies nothing and costs no message per job; threads claim ranges atomically, which balances
 * the load without a scheduler. Workers start once, in create(), and are reused.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker, waitWorkerReady } from './module-worker.js';
import { getVerifyBackend } from './secp256k1.js';
import {
  DONE,
  drainSegment,
  IDLE_STRIDE,
  PUBLISHED,
  SEALED,
  type SegmentView,
  segmentByteLength,
  type ToWorker,
  type VerifyWorkerData,
  viewSegment,
  writeJob,
} from './verify-worker.js';

export interface VerifyJob {
  readonly sig64: Uint8Array;
  readonly msg32: Uint8Array;
  /** A 33- or 65-byte ECDSA public key, or for BIP340 jobs a 32-byte x-only key. */
  readonly pubkey: Uint8Array;
  /** Default 'ecdsa' (ecdsaVerifyCompact); 'schnorr' is BIP340 (schnorrVerify, 32-byte messages). */
  readonly kind?: 'ecdsa' | 'schnorr';
}

export interface VerifyResult {
  /** True iff every job verified. */
  readonly ok: boolean;
  /** Indices (in push order) of the jobs that did not verify, ascending. */
  readonly failed: number[];
}

export interface SignatureVerifyPoolOptions {
  /** Threads that verify, the calling one included; default os.availableParallelism(). */
  readonly threads?: number;
  /** Bound on worker start-up (module load under tsx can take a second); default 30 s. */
  readonly startupTimeoutMs?: number;
  /** A batch whose workers make no progress for this long fails instead of hanging; default 60 s. */
  readonly stallTimeoutMs?: number;
}

/** Streaming segments start small (a mempool transaction has a few inputs) and grow to 8,192 jobs. */
const FIRST_SEGMENT_JOBS = 256;
const MAX_SEGMENT_JOBS = 8192;
/** Waits for workers in slices, counting quiet slices instead of reading a clock. */
const WAIT_SLICE_MS = 250;

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
// ES2024's Atomics.waitAsync (in Node since 16); the project's lib setting is ES2023.
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

interface Segment {
  readonly view: SegmentView;
  readonly capacity: number;
  /** Global index of the segment's first job within its batch. */
  readonly base: number;
  count: number;
}

export class SignatureVerifyPool {
  private constructor(private readonly core: PoolCore) {}

  /** Threads that verify, the calling one included. */
  get threads(): number {
    return this.core.threads;
  }

  static async create(options: SignatureVerifyPoolOptions = {}): Promise<SignatureVerifyPool> {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new RangeError(`threads must be an integer in 1..256, got ${threads}`);
    }
    const idle = new SharedArrayBuffer(Math.max(1, threads - 1) * IDLE_STRIDE * 4);
    const backend = getVerifyBackend();
    const workers: Worker[] = [];
    const startups: Promise<void>[] = [];
    for (let index = 0; index < threads - 1; index++) {
      const workerData: VerifyWorkerData = {
        kind: 'tally-signature-verify-worker',
        index,
        threads,
        backend,
        idle,
      };
      const worker = spawnWorker(workerData);
      workers.push(worker);
      startups.push(waitReady(worker, index, options.startupTimeoutMs ?? 30_000));
    }
    try {
      await Promise.all(startups);
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    const core = new PoolCore(workers, new Int32Array(idle), threads, options.stallTimeoutMs ?? 60_000);
    return new SignatureVerifyPool(core);
  }

  /** Verifies every job; all jobs are known, so workers start at once on the same segment. */
  async verifyAll(jobs: readonly VerifyJob[]): Promise<VerifyResult> {
    const batch = this.batch(jobs.length);
    for (const job of jobs) {
      if (job.kind === 'schnorr') batch.pushSchnorr(job.sig64, job.msg32, job.pubkey);
      else batch.push(job.sig64, job.msg32, job.pubkey);
    }
    return batch.finish();
  }

  /**
   * A streaming batch: push jobs while still interpreting scripts (workers take them as they come),
   * then finish() verifies the rest on the calling thread too. `expectedJobs` sizes the first
   * segment when the count is known. Every batch must be finished.
   */
  batch(expectedJobs?: number): VerifyBatch {
    this.core.assertUsable();
    return new VerifyBatch(this.core, expectedJobs);
  }

  /** Terminates the workers; pending batches reject. Call it after a failure too. */
  close(): Promise<void> {
    return this.core.close();
  }
}

/** The shared state batches talk to; kept out of the public class so its API stays small. */
class PoolCore {
  private failure: Error | undefined;
  /** Headers of segments a batch is waiting on, to wake them when the pool fails. */
  private readonly waiting = new Set<Int32Array>();
  private inFlight = 0;

  constructor(
    private readonly workers: Worker[],
    private readonly idle: Int32Array,
    readonly threads: number,
    private readonly stallTimeoutMs: number,
  ) {
    workers.forEach((worker, i) => {
      worker.on('error', (err) =>
        this.fail(new Error(`signature verification worker ${i} crashed: ${err.message}`)),
      );
      worker.on('exit', (code) =>
        this.fail(new Error(`signature verification worker ${i} exited (code ${code})`)),
      );
      worker.unref(); // an idle pool must not keep the process alive; batches ref() while they wait
    });
  }

  /** Terminates the workers; pending batches reject. */
  async close(): Promise<void> {
    this.fail(new Error('SignatureVerifyPool is closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Allocates a segment and shows it to every worker. */
  openSegment(capacity: number, base: number): Segment {
    this.assertUsable();
    const buffer = new SharedArrayBuffer(segmentByteLength(capacity));
    const segment: Segment = { view: viewSegment(buffer, capacity), capacity, base, count: 0 };
    const msg: ToWorker = { type: 'segment', buffer, capacity };
    for (let i = 0; i < this.workers.length; i++) {
      Atomics.store(this.idle, i * IDLE_STRIDE, 0);
      this.workers[i]!.postMessage(msg);
    }
    return segment;
  }

  /** Makes `count` jobs visible and wakes workers that are waiting for work. */
  publish(segment: Segment, seal: boolean): void {
    const header = segment.view.header;
    Atomics.store(header, PUBLISHED, segment.count);
    if (seal) Atomics.store(header, SEALED, 1);
    // Publish before reading the flags (see the worker's idle protocol): no wake-up is lost.
    for (let i = 0; i < this.workers.length; i++) {
      if (Atomics.compareExchange(this.idle, i * IDLE_STRIDE, 1, 0) === 1) {
        this.workers[i]!.postMessage({ type: 'wake' } satisfies ToWorker);
      }
    }
  }

  /** The calling thread's share, then the wait for the workers' share. */
  async complete(segments: readonly Segment[]): Promise<void> {
    for (const seg of segments) drainSegment(seg.view, this.threads);
    if (segments.every((seg) => Atomics.load(seg.view.header, DONE) === seg.count)) return;
    this.inFlight++;
    if (this.inFlight === 1) for (const w of this.workers) w.ref();
    try {
      for (const seg of segments) await this.waitDone(seg);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const w of this.workers) w.unref();
    }
  }

  private async waitDone(seg: Segment): Promise<void> {
    const header = seg.view.header;
    let lastDone = -1;
    let quietSlices = 0;
    this.waiting.add(header);
    try {
      for (;;) {
        if (this.failure !== undefined) throw this.failure;
        const done = Atomics.load(header, DONE);
        if (done === seg.count) return;
        if (done !== lastDone) {
          lastDone = done;
          quietSlices = 0;
        } else if (++quietSlices * WAIT_SLICE_MS > this.stallTimeoutMs) {
          // A claim is at most 32 jobs (~2 ms of ECDSA, ~8 ms of BIP340); this long without progress
          // is a wedged worker.
          this.fail(new Error(`signature verification stalled at ${done}/${seg.count} jobs; pool disabled`));
          throw this.failure;
        }
        const wait = waitAsync(header, DONE, done, WAIT_SLICE_MS);
        if (wait.async) await wait.value;
      }
    } finally {
      this.waiting.delete(header);
    }
  }

  /** Records the first failure and wakes every waiting batch so that it rejects with it. */
  fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const header of this.waiting) Atomics.notify(header, DONE);
  }

  assertUsable(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

export class VerifyBatch {
  private readonly segments: Segment[] = [];
  private current: Segment | undefined;
  private total = 0;
  private finished = false;

  /** Made by SignatureVerifyPool.batch(). */
  constructor(
    private readonly pool: PoolCore,
    private readonly expectedJobs?: number,
  ) {}

  get length(): number {
    return this.total;
  }

  /** Queues one ECDSA verification and returns its index; malformed inputs become jobs that fail. */
  push(sig64: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): number {
    return this.queue(sig64, msg32, pubkey, false);
  }

  /**
   * Queues one BIP340 verification (taproot key path, tapscript CHECKSIG) and returns its index, in
   * the same sequence as push(). Only 32-byte messages: other lengths become jobs that fail.
   */
  pushSchnorr(sig64: Uint8Array, msg32: Uint8Array, xonly32: Uint8Array): number {
    return this.queue(sig64, msg32, xonly32, true);
  }

  private queue(sig64: Uint8Array, msg32: Uint8Array, key: Uint8Array, schnorr: boolean): number {
    if (this.finished) throw new Error('VerifyBatch.push after finish()');
    let seg = this.current;
    if (seg === undefined || seg.count === seg.capacity) seg = this.nextSegment();
    writeJob(seg.view, seg.count, sig64, msg32, key, schnorr);
    seg.count++;
    // Each job is visible at once: a publish costs an atomic store and a compare-exchange per worker
    // while workers are busy (only an idle worker is sent a message). Publishing every 32 pushes,
    // as this did before, left the worker waiting for block 300025's first 32 inputs to be
    // interpreted (~0.25 ms); its first verification now starts with the first push.
    this.pool.publish(seg, seg.count === seg.capacity);
    return this.total++;
  }

  /**
   * Verifies whatever workers have not taken, waits for theirs, and reports failures. The calling
   * thread's share runs synchronously (the event loop is busy for about jobs/threads verifications):
   * that share is the point of verifying on the caller.
   */
  async finish(): Promise<VerifyResult> {
    if (this.finished) throw new Error('VerifyBatch.finish called twice');
    this.finished = true;
    // After a worker death the results could still be completed here, but a dead worker means a
    // broken process (out of memory, a bug); surfacing it beats limping on at half speed.
    this.pool.assertUsable();
    if (this.current !== undefined) this.pool.publish(this.current, true);
    await this.pool.complete(this.segments);
    const failed: number[] = [];
    for (const seg of this.segments) {
      const results = seg.view.results;
      for (let i = 0; i < seg.count; i++) if (results[i] !== 1) failed.push(seg.base + i);
    }
    return { ok: failed.length === 0, failed };
  }

  private nextSegment(): Segment {
    if (this.current !== undefined) this.pool.publish(this.current, true);
    const previous = this.current?.capacity ?? 0;
    const capacity =
      previous === 0
        ? Math.max(1, Math.min(this.expectedJobs ?? FIRST_SEGMENT_JOBS, MAX_SEGMENT_JOBS))
        : Math.min(previous * 4, MAX_SEGMENT_JOBS);
    const seg = this.pool.openSegment(capacity, this.total);
    this.segments.push(seg);
    this.current = seg;
    return seg;
  }
}

function spawnWorker(workerData: VerifyWorkerData): Worker {
  return spawnModuleWorker(import.meta.url, 'verify-worker', workerData);
}

function waitReady(worker: Worker, index: number, timeoutMs: number): Promise<void> {
  return waitWorkerReady(worker, `verify worker ${index}`, timeoutMs);
}
