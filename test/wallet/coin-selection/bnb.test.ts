import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BNB_TOTAL_TRIES, selectBnB } from '../../../src/wallet/coin-selection/bnb.js';
import { priceCoin, sortPool } from '../../../src/wallet/coin-selection/pool.js';
import type { AlgorithmOutcome, SortedPool } from '../../../src/wallet/coin-selection/types.js';
import {
  amountsOf,
  CENT,
  candidate,
  csParams,
  FEERATES,
  makeCoin,
  P2WPKH_INPUT_VSIZE,
  pool,
  type TestParams,
} from './support.js';

/**
 * Core's SelectCoinsBnB known outcomes: the bnb_test and bnb_feerate_sensitivity_test cases of
 * src/wallet/test/coinselection_tests.cpp, and the iteration-limit case of coinselector_tests.cpp.
 */

const MAX_WEIGHT = 400_000;

function bnb(p: SortedPool, target: number, params: TestParams, maxWeight = MAX_WEIGHT): AlgorithmOutcome {
  return selectBnB(p, target, params.costOfChange, maxWeight);
}

function expectSuccess(outcome: AlgorithmOutcome, expected: number[], title: string): void {
  assert.ok(outcome.ok, `${title}: no solution`);
  assert.deepEqual(
    amountsOf(outcome.inputs),
    [...expected].sort((a, b) => a - b),
    title,
  );
}

function expectFail(outcome: AlgorithmOutcome, title: string, maxWeightExceeded = false): void {
  assert.equal(outcome.ok, false, `${title}: unexpected solution`);
  if (!outcome.ok) assert.equal(outcome.maxWeightExceeded, maxWeightExceeded, `${title}: max weight flag`);
}

describe('BnB: Core bnb_test at every test fee rate', () => {
  for (const rate of FEERATES) {
    it(`${rate} sat/kvB`, () => {
      const params = csParams(rate);
      expectFail(bnb(pool([], params), CENT, params), 'Empty UTXO pool');
      const p = pool([1 * CENT, 3 * CENT, 5 * CENT], params);
      expectSuccess(bnb(p, 1 * CENT, params), [1 * CENT], 'Select smallest UTXO');
      expectSuccess(bnb(p, 3 * CENT, params), [3 * CENT], 'Select middle UTXO');
      expectSuccess(bnb(p, 5 * CENT, params), [5 * CENT], 'Select biggest UTXO');
      expectSuccess(bnb(p, 4 * CENT, params), [1 * CENT, 3 * CENT], 'Select two UTXOs');
      expectSuccess(bnb(p, 9 * CENT, params), [1 * CENT, 3 * CENT, 5 * CENT], 'Select all UTXOs');
      // A changeless solution may overshoot by up to the cost of change, and not one satoshi more.
      expectSuccess(
        bnb(p, 4 * CENT - params.costOfChange, params),
        [1 * CENT, 3 * CENT],
        'Select upper bound',
      );
      expectFail(bnb(p, 4 * CENT - params.costOfChange - 1, params), 'Overshoot upper bound');
      const twoInputs = 4 * 2 * P2WPKH_INPUT_VSIZE;
      expectSuccess(bnb(p, 4 * CENT, params, twoInputs), [1 * CENT, 3 * CENT], 'Select max weight');
      expectFail(bnb(p, 4 * CENT, params, twoInputs - 1), 'Exceed max weight', true);
      expectFail(bnb(p, 0.5 * CENT, params), 'Smallest combination too big');
      expectFail(bnb(p, 7 * CENT, params), 'No UTXO combination in target window');
      expectFail(bnb(p, 10 * CENT, params), 'Select more than available');

      // Equivalent sets are skipped: 50,000 identical coins do not exhaust the search.
      const clones = pool([2 * CENT, 7 * CENT, 7 * CENT, ...Array<number>(50_000).fill(5 * CENT)], params);
      expectSuccess(
        bnb(clones, 16 * CENT, params),
        [2 * CENT, 7 * CENT, 7 * CENT],
        'Skip equivalent input sets',
      );

      // 17 near-equal coins: every combination of eight overshoots except the eight smallest, found
      // just within the attempt limit; an 18th such coin pushes the search past it.
      const doppelgangers: number[] = [];
      for (let i = 0; i < 17; i++) doppelgangers.push(i < 8 ? CENT + i : CENT + params.costOfChange + i);
      const expected = doppelgangers.slice(0, 8);
      expectSuccess(bnb(pool(doppelgangers, params), 8 * CENT, params), expected, 'Combine smallest 8 of 17');
      doppelgangers.push(CENT + params.costOfChange + 17);
      expectFail(bnb(pool(doppelgangers, params), 8 * CENT, params), 'Exhaust looking for smallest 8 of 18');
    });
  }
});

