import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '../../src/crypto/hash.js';
import {
  ecdsaSign,
  ecdsaVerifyCompact,
  publicKeyCreate,
  schnorrPublicKey,
  schnorrSign,
  schnorrVerify,
} from '../../src/crypto/secp256k1.js';
import { SignatureVerifyPool, type VerifyJob } from '../../src/crypto/verify-pool.js';
import { utf8 } from '../../src/encoding/index.js';

const det = (tag: string, i: number): Uint8Array => sha256(utf8(`${tag}/${i}`));
/** The group order n, big-endian: an s of n or more is no BIP340 signature at all. */
const ORDER = Uint8Array.from(
  Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex'),
);
/** x = 5 has no point on secp256k1 (5^3 + 7 = 132 is not a square mod p). */
const X_NOT_ON_CURVE = Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 5 : 0));

/**
 * BIP340 jobs, every 5th corrupted in one of six ways, interleaved with ECDSA jobs (every 3rd job):
 * the pool must tell them apart and verify each with its own algorithm.
 */
function makeMixedJobs(count: number): VerifyJob[] {
  return Array.from({ length: count }, (_, i): VerifyJob => {
    const priv = det('priv', i % 41);
    const msg32 = det('msg', i);
    if (i % 3 === 0) {
      const sig64 = ecdsaSign(msg32, priv);
      if (i % 5 === 0) sig64[7]! ^= 1;
      return { sig64, msg32, pubkey: publicKeyCreate(priv, true) };
    }
    const xonly = schnorrPublicKey(priv);
    const sig64 = schnorrSign(msg32, priv, det('aux', i));
    const job: VerifyJob = { sig64, msg32, pubkey: xonly, kind: 'schnorr' };
    if (i % 5 !== 0) return job;
    switch ((i / 5) % 6) {
      case 0:
        sig64[40]! ^= 0x10;
        return job;
      case 1:
        return { ...job, msg32: det('other msg', i) };
      case 2:
        return { ...job, pubkey: X_NOT_ON_CURVE };
      case 3:
        sig64.set(ORDER, 32); // s = n
        return job;
      case 4:
        return { ...job, pubkey: publicKeyCreate(priv, true) }; // an ECDSA-sized key: malformed
      default:
        return { ...job, msg32: msg32.subarray(0, 31) }; // taproot only signs 32-byte messages
    }
  });
}

/** What the single-threaded adapter says; 32-byte messages only for BIP340, as the pool documents. */
function expectedFailures(jobs: readonly VerifyJob[]): number[] {
  const failed: number[] = [];
  jobs.forEach((j, i) => {
    const ok =
      j.kind === 'schnorr'
        ? j.msg32.length === 32 && schnorrVerify(j.sig64, j.msg32, j.pubkey)
        : ecdsaVerifyCompact(j.sig64, j.msg32, j.pubkey);
    if (!ok) failed.push(i);
  });
  return failed;
}

describe('SignatureVerifyPool with BIP340 jobs', () => {
  let pool: SignatureVerifyPool;
  const jobs = makeMixedJobs(300);
  const expected = expectedFailures(jobs);

  before(async () => {
    pool = await SignatureVerifyPool.create({ threads: 2 });
  });
  after(() => pool.close());

  it('the fixture fails exactly its corrupted jobs, of both kinds', () => {
    assert.deepEqual(
      expected,
      jobs.map((_, i) => i).filter((i) => i % 5 === 0),
    );
    assert.ok(jobs.some((j, i) => j.kind === 'schnorr' && expected.includes(i)));
    assert.ok(jobs.some((j, i) => j.kind === undefined && expected.includes(i)));
  });

  it('verifyAll reports exactly the failing indices of a mixed batch', async () => {
    assert.deepEqual(await pool.verifyAll(jobs), { ok: false, failed: expected });
    const valid = jobs.filter((_, i) => !expected.includes(i));
    assert.deepEqual(await pool.verifyAll(valid), { ok: true, failed: [] });
  });

  it('streams push() and pushSchnorr() in one index sequence', async () => {
    const batch = pool.batch();
    jobs.forEach((j, i) => {
      const index =
        j.kind === 'schnorr'
          ? batch.pushSchnorr(j.sig64, j.msg32, j.pubkey)
          : batch.push(j.sig64, j.msg32, j.pubkey);
      assert.equal(index, i);
    });
    assert.deepEqual((await batch.finish()).failed, expected);
  });

  it('never takes a BIP340 job for an ECDSA one or the reverse', async () => {
    // The same bytes under the other kind: every one must fail.
    const swapped = jobs
      .filter((_, i) => !expected.includes(i))
      .map((j): VerifyJob => ({ ...j, kind: j.kind === 'schnorr' ? 'ecdsa' : 'schnorr' }));
    const result = await pool.verifyAll(swapped);
    assert.equal(result.failed.length, swapped.length);
  });

  it('gives the same answers without workers', async () => {
    const single = await SignatureVerifyPool.create({ threads: 1 });
    try {
      assert.deepEqual((await single.verifyAll(jobs)).failed, expected);
    } finally {
      await single.close();
    }
  });
});
