import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PricedCoin } from '../../../src/wallet/coin-selection/types.js';
import {
  bestSelection,
  changeAmount,
  makeSelection,
  wasteOf,
} from '../../../src/wallet/coin-selection/waste.js';
import { COIN, candidate } from './support.js';

/** Core's waste_test (coinselector_tests.cpp): the waste metric's parts, case by case. */

const fee = 100;
const changeCost = 125;
const feeDiff = 40;
const inAmount = 3 * COIN;
const target = 2 * COIN;
const excess = inAmount - fee * 2 - target;

/** Two inputs of 1 and 2 BTC paying `fee` now and `longTermFee` later, as Core's add_coin. */
function inputs(f: number, longTermFee: number): PricedCoin[] {
  return [1 * COIN, 2 * COIN].map((value) => ({
    coin: candidate(value),
    fee: f,
    longTermFee,
    effectiveValue: value - f,
    amount: value - f,
    weight: 272,
  }));
}

/** Change parameters under which a change output is (or is not) made for these selections. */
function change(cost: number): { changeFee: number; costOfChange: number; minViableChange: number } {
  // With a cost of change, Core's test makes change (min viable change 0); without, none.
  return cost > 0
    ? { changeFee: 0, costOfChange: cost, minViableChange: 1 }
    : { changeFee: 0, costOfChange: 0, minViableChange: Number.POSITIVE_INFINITY };
}

describe('waste metric (Core waste_test)', () => {
  it('with change: cost of change plus the fee differences', () => {
    assert.equal(
      wasteOf(inputs(fee, fee - feeDiff), target, true, change(changeCost)),
      feeDiff * 2 + changeCost,
    );
  });
  it('without change: the excess plus the fee differences', () => {
    assert.equal(wasteOf(inputs(fee, fee - feeDiff), target, true, change(0)), feeDiff * 2 + excess);
  });
  it('fee equal to the long-term fee: only the cost of change, or only the excess', () => {
    assert.equal(wasteOf(inputs(fee, fee), target, true, change(changeCost)), changeCost);
    assert.equal(wasteOf(inputs(fee, fee), target, true, change(0)), excess);
  });
  it('grows with the fee, shrinks when the long-term fee is higher', () => {
    const base = wasteOf(inputs(fee, fee - feeDiff), target, true, change(changeCost));
    assert.ok(wasteOf(inputs(fee * 2, fee - feeDiff), target, true, change(changeCost)) > base);
    assert.ok(wasteOf(inputs(fee, fee + feeDiff), target, true, change(changeCost)) < base);
  });
  it('is zero in the balanced cases', () => {
    assert.equal(wasteOf(inputs(fee, fee), inAmount - fee * 2, true, change(0)), 0);
    assert.equal(wasteOf(inputs(fee, fee + feeDiff), target, true, change(feeDiff * 2)), 0);
    assert.equal(wasteOf(inputs(fee, fee + feeDiff), inAmount - fee * 2 - feeDiff * 2, true, change(0)), 0);
  });
  it('is negative when spending now is cheaper than later and nothing is lost', () => {
    const exact = inAmount - fee * 2;
    assert.equal(wasteOf(inputs(fee, fee + feeDiff), exact, true, change(0)), -feeDiff * 2);
  });
  it('counts plain values when fees come from the outputs', () => {
    // No change: the excess is measured on values, not effective values.
    assert.equal(wasteOf(inputs(fee, fee), target, false, change(0)), inAmount - target);
  });
});

describe('change decision (Core GetChange)', () => {
  const totals = { selectedValue: 3 * COIN, selectedEffectiveValue: 3 * COIN - 200, target: 2 * COIN };
  it('keeps change at or above the minimum viable amount', () => {
    assert.equal(changeAmount({ ...totals, useEffectiveValue: true }, 1000, 50), COIN - 250);
    assert.equal(changeAmount({ ...totals, useEffectiveValue: true }, COIN - 250, 50), COIN - 250);
    assert.equal(changeAmount({ ...totals, useEffectiveValue: true }, COIN - 249, 50), 0);
  });
  it('pays no change fee from values when fees come from the outputs', () => {
    assert.equal(changeAmount({ ...totals, useEffectiveValue: false }, 1000, 50), COIN);
  });
});

describe('choosing among results (SelectionResult::operator<)', () => {
  it('takes the least waste, and more inputs on a tie', () => {
    const c = change(0);
    const one = makeSelection('srd', inputs(fee, fee).slice(1), 2 * COIN - fee, true, c);
    const two = makeSelection('knapsack', inputs(fee, fee), 3 * COIN - 2 * fee, true, c);
    assert.equal(one.waste, 0);
    assert.equal(two.waste, 0);
    assert.equal(bestSelection([one, two]), two);
    assert.equal(bestSelection([two, one]), two);
    const worse = makeSelection('bnb', inputs(fee, fee), 3 * COIN - 2 * fee - 1, true, c);
    assert.equal(bestSelection([worse, one]), one);
    assert.equal(bestSelection([]), undefined);
  });
});
