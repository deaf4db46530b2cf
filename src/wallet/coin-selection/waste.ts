import type { AlgorithmName, ChangeParams, PricedCoin, Selection } from './types.js';

/**
 * Core's SelectionResult::GetChange: what is left for a change output after the target and the change
 * output's own fee, or 0 when that is below the smallest change worth keeping (it then goes to fees).
 * When fees come from the outputs, amounts are plain values and the change pays no fee of its own here.
 */
export function changeAmount(
  selection: Pick<Selection, 'selectedValue' | 'selectedEffectiveValue' | 'target' | 'useEffectiveValue'>,
  minViableChange: number,
  changeFee: number,
): number {
  const change = selection.useEffectiveValue
    ? selection.selectedEffectiveValue - selection.target - changeFee
    : selection.selectedValue - selection.target;
  return change < minViableChange ? 0 : change;
}

/**
 * Core's waste metric (SelectionResult::RecalculateWaste), in satoshis:
 *   Σ (fee − long-term fee) over the inputs
 *   + cost of change, when a change output is made,
 *   + the excess over the target given to the miner, when none is.
 * Spending inputs now at a rate above the long-term rate wastes the difference; a change output costs
 * its creation and later spend; an overshoot without change is lost to fees. Lower is better.
 */
export function wasteOf(
  inputs: readonly PricedCoin[],
  target: number,
  useEffectiveValue: boolean,
  change: ChangeParams,
): number {
  let waste = 0;
  let value = 0;
  let effective = 0;
  for (const input of inputs) {
    waste += input.fee - input.longTermFee;
    value += input.coin.value;
    effective += input.effectiveValue;
  }
  const selection = { selectedValue: value, selectedEffectiveValue: effective, target, useEffectiveValue };
  if (changeAmount(selection, change.minViableChange, change.changeFee) > 0)
    return waste + change.costOfChange;
  return waste + (useEffectiveValue ? effective : value) - target;
}

/** Builds a Selection with its totals and waste. */
export function makeSelection(
  algorithm: AlgorithmName,
  inputs: readonly PricedCoin[],
  target: number,
  useEffectiveValue: boolean,
  change: ChangeParams,
): Selection {
  let selectedValue = 0;
  let selectedEffectiveValue = 0;
  let weight = 0;
  for (const input of inputs) {
    selectedValue += input.coin.value;
    selectedEffectiveValue += input.effectiveValue;
    weight += input.weight;
  }
  return {
    algorithm,
    inputs,
    target,
    selectedValue,
    selectedEffectiveValue,
    weight,
    useEffectiveValue,
    waste: wasteOf(inputs, target, useEffectiveValue, change),
  };
}

/**
 * Core's SelectionResult::operator< as std::min_element uses it: lower waste wins; on equal waste the
 * selection with more inputs (consolidating now, while it costs no more).
 */
export function isBetterSelection(a: Selection, b: Selection): boolean {
  return a.waste < b.waste || (a.waste === b.waste && a.inputs.length > b.inputs.length);
}

export function bestSelection(selections: readonly Selection[]): Selection | undefined {
  let best: Selection | undefined;
  for (const s of selections) if (best === undefined || isBetterSelection(s, best)) best = s;
  return best;
}
