import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkProofOfWork, compactToTarget, hashToBigInt } from '../../src/consensus/pow.js';
import { hash256 } from '../../src/crypto/hash.js';
import { toHex } from '../../src/encoding/hex.js';
import { NonceSearch, splitRange } from '../../src/mining/nonce-search.js';
import { hashMeetsTarget, scanNonces, targetBytes } from '../../src/mining/nonce-worker.js';
import { solveTemplate } from '../../src/mining/template-solver.js';
import { makeTemplate } from './helpers.js';

const header = (): Uint8Array => makeTemplate().toBlock().header.encode();
/** About one hash in 2^12 meets it: a few thousand nonces, ~10 ms of hashing. */
const EASY = (1n << 244n) - 1n;

describe('target comparison', () => {
  it('matches hashToBigInt(hash) <= target', () => {
    for (let i = 0; i < 500; i++) {
      const h = hash256(Uint8Array.of(i, i >> 8));
      const t = hash256(Uint8Array.of(i, 7));
      for (const target of [hashToBigInt(t), hashToBigInt(h), hashToBigInt(h) - 1n, hashToBigInt(h) + 1n]) {
        if (target < 0n || target >= 1n << 256n) continue;
        assert.equal(hashMeetsTarget(h, targetBytes(target)), hashToBigInt(h) <= target);
      }
    }
  });
});

describe('splitRange', () => {
  it('cuts a range into disjoint contiguous slices that cover it', () => {
    assert.deepEqual(splitRange(0, 10, 3), [
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    assert.deepEqual(splitRange(5, 7, 4), [
      [5, 6],
      [6, 7],
    ]);
    const slices = splitRange(0, 2 ** 32, 7);
    assert.equal(slices[0]![0], 0);
    assert.equal(slices.at(-1)![1], 2 ** 32);
    for (let i = 1; i < slices.length; i++) assert.equal(slices[i]![0], slices[i - 1]![1]);
  });
});

describe('scanNonces (inline)', () => {
  it('finds the first nonce meeting an easy target and counts the hashes', () => {
    const bytes = header();
    const r = scanNonces(bytes, targetBytes(EASY), 0, 1_000_000);
    assert.ok(r.nonce >= 0);
    assert.equal(r.hashes, r.nonce + 1);
    new DataView(bytes.buffer).setUint32(76, r.nonce, true);
    assert.ok(hashToBigInt(hash256(bytes)) <= EASY);
  });

  it('reports exhaustion of a bounded range for an impossible target', () => {
    const r = scanNonces(header(), targetBytes(0n), 100, 1100);
    assert.deepEqual(r, { nonce: -1, hashes: 1000 });
  });
});

describe('NonceSearch (workers)', () => {
  let pool: NonceSearch;
  before(async () => {
    pool = await NonceSearch.create({ threads: 2 });
  });
  after(() => pool.close());

  it('finds a valid proof of work for an easy target', async () => {
    const bytes = header();
    const r = await pool.search({ header: bytes, target: EASY });
    assert.equal(r.found, true);
    if (!r.found) return;
    const solved = bytes.slice();
    new DataView(solved.buffer).setUint32(76, r.nonce, true);
    assert.equal(toHex(hash256(solved)), toHex(r.hash));
    assert.ok(hashToBigInt(r.hash) <= EASY);
    assert.ok(r.hashes >= 1);
  });

  it('finds a regtest-difficulty solution accepted by consensus checkProofOfWork', async () => {
    const target = compactToTarget(0x207fffff).target;
    const r = await pool.search({ header: header(), target, start: 1000, end: 2000 });
    assert.equal(r.found, true);
    if (r.found) {
      assert.ok(r.nonce >= 1000 && r.nonce < 2000);
      assert.equal(checkProofOfWork(r.hash, 0x207fffff, { powLimit: target }), true);
    }
  });

  it('exhausts a bounded range exactly (every nonce hashed once)', async () => {
    const r = await pool.search({ header: header(), target: 0n, start: 7, end: 50_007 });
    assert.deepEqual(r, { found: false, cancelled: false, hashes: 50_000 });
  });

  it('stops on cancellation and can search again afterwards', async () => {
    const controller = new AbortController();
    const running = pool.search({ header: header(), target: 0n }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    const t0 = performance.now();
    const r = await running;
    assert.equal(r.found, false);
    if (!r.found) assert.equal(r.cancelled, true);
    assert.ok(r.hashes < 2 ** 32);
    assert.ok(performance.now() - t0 < 5000, 'cancellation is prompt');
    const again = await pool.search({ header: header(), target: EASY });
    assert.equal(again.found, true);
  });

  it('refuses a second concurrent search and bad ranges', async () => {
    const controller = new AbortController();
    const running = pool.search({ header: header(), target: 0n }, controller.signal);
    await assert.rejects(pool.search({ header: header(), target: EASY }), RangeError);
    controller.abort();
    await running;
    await assert.rejects(pool.search({ header: header(), target: EASY, start: 5, end: 4 }), RangeError);
    await assert.rejects(pool.search({ header: new Uint8Array(79), target: EASY }), RangeError);
  });
});

describe('solveTemplate', () => {
  it('solves a regtest template on the calling thread', async () => {
    const template = makeTemplate();
    const r = await solveTemplate(template, { maxTries: 1_000_000 });
    assert.equal(r.status, 'solved');
    if (r.status !== 'solved') return;
    assert.equal(r.extraNonce, 0);
    assert.equal(checkProofOfWork(r.block.hash(), 0x207fffff, { powLimit: template.target }), true);
  });

  it('rolls the extraNonce when a bounded nonce space is exhausted, then stops at maxTries', async () => {
    // Mainnet's easiest target: no hash in a few thousand meets it.
    const template = makeTemplate({ bits: 0x1d00ffff });
    const r = await solveTemplate(template, { maxTries: 2500, nonceSpace: 1000 });
    assert.deepEqual(r, { status: 'max-tries', extraNonce: 3, tries: 2500 });
  });

  it('rolls the extraNonce on the workers too, and the new coinbase changes the Merkle root', async () => {
    const pool = await NonceSearch.create({ threads: 2 });
    try {
      const template = makeTemplate({ bits: 0x1d00ffff });
      const r = await solveTemplate(template, {
        maxTries: 30_000,
        nonceSpace: 10_000,
        inlineTries: 100,
        pool: async () => pool,
      });
      assert.deepEqual(r, { status: 'max-tries', extraNonce: 3, tries: 30_000 });
      assert.notDeepEqual(template.toBlock(0).header.merkleRoot, template.toBlock(1).header.merkleRoot);
      // An easy template after a roll: with a 1-nonce space each extraNonce gets one try.
      const easy = makeTemplate();
      const solved = await solveTemplate(easy, { maxTries: 1000, nonceSpace: 1 });
      assert.equal(solved.status, 'solved');
      if (solved.status === 'solved') {
        assert.equal(solved.tries, solved.extraNonce); // each failed extraNonce cost one try
        assert.equal(solved.block.header.nonce, 0);
        assert.deepEqual(solved.block.header.merkleRoot, easy.toBlock(solved.extraNonce).header.merkleRoot);
      }
    } finally {
      await pool.close();
    }
  });

  it('reports cancellation', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await solveTemplate(makeTemplate(), { maxTries: 10, signal: controller.signal });
    assert.equal(r.status, 'cancelled');
  });
});
