import { selectBnB } from './bnb.js';
import { selectCoinGrinder } from './coin-grinder.js';
import {
  DEFAULT_ELIGIBILITY_OPTIONS,
  type EligibilityOptions,
  eligibilityFilters,
  isEligible,
  isEligibleForAny,
  reachesChainLimit,
} from './eligibility.js';
import { CoinSelectionError, type CoinSelectionErrorCode, InsufficientFundsError } from './errors.js';
import { selectKnapsack } from './knapsack.js';
import { filterPool, positivePart } from './pool.js';
import type { RandomSource } from './random.js';
import { selectSrd } from './srd.js';
import type { AlgorithmOutcome, ChangeParams, PricedCoin, Selection, SortedPool } from './types.js';
import { bestSelection, makeSelection } from './waste.js';

/**
 * Running the algorithms and choosing among them (Core's ChooseSelectionResult, AttemptSelection,
 * AutomaticCoinSelection and SelectCoins in wallet/spend.cpp).
 */

/** Core's CoinSelectionParams, less what only building the transaction needs. */
export interface SelectionParams extends ChangeParams {
  /** sat/kvB now, and the long-term rate (-consolidatefeerate) the waste metric compares with. */
  readonly effectiveFeeRate: number;
  readonly longTermFeeRate: number;
  /** The change amount Knapsack and CoinGrinder aim for (GenerateChangeTarget). */
  readonly minChangeTarget: number;
  /** Fees come out of the recipients: amounts are values, and BnB (changeless) is skipped. */
  readonly subtractFeeOutputs: boolean;
  /** Weight the inputs may add: the maximum transaction weight less the weight without inputs. */
  readonly maxSelectionWeight: number;
  /** Weight of the change output, kept free for the algorithms that make change. */
  readonly changeOutputWeight: number;
  readonly knapsackVisitBudget?: number;
}

/** Either a selection, or why none: a specific error (max weight) or plain insufficiency. */
export type ChooseResult =
  | { readonly ok: true; readonly selection: Selection; readonly candidates: readonly Selection[] }
  | { readonly ok: false; readonly error: CoinSelectionErrorCode | undefined };

const fail = (error?: CoinSelectionErrorCode): ChooseResult => ({ ok: false, error });

/**
 * Core's ChooseSelectionResult: every algorithm over one pool, and the result with the least waste
 * (more inputs on a tie). `candidates` holds every algorithm's result, for diagnostics and tests.
 */
export function chooseSelection(
  pool: SortedPool,
  target: number,
  params: SelectionParams,
  rng: RandomSource,
): ChooseResult {
  let maxWeight = params.maxSelectionWeight;
  if (maxWeight <= 0) return fail('max-weight-below-overhead');
  const positive = positivePart(pool);
  const outcomes: AlgorithmOutcome[] = [];
  // BnB only finds changeless sets, which subtracting fees from outputs does not fit (Core).
  if (!params.subtractFeeOutputs) outcomes.push(selectBnB(positive, target, params.costOfChange, maxWeight));
  // The others may make change, whose output must fit too.
  maxWeight -= params.changeOutputWeight;
  if (maxWeight < 0 && !outcomes.some((o) => o.ok)) return fail('max-weight-below-change');
  outcomes.push(
    selectKnapsack(pool, target, params.minChangeTarget, maxWeight, rng, params.knapsackVisitBudget),
  );
  // Minimise weight only where fees are high: above 3× the long-term rate (30 sat/vB by default).
  if (params.effectiveFeeRate > 3 * params.longTermFeeRate) {
    outcomes.push(selectCoinGrinder(positive, target, params.minChangeTarget, maxWeight));
  }
  outcomes.push(selectSrd(positive, target, params.changeFee, maxWeight, rng));

  const useEffective = !params.subtractFeeOutputs;
  const candidates: Selection[] = [];
  for (const o of outcomes) {
    if (o.ok) candidates.push(makeSelection(o.algorithm, o.inputs, target, useEffective, params));
  }
  const selection = bestSelection(candidates);
  if (selection === undefined) {
    return fail(outcomes.some((o) => !o.ok && o.maxWeightExceeded) ? 'max-weight-exceeded' : undefined);
  }
  return { ok: true, selection, candidates };
}

/**
 * Core's AttemptSelection: each output type on its own first (a transaction spending one type reveals
 * less about the wallet), the least wasteful of those; all types together only if none suffices and
 * the filter allows mixing.
 */
