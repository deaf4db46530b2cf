import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectCoinGrinder } from '../../../src/wallet/coin-selection/coin-grinder.js';
import { selectKnapsack } from '../../../src/wallet/coin-selection/knapsack.js';
import { sortPool } from '../../../src/wallet/coin-selection/pool.js';
import { seededRandom } from '../../../src/wallet/coin-selection/random.js';
import { CHANGE_LOWER, selectSrd } from '../../../src/wallet/coin-selection/srd.js';
import type { AlgorithmOutcome, PricedCoin, SortedPool } from '../../../src/wallet/coin-selection/types.js';
import { amountsOf, CENT, candidate, csParams, FEERATES, P2WPKH_INPUT_VSIZE, pool } from './support.js';

const MAX_WEIGHT = 400_000;
const total = (o: AlgorithmOutcome): number => (o.ok ? o.inputs.reduce((s, c) => s + c.amount, 0) : -1);
const weightOf = (o: AlgorithmOutcome): number => (o.ok ? o.inputs.reduce((s, c) => s + c.weight, 0) : -1);

/** A priced coin with a chosen amount and weight, for hand-built pools. */
function coin(amount: number, weight: number): PricedCoin {
  return { coin: candidate(amount), fee: 0, longTermFee: 0, effectiveValue: amount, amount, weight };
}

describe('SRD (Core srd_test)', () => {
  for (const rate of FEERATES) {
    it(`${rate} sat/kvB`, () => {
      const params = csParams(rate);
      const rng = seededRandom(rate);
      const srd = (p: SortedPool, target: number, maxWeight = MAX_WEIGHT) =>
        selectSrd(p, target, params.changeFee, maxWeight, rng);
      const succeeds = (p: SortedPool, target: number, title: string, maxWeight = MAX_WEIGHT): void => {
        const o = srd(p, target, maxWeight);
        assert.ok(o.ok, title);
        assert.ok(total(o) >= target + params.changeFee + CHANGE_LOWER, `${title}: too little selected`);
        assert.ok(weightOf(o) <= maxWeight, `${title}: too heavy`);
      };
      assert.equal(srd(pool([], params), CENT).ok, false, 'Empty UTXO pool');
      let p = pool([1 * CENT, 3 * CENT, 5 * CENT], params);
      for (const target of [21_000, 1 * CENT, 3_125_000, 4 * CENT, 7 * CENT])
        succeeds(p, target, `Select ${target}`);
      // The least it leaves is CHANGE_LOWER plus the change output's fee.
      const edge = 9 * CENT - params.changeFee - CHANGE_LOWER;
      succeeds(p, edge, 'Create minimum change');
      assert.equal(srd(p, edge + 1).ok, false, 'Undershoot minimum change by one sat');
      assert.equal(srd(p, 9 * CENT + 1).ok, false, 'Spend more than available');
      assert.equal(srd(p, 9 * CENT).ok, false, 'Spend everything');

      p = pool(
        [
          1 * CENT,
          3 * CENT,
          5 * CENT,
          ...Array<number>(100).fill(5 * CENT),
          ...Array<number>(3).fill(7 * CENT),
        ],
        params,
      );
      succeeds(
        p,
        20 * CENT,
        'Select most valuable UTXOs for acceptable weight',
        4 * 4 * (P2WPKH_INPUT_VSIZE - 1),
      );
      const tooHeavy = srd(p, 25 * CENT, 4 * 3 * P2WPKH_INPUT_VSIZE);
      assert.equal(tooHeavy.ok, false, 'No acceptable weight possible');
      if (!tooHeavy.ok) assert.equal(tooHeavy.maxWeightExceeded, true);
    });
  }

  it('draws the same coins from the same seed, different ones from another', () => {
    const params = csParams(1000);
    const p = pool(
      Array.from({ length: 200 }, (_, i) => (i + 1) * 10_000),
      params,
    );
    const a = selectSrd(p, 3 * CENT, params.changeFee, MAX_WEIGHT, seededRandom(7));
    const b = selectSrd(p, 3 * CENT, params.changeFee, MAX_WEIGHT, seededRandom(7));
    const c = selectSrd(p, 3 * CENT, params.changeFee, MAX_WEIGHT, seededRandom(8));
    assert.ok(a.ok && b.ok && c.ok);
    assert.deepEqual(amountsOf(a.inputs), amountsOf(b.inputs));
    assert.notDeepEqual(amountsOf(a.inputs), amountsOf(c.inputs));
  });
});