describe('BnB: fee-rate sensitivity (Core bnb_feerate_sensitivity_test)', () => {
  it('prefers more inputs below the long-term rate and fewer above it', () => {
    const low = csParams(5000);
    const lowPool = [2, 3, 5, 10].map((c) => makeCoin(c * CENT, low));
    expectSuccess(
      bnb(sortPool(lowPool), 10 * CENT, low),
      [2 * CENT, 3 * CENT, 5 * CENT],
      'many inputs at low rates',
    );
    const high = csParams(25_000);
    const highPool = [2, 3, 5, 10].map((c) => makeCoin(c * CENT, high));
    expectSuccess(bnb(sortPool(highPool), 10 * CENT, high), [10 * CENT], 'one input at high rates');

    // Heavy inputs (500 vB) are preferred while spending is cheaper now than later, and avoided after.
    lowPool.push(makeCoin(6 * CENT, low, 500), makeCoin(7 * CENT, low, 500));
    expectSuccess(
      bnb(sortPool(lowPool), 13 * CENT, low),
      [6 * CENT, 7 * CENT],
      'two heavy inputs at low rates',
    );
    highPool.push(makeCoin(6 * CENT, high, 500), makeCoin(7 * CENT, high, 500));
    expectSuccess(
      bnb(sortPool(highPool), 13 * CENT, high),
      [3 * CENT, 10 * CENT],
      'two light inputs at high rates',
    );
  });
});

describe('BnB: the attempt limit (Core make_hard_case)', () => {
  /** Coins 2^(k+i) and 2^(k+i) + 2^(k−1−i): only the first of each pair sums exactly to the target. */
  function hardCase(k: number): { p: SortedPool; target: number } {
    const coins = [];
    let target = 0;
    for (let i = 0; i < k; i++) {
      target += 2 ** (k + i);
      coins.push(priceCoin(candidate(2 ** (k + i)), 0, 0, false));
      coins.push(priceCoin(candidate(2 ** (k + i) + 2 ** (k - 1 - i)), 0, 0, false));
    }
    return { p: sortPool(coins), target };
  }

  it(`gives up after ${BNB_TOTAL_TRIES} tries with 17 pairs, finds it with 14`, () => {
    const hard = hardCase(17);
    assert.equal(selectBnB(hard.p, hard.target, 1, MAX_WEIGHT).ok, false);
    const easier = hardCase(14);
    const found = selectBnB(easier.p, easier.target, 1, MAX_WEIGHT);
    assert.ok(found.ok);
    assert.equal(
      found.inputs.reduce((s, c) => s + c.amount, 0),
      easier.target,
    );
    assert.ok((found.tries ?? 0) < BNB_TOTAL_TRIES);
  });

  it('counts its tries', () => {
    const params = csParams(1000);
    const found = bnb(pool([1 * CENT, 3 * CENT, 5 * CENT], params), 4 * CENT, params);
    assert.ok(found.ok);
    assert.ok((found.tries ?? 0) > 0 && (found.tries ?? 0) < 20);
  });
});
