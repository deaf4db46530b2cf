import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hashKey, MempoolEntry, txKeyOf } from '../../src/mempool/entry.js';
import { calculateAncestors } from '../../src/mempool/limits.js';
import { PoolIndex } from '../../src/mempool/pool-index.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import { compareFeeRates } from '../../src/policy/fee-rate.js';
import { assertPackageFigures } from './support.js';

const NO_LIMITS = {
  ancestorCount: Infinity,
  ancestorSizeVbytes: Infinity,
  descendantCount: Infinity,
  descendantSizeVbytes: Infinity,
};

/** The descendant score eviction uses: max(own rate, rate with descendants), as fee/size. */
function score(e: MempoolEntry): [number, number] {
  return compareFeeRates(e.descendantFees, e.descendantSize, e.modifiedFee, e.vsize) > 0
    ? [e.descendantFees, e.descendantSize]
    : [e.modifiedFee, e.vsize];
}

/** Every figure the index maintains incrementally equals a recount from scratch. */
function assertConsistent(pool: PoolIndex): void {
  let vsize = 0;
  let fee = 0;
  let usage = 0;
  assertPackageFigures(pool.entries());
  for (const e of pool.entries()) {
    for (const p of e.parents) assert.ok(p.children.has(e) && pool.getByKey(p.key) === p);
    for (const input of e.tx.inputs) assert.equal(pool.spender(input.prevout), e);
    vsize += e.vsize;
    fee += e.fee;
    usage += e.memoryUsage;
  }
  assert.equal(pool.totalVsize, vsize);
  assert.equal(pool.totalFee, fee);
  assert.equal(pool.usage, usage);
  const lowest = pool.lowestDescendantScore();
  if (pool.size === 0) {
    assert.equal(lowest, undefined);
    return;
  }
  assert.ok(lowest !== undefined);
  const [lf, ls] = score(lowest);
  for (const e of pool.entries()) {
    const [f, s] = score(e);
    assert.ok(compareFeeRates(lf, ls, f, s) <= 0, 'the eviction candidate has the lowest score');
  }
}

type Op =
  | { kind: 'add'; parents: number[]; fee: number; vsize: number; sigops: number }
  | { kind: 'evict'; pick: number }
  | { kind: 'confirm'; pick: number }
  | { kind: 'delta'; pick: number; delta: number }
  | { kind: 'return' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      parents: fc.array(fc.nat(40), { maxLength: 3 }),
      fee: fc.integer({ min: 0, max: 100_000 }),
      vsize: fc.integer({ min: 60, max: 5_000 }),
      sigops: fc.integer({ min: 0, max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('evict' as const), pick: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('confirm' as const), pick: fc.nat(40) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delta' as const),
      pick: fc.nat(40),
      delta: fc.integer({ min: -500, max: 5000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('return' as const) }) },
);

describe('PoolIndex: keys', () => {
  it('txKeyOf(outpoint) is hashKey(outpoint.hash) (OutPoint.key() starts with it)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(0xffffffff), (hash, index) => {
        assert.equal(txKeyOf(new OutPoint(hash, index)), hashKey(hash));
      }),
    );
  });
});

describe('PoolIndex: package bookkeeping (property)', () => {
  it('ancestor/descendant figures, totals, indexes and the eviction order stay exact', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 80, size: 'max' }), (ops) => {
        const pool = new PoolIndex();
        let serial = 0;
        /** Confirmed entries whose children stayed: candidates to come back as after a reorg. */
        const confirmed: MempoolEntry[] = [];
        const build = (inputs: OutPoint[], fee: number, vsize: number, sigops: number) => {
          const tx = new Transaction(
            2,
            inputs.map((p) => new TxIn(p, new Uint8Array(0))),
            [new TxOut(1000, Uint8Array.of(0x51)), new TxOut(1000, Uint8Array.of(0x51))],
            serial++,
          );
          return new MempoolEntry(tx, fee, 0, 1, sigops, vsize, false, serial);
        };
        const add = (entry: MempoolEntry) => {
          const r = calculateAncestors(pool.parentsOf(entry.tx), entry.vsize, NO_LIMITS);
          assert.ok(r.ok);
          pool.add(entry, r.ancestors);
        };
        for (const op of ops) {
          const all = [...pool.entries()];
          const pick = (n: number) => all[n % all.length];
          if (op.kind === 'add') {
            const inputs: OutPoint[] = [];
            for (const p of op.parents) {
              const parent = pick(p);
              if (parent === undefined) continue;
              const free = [0, 1].find((i) => pool.spender(new OutPoint(parent.txid, i)) === undefined);
              if (free !== undefined && !inputs.some((o) => o.equals(new OutPoint(parent.txid, free)))) {
                inputs.push(new OutPoint(parent.txid, free));
              }
            }
            // A confirmed coin too, so every transaction has an input.
            inputs.push(new OutPoint(new Uint8Array(32).fill(serial % 251), serial));
            add(build(inputs, op.fee, op.vsize, op.sigops));
          } else if (op.kind === 'evict') {
            const victim = pick(op.pick);
            if (victim === undefined) continue;
            const stage = victim.descendants();
            stage.add(victim);
            pool.remove(stage);
          } else if (op.kind === 'confirm') {
            // Only a transaction without unconfirmed parents can be mined; its children stay.
            const roots = all.filter((e) => e.parents.size === 0);
            const victim = roots[op.pick % Math.max(1, roots.length)];
            if (victim === undefined) continue;
            pool.remove(new Set([victim]));
            if (victim.tx.inputs.every((i) => pool.spender(i.prevout) === undefined)) confirmed.push(victim);
          } else if (op.kind === 'delta') {
            const target = pick(op.pick);
            if (target !== undefined) pool.applyFeeDelta(target, op.delta);
          } else {
            // A reorg returns a confirmed transaction below its children (fresh entry, as the mempool makes).
            const back = confirmed.pop();
            if (back === undefined || back.tx.inputs.some((i) => pool.spender(i.prevout) !== undefined))
              continue;
            const again = new MempoolEntry(back.tx, back.fee, 0, 1, back.sigOpCost, back.vsize, false, 0);
            add(again);
          }
          assertConsistent(pool);
        }
      }),
      { numRuns: 150 },
    );
  });
});