describe('CoinGrinder', () => {
  it('finds the lightest funding set of the example in Core’s description', () => {
    // A=[10/2], B=[7/1], C=[5/1], D=[4/2], target 11: {B, C} weighs 2, every other solution more.
    const p = sortPool([coin(10, 2), coin(7, 1), coin(5, 1), coin(4, 2)]);
    const o = selectCoinGrinder(p, 11, 0, MAX_WEIGHT);
    assert.ok(o.ok);
    assert.deepEqual(amountsOf(o.inputs), [5, 7]);
    assert.equal(weightOf(o), 2);
    // Core's walk visits 10 nodes without its extra cuts; with them, no more.
    assert.ok((o.tries ?? 0) <= 10, `visited ${o.tries}`);
  });

  it('adds the change budget to the target', () => {
    const p = sortPool([coin(10, 2), coin(7, 1), coin(5, 1), coin(4, 2)]);
    const o = selectCoinGrinder(p, 11, 5, MAX_WEIGHT);
    assert.ok(o.ok);
    assert.ok(total(o) >= 16);
    assert.equal(weightOf(o), 3);
  });

  it('prefers fewer funds tied up among equally light sets', () => {
    const p = sortPool([coin(20, 4), coin(12, 4), coin(11, 4)]);
    const o = selectCoinGrinder(p, 10, 0, MAX_WEIGHT);
    assert.ok(o.ok);
    assert.deepEqual(amountsOf(o.inputs), [11]);
  });

  it('reports insufficient funds and excessive weight apart', () => {
    const p = sortPool([coin(10, 100), coin(10, 100), coin(10, 100)]);
    const poor = selectCoinGrinder(p, 31, 0, MAX_WEIGHT);
    assert.ok(!poor.ok && !poor.maxWeightExceeded);
    const heavy = selectCoinGrinder(p, 25, 0, 250);
    assert.ok(!heavy.ok && heavy.maxWeightExceeded);
    const fits = selectCoinGrinder(p, 20, 0, 200);
    assert.ok(fits.ok && weightOf(fits) === 200);
  });

  it('skips clones without missing the solution (many equal coins)', () => {
    const coins = [
      coin(5 * CENT, 272),
      ...Array.from({ length: 5000 }, () => coin(CENT, 272)),
      coin(CENT, 200),
    ];
    const o = selectCoinGrinder(sortPool(coins), 3 * CENT, 0, MAX_WEIGHT);
    assert.ok(o.ok);
    assert.deepEqual(amountsOf(o.inputs), [5 * CENT]);
    const o2 = selectCoinGrinder(sortPool(coins.slice(1)), 3 * CENT, 0, MAX_WEIGHT);
    assert.ok(o2.ok);
    // Three coins, the 200-weight one among them.
    assert.equal(weightOf(o2), 272 * 2 + 200);
  });
});

describe('Knapsack', () => {
  const params = csParams(0);
  const knap = (amounts: number[], target: number, changeTarget = 50_000, seed = 1) =>
    selectKnapsack(pool(amounts, params), target, changeTarget, MAX_WEIGHT, seededRandom(seed));

  it('takes a single coin equal to the target', () => {
    const o = knap([1 * CENT, 2 * CENT, 3 * CENT, 5 * CENT], 3 * CENT);
    assert.ok(o.ok);
    assert.deepEqual(amountsOf(o.inputs), [3 * CENT]);
  });
  it('takes all the smaller coins when they add up exactly', () => {
    const o = knap([10_000, 20_000, 30_000, 5 * CENT], 60_000);
    assert.ok(o.ok);
    assert.deepEqual(amountsOf(o.inputs), [10_000, 20_000, 30_000]);
  });
  it('takes the smallest larger coin when the smaller ones fall short', () => {
    const o = knap([10_000, 20_000, 4 * CENT, 2 * CENT], 100_000);
    assert.ok(o.ok);
    assert.deepEqual(amountsOf(o.inputs), [2 * CENT]);
  });
  it('finds an exact subset of smaller coins', () => {
    const o = knap([1 * CENT, 2 * CENT, 3 * CENT, 4 * CENT, 20 * CENT], 7 * CENT, 10 * CENT);
    assert.ok(o.ok);
    assert.equal(total(o), 7 * CENT);
  });
  it('prefers the larger coin when no subset leaves room for change', () => {
    // The small coins cover 100,000 (with 120,000) but not 100,000 + the 50,000 change target.
    const o = knap([60_000, 60_000, 5 * CENT], 100_000, 50_000);
    assert.ok(o.ok);
    assert.deepEqual(amountsOf(o.inputs), [5 * CENT]);
  });
  it('fails without enough coins', () => {
    const o = knap([10_000, 20_000], 100_000);
    assert.ok(!o.ok && !o.maxWeightExceeded);
  });
  it('always covers the target, and repeats itself from the same seed', () => {
    const amounts = Array.from({ length: 300 }, (_, i) => 1000 + ((i * 7919) % 100_000));
    for (let seed = 1; seed < 20; seed++) {
      const a = knap(amounts, 1_234_567, 80_000, seed);
      const b = knap(amounts, 1_234_567, 80_000, seed);
      assert.ok(a.ok && b.ok);
      assert.ok(total(a) >= 1_234_567);
      assert.deepEqual(amountsOf(a.inputs), amountsOf(b.inputs));
    }
  });
});
