import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { sha256 } from '../../src/crypto/hash.js';
import { ecdsaVerifyCompact, publicKeyCreate } from '../../src/crypto/secp256k1.js';
import { SignatureVerifyPool, type VerifyBatch, type VerifyJob } from '../../src/crypto/verify-pool.js';
import { CLAIMED, DONE } from '../../src/crypto/verify-worker.js';
import { utf8 } from '../../src/encoding/index.js';

const det = (tag: string, i: number): Uint8Array => sha256(utf8(`${tag}/${i}`));
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

interface NativeSecp {
  ecdsaSign(msg32: Uint8Array, priv32: Uint8Array): { signature: Uint8Array };
}
const nativeSecp = createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp;

/** Valid signatures, with every 7th job corrupted in one of several ways and every 5th high-S. */
function makeJobs(count: number, salt: string): VerifyJob[] {
  return Array.from({ length: count }, (_, i) => {
    const priv = det(`${salt}/priv`, i % 97);
    const msg32 = det(`${salt}/msg`, i);
    const pubkey = publicKeyCreate(priv, i % 2 === 0);
    const sig64 = new Uint8Array(nativeSecp.ecdsaSign(msg32, priv).signature);
    if (i % 5 === 0) {
      const s = BigInt(`0x${Buffer.from(sig64.subarray(32)).toString('hex')}`);
      sig64.set(Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'), 32);
    }
    if (i % 7 === 3) {
      const kind = (i >> 3) % 4;
      if (kind === 0) sig64[10]! ^= 1;
      if (kind === 1) msg32[0]! ^= 0x80;
      if (kind === 2) return { sig64, msg32, pubkey: pubkey.subarray(1) }; // malformed length
      if (kind === 3) return { sig64, msg32, pubkey: publicKeyCreate(det('other', i)) };
    }
    return { sig64, msg32, pubkey };
  });
}

/** The single-threaded answer the pool must reproduce. */
function expectedFailures(jobs: readonly VerifyJob[]): number[] {
  const failed: number[] = [];
  jobs.forEach((j, i) => {
    if (!ecdsaVerifyCompact(j.sig64, j.msg32, j.pubkey)) failed.push(i);
  });
  return failed;
}

interface BatchInternals {
  segments: { view: { header: Int32Array } }[];
}
const workersOf = (pool: SignatureVerifyPool): Worker[] =>
  (pool as unknown as { core: { workers: Worker[] } }).core.workers;

/** Makes the next `count` jobs look claimed by a worker that will never report them. */
function strandJobs(batch: VerifyBatch, count: number): void {
  const header = (batch as unknown as BatchInternals).segments[0]!.view.header;
  Atomics.store(header, CLAIMED, count);
}

describe('SignatureVerifyPool', () => {
  let pool: SignatureVerifyPool;
  const jobs = makeJobs(1000, 'a');
  const expected = expectedFailures(jobs);

  before(async () => {
    pool = await SignatureVerifyPool.create({ threads: 2 });
  });
  after(() => pool.close());

  it('has failures in the fixture where the single-threaded adapter has them', () => {
    assert.equal(pool.threads, 2);
    assert.ok(expected.length > 100 && expected.length < 200, `${expected.length} failures`);
    assert.ok(expected.every((i) => i % 7 === 3));
  });

  it('verifyAll reports exactly the failing indices', async () => {
    assert.deepEqual(await pool.verifyAll(jobs), { ok: false, failed: expected });
    const valid = jobs.filter((_, i) => !expected.includes(i));
    assert.deepEqual(await pool.verifyAll(valid), { ok: true, failed: [] });
    assert.deepEqual(await pool.verifyAll([]), { ok: true, failed: [] });
  });

  it('streams: push returns indices, segments grow, finish verifies the rest', async () => {
    const many = makeJobs(3000, 'b'); // more than the first 256-job segment
    const batch = pool.batch();
    for (const [i, j] of many.entries()) assert.equal(batch.push(j.sig64, j.msg32, j.pubkey), i);
    assert.equal(batch.length, many.length);
    assert.deepEqual(await batch.finish(), { ok: false, failed: expectedFailures(many) });
    await assert.rejects(batch.finish(), /twice/);
    assert.throws(() => batch.push(jobs[0]!.sig64, jobs[0]!.msg32, jobs[0]!.pubkey), /after finish/);
  });

  it('workers verify pushed chunks before finish() is called, waking for each', async () => {
    const batch = pool.batch();
    let header: Int32Array | undefined;
    for (let round = 1; round <= 4; round++) {
      // 64 pushes, each published at once; an idle worker must be woken to take them.
      for (const j of jobs.slice((round - 1) * 64, round * 64)) batch.push(j.sig64, j.msg32, j.pubkey);
      header ??= (batch as unknown as BatchInternals).segments[0]!.view.header;
      for (let waited = 0; Atomics.load(header, DONE) < round * 64; waited += 5) {
        assert.ok(waited < 30_000, `workers did not pick up published jobs in round ${round}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    assert.deepEqual(
      (await batch.finish()).failed,
      expected.filter((i) => i < 256),
    );
  });

  it('is reused across sequential and concurrent batches', async () => {
    for (let round = 0; round < 5; round++) {
      const slice = jobs.slice(round * 37, round * 37 + 150);
      assert.deepEqual((await pool.verifyAll(slice)).failed, expectedFailures(slice));
    }
    const [x, y] = await Promise.all([pool.verifyAll(jobs.slice(0, 500)), pool.verifyAll(jobs.slice(500))]);
    assert.deepEqual([...x.failed, ...y.failed.map((i) => i + 500)], expected);
  });

  it('works without workers and with more workers than cores', async () => {
    for (const threads of [1, 3]) {
      const other = await SignatureVerifyPool.create({ threads });
      try {
        assert.deepEqual((await other.verifyAll(jobs)).failed, expected);
      } finally {
        await other.close();
      }
    }
    await assert.rejects(SignatureVerifyPool.create({ threads: 0 }), RangeError);
  });

  it('rejects a pending batch when a worker dies, instead of hanging', async () => {
    const doomed = await SignatureVerifyPool.create({ threads: 2 });
    const batch = doomed.batch();
    for (const j of jobs.slice(0, 10)) batch.push(j.sig64, j.msg32, j.pubkey);
    strandJobs(batch, 10);
    const pending = batch.finish();
    await workersOf(doomed)[0]!.terminate();
    await assert.rejects(pending, /worker 0 exited/);
    assert.throws(() => doomed.batch(), /worker 0 exited/);
    await doomed.close();
  });

  it('rejects a pending batch when a worker throws', async () => {
    const doomed = await SignatureVerifyPool.create({ threads: 2 });
    const batch = doomed.batch();
    for (const j of jobs.slice(0, 10)) batch.push(j.sig64, j.msg32, j.pubkey);
    strandJobs(batch, 10);
    const pending = batch.finish();
    // A segment of negative size makes the worker's typed-array views throw: an uncaught exception.
    workersOf(doomed)[0]!.postMessage({ type: 'segment', buffer: new SharedArrayBuffer(8), capacity: -1 });
    await assert.rejects(pending, /worker 0 crashed/);
    await doomed.close();
  });

  it('fails a batch whose workers make no progress within the stall bound', async () => {
    const stuck = await SignatureVerifyPool.create({ threads: 2, stallTimeoutMs: 300 });
    const batch = stuck.batch();
    for (const j of jobs.slice(0, 10)) batch.push(j.sig64, j.msg32, j.pubkey);
    strandJobs(batch, 10);
    await assert.rejects(batch.finish(), /stalled at 0\/10/);
    await assert.rejects(stuck.verifyAll(jobs.slice(0, 1)), /stalled/);
    await stuck.close();
  });

  it('rejects use after close', async () => {
    const closing = await SignatureVerifyPool.create({ threads: 2 });
    await closing.close();
    assert.throws(() => closing.batch(), /closed/);
    await assert.rejects(closing.verifyAll(jobs.slice(0, 1)), /closed/);
  });
});
