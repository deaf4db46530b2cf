import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ChainDB } from '../../src/chain/chain-db.js';
import { decodeCoin, encodeCoin } from '../../src/chain/coin-codec.js';
import { coinKey } from '../../src/chain/layout.js';
import { decodeUndo, encodeUndo } from '../../src/chain/undo.js';
import { UtxoCache } from '../../src/chain/utxo-cache.js';
import { MAX_MONEY } from '../../src/consensus/subsidy.js';
import { Coin } from '../../src/primitives/coin.js';
import { OutPoint } from '../../src/primitives/outpoint.js';

const coinArb = fc
  .record({
    value: fc.integer({ min: 0, max: MAX_MONEY }),
    script: fc.uint8Array({ maxLength: 120 }),
    height: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    coinbase: fc.boolean(),
  })
  .map((c) => new Coin(c.value, c.script, c.height, c.coinbase));

const outpoint = (n: number, index = 0): OutPoint => {
  const hash = new Uint8Array(32);
  new DataView(hash.buffer).setUint32(0, n);
  return new OutPoint(hash, index);
};

describe('coin and undo encodings', () => {
  it('round-trip any coin', () => {
    fc.assert(
      fc.property(coinArb, (coin) => {
        assert.deepEqual(decodeCoin(encodeCoin(coin)), coin);
      }),
    );
  });

  it('round-trip any undo data', () => {
    fc.assert(
      fc.property(fc.array(fc.array(coinArb, { maxLength: 4 }), { maxLength: 6 }), (spent) => {
        assert.deepEqual(decodeUndo(encodeUndo(spent)), spent);
      }),
    );
  });
});

describe('UtxoCache', () => {
  let dir: string;
  let db: ChainDB;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-cache-'));
    db = await ChainDB.open(dir);
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const coin = (v: number) => new Coin(v, Uint8Array.of(0x51), 1, false);

  it('a coin created and spent between flushes is never written (FRESH)', async () => {
    const cache = new UtxoCache(db);
    assert.equal(cache.getCoin(outpoint(1)), undefined, 'a miss is remembered as absent');
    cache.addCoin(outpoint(1), coin(5), false);
    cache.addCoin(outpoint(2), coin(6), true);
    assert.equal(cache.spendCoin(outpoint(1))?.value, 5);
    const ops = [...cache.flushOps()];
    assert.deepEqual(
      ops.map((o) => o.type),
      ['put'],
    );
    await db.write(ops, true);
    cache.flushed(true);
    assert.equal(cache.dirtyCount, 0);
  });

  it('spending a stored coin writes a delete; re-adding it before the flush writes a put', async () => {
    const cache = new UtxoCache(db);
    assert.equal(cache.getCoin(outpoint(2))?.value, 6, 'read through from the database');
    cache.spendCoin(outpoint(2));
    assert.deepEqual(
      [...cache.flushOps()].map((o) => o.type),
      ['del'],
    );
    // Spent but still dirty: a new coin here must not be FRESH, or spending it again would lose the delete.
    cache.addCoin(outpoint(2), coin(7), false);
    cache.spendCoin(outpoint(2));
    assert.deepEqual(
      [...cache.flushOps()].map((o) => o.type),
      ['del'],
    );
    await db.write(cache.flushOps(), true);
    cache.flushed(false);
    assert.equal(new UtxoCache(db).getCoin(outpoint(2)), undefined);
  });

  it('flushes each coin under its own database key, whatever the txid bytes and output index', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        async (hash, index) => {
          const cache = new UtxoCache(db);
          cache.addCoin(new OutPoint(hash, index), coin(index % 1000), false);
          await db.write(cache.flushOps(), false);
          cache.flushed(false);
          assert.equal(new UtxoCache(db).getCoin(new OutPoint(hash.slice(), index))?.value, index % 1000);
          assert.ok(db.getSync(coinKey(hash, index)) !== undefined);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('matches a Map model under random operations and flushes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.constantFrom('add', 'spend', 'flush', 'flushDrop'), fc.integer({ min: 100, max: 130 })),
          {
            maxLength: 80,
          },
        ),
        async (steps) => {
          const cache = new UtxoCache(db);
          const model = new Map<number, number>();
          for (let n = 100; n <= 130; n++)
            if (cache.getCoin(outpoint(n)) !== undefined) model.set(n, cache.getCoin(outpoint(n))!.value);
          for (const [op, n] of steps) {
            if (op === 'add' && !model.has(n)) {
              cache.addCoin(outpoint(n), coin(n * 10), n % 2 === 0);
              model.set(n, n * 10);
            } else if (op === 'spend') {
              assert.equal(cache.spendCoin(outpoint(n))?.value, model.get(n));
              model.delete(n);
            } else if (op === 'flush' || op === 'flushDrop') {
              await db.write(cache.flushOps(), false);
              cache.flushed(op === 'flush');
            }
          }
          await db.write(cache.flushOps(), false);
          cache.flushed(false);
          const fresh = new UtxoCache(db);
          for (let n = 100; n <= 130; n++) assert.equal(fresh.getCoin(outpoint(n))?.value, model.get(n));
        },
      ),
      { numRuns: 60 },
    );
  });
});