export function attemptSelection(
  pool: SortedPool,
  target: number,
  params: SelectionParams,
  rng: RandomSource,
  allowMixedOutputTypes: boolean,
): ChooseResult {
  // One pass splits the pool by type, keeping the order (a filter pass per type measured slower).
  const firstType = pool[0]?.coin.outputType;
  let byType: Map<string | undefined, PricedCoin[]> | undefined;
  for (let i = 0; i < pool.length; i++) {
    const type = pool[i]!.coin.outputType;
    if (byType === undefined) {
      if (type === firstType) continue;
      byType = new Map([[firstType, pool.slice(0, i)]]);
    }
    const list = byType.get(type);
    if (list === undefined) byType.set(type, [pool[i]!]);
    else list.push(pool[i]!);
  }
  if (byType === undefined) return chooseSelection(pool, target, params, rng);
  const results: Selection[] = [];
  for (const coins of byType.values()) {
    const ofType = coins as unknown as SortedPool;
    // A type without enough value cannot fund it alone: skip its algorithms (BnB alone may spend
    // its 100,000 tries otherwise).
    if (positiveTotal(ofType) < target) continue;
    const r = chooseSelection(ofType, target, params, rng);
    if (r.ok) results.push(r.selection);
    else if (r.error !== undefined) return r;
  }
  const best = bestSelection(results);
  if (best !== undefined) return { ok: true, selection: best, candidates: results };
  return allowMixedOutputTypes ? chooseSelection(pool, target, params, rng) : fail();
}

function positiveTotal(coins: readonly PricedCoin[]): number {
  let sum = 0;
  for (const c of coins) if (c.amount > 0) sum += c.amount;
  return sum;
}

/**
 * Core's AutomaticCoinSelection: the eligibility filters from strictest to loosest, stopping at the
 * first that yields a selection. Pools without enough value for the target are skipped without
 * running the algorithms (none of them could succeed). Throws the first specific error met, else
 * InsufficientFundsError, or the long-chain error when only coins beyond the mempool's chain limits
 * would have sufficed.
 */
export function automaticSelection(
  pool: SortedPool,
  target: number,
  params: SelectionParams,
  rng: RandomSource,
  eligibility: EligibilityOptions = DEFAULT_ELIGIBILITY_OPTIONS,
): Selection {
  const filters = eligibilityFilters(eligibility);
  let firstError: CoinSelectionErrorCode | undefined;
  if (positiveTotal(pool) >= target) {
    // Each filter costs one pass over the coins, and the first usually succeeds: filtering them all
    // up front, as Core groups them, measured 0.6 ms on 10,000 coins.
    for (const f of filters) {
      let total = 0;
      const eligible = filterPool(pool, (c) => {
        if (!isEligible(c.coin, f)) return false;
        if (c.amount > 0) total += c.amount;
        return true;
      });
      // No algorithm can reach a target above the pool's total: skip without running them.
      if (total < target) continue;
      const r = attemptSelection(eligible, target, params, rng, f.allowMixedOutputTypes);
      if (r.ok) return r.selection;
      firstError ??= r.error;
    }
  }
  if (firstError !== undefined) throw new CoinSelectionError(firstError);
  // Only now tell plain insufficiency from coins held back by the mempool's chain limits.
  let eligibleTotal = 0;
  let longChainTotal = 0;
  for (const c of pool) {
    if (c.amount <= 0) continue;
    if (isEligibleForAny(c.coin, filters)) eligibleTotal += c.amount;
    else if (reachesChainLimit(c.coin, eligibility)) longChainTotal += c.amount;
  }
  // Core compares this sum as intended here (its C++ expression assigns a bool first).
  if (eligibleTotal < target && eligibleTotal + longChainTotal >= target) {
    throw new CoinSelectionError('long-mempool-chain');
  }
  throw new InsufficientFundsError();
}

/**
 * Core's SelectCoins: preset inputs (coin control) are always spent and count toward the target; the
 * rest comes from automatic selection over `pool`, unless other inputs are not allowed.
 */
export function selectCoins(
  pool: SortedPool,
  preset: readonly PricedCoin[],
  target: number,
  params: SelectionParams,
  rng: RandomSource,
  options: { allowOtherInputs: boolean; eligibility?: EligibilityOptions },
): Selection {
  const useEffective = !params.subtractFeeOutputs;
  let presetTotal = 0;
  for (const c of preset) presetTotal += c.amount;
  const remaining = target - presetTotal;
  if (!options.allowOtherInputs && remaining > 0) throw new CoinSelectionError('preset-insufficient');
  if (remaining <= 0) return makeSelection('manual', preset, target, useEffective, params);
  const presetKeys = new Set(preset.map((c) => c.coin.outpoint.key()));
  const others =
    presetKeys.size === 0 ? pool : filterPool(pool, (c) => !presetKeys.has(c.coin.outpoint.key()));
  if (remaining > positiveTotal(others)) throw new InsufficientFundsError();
  const auto = automaticSelection(others, remaining, params, rng, options.eligibility);
  if (preset.length === 0) return auto;
  return makeSelection(auto.algorithm, [...auto.inputs, ...preset], target, useEffective, params);
}
