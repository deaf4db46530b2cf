import { DEFAULT_ANCESTOR_LIMIT, DEFAULT_DESCENDANT_LIMIT } from '../../policy/constants.js';
import type { CoinCandidate } from './types.js';

/**
 * Core's CoinEligibilityFilter and the order AutomaticCoinSelection tries them in (wallet/spend.cpp):
 * fund from well-confirmed coins if possible, and only then relax, step by step, to unconfirmed change
 * with longer and longer mempool chains, so a payment leans on unconfirmed coins only when it must.
 */
export interface EligibilityFilter {
  /** Confirmations required of coins we created (our change). */
  readonly confMine: number;
  /** Confirmations required of coins others sent us. */
  readonly confTheirs: number;
  readonly maxAncestors: number;
  readonly maxDescendants: number;
  /** Core's include_partial (partial output groups): meaningful with -avoidpartialspends grouping only. */
  readonly includePartial: boolean;
  /** False on the first pass only: try each output type alone before mixing types (privacy). */
  readonly allowMixedOutputTypes: boolean;
}

export interface EligibilityOptions {
  /** -spendzeroconfchange (default true). */
  readonly spendZeroConfChange: boolean;
  /** Coin control's include_unsafe: unconfirmed coins from others. */
  readonly includeUnsafe: boolean;
  /** -walletrejectlongchains (default true): stay inside the mempool's chain limits. */
  readonly rejectLongChains: boolean;
  /** The node's -limitancestorcount and -limitdescendantcount. */
  readonly ancestorLimit: number;
  readonly descendantLimit: number;
}

export const DEFAULT_ELIGIBILITY_OPTIONS: EligibilityOptions = Object.freeze({
  spendZeroConfChange: true,
  includeUnsafe: false,
  rejectLongChains: true,
  ancestorLimit: DEFAULT_ANCESTOR_LIMIT,
  descendantLimit: DEFAULT_DESCENDANT_LIMIT,
});

function filter(
  confMine: number,
  confTheirs: number,
  maxAncestors: number,
  maxDescendants = maxAncestors,
  includePartial = false,
  allowMixedOutputTypes = true,
): EligibilityFilter {
  return { confMine, confTheirs, maxAncestors, maxDescendants, includePartial, allowMixedOutputTypes };
}

/** The filters in the order they are tried (Core's ordered_filters). */
export function eligibilityFilters(
  options: EligibilityOptions = DEFAULT_ELIGIBILITY_OPTIONS,
): EligibilityFilter[] {
  const maxAncestors = Math.max(1, options.ancestorLimit);
  const maxDescendants = Math.max(1, options.descendantLimit);
  // Six confirmations on coins from others and confirmed change only; one type at a time.
  const filters = [filter(1, 6, 0, 0, false, false), filter(1, 1, 0)];
  if (options.spendZeroConfChange) {
    filters.push(filter(0, 1, 2));
    filters.push(
      filter(0, 1, Math.min(4, Math.floor(maxAncestors / 3)), Math.min(4, Math.floor(maxDescendants / 3))),
    );
    filters.push(filter(0, 1, Math.floor(maxAncestors / 2), Math.floor(maxDescendants / 2)));
    filters.push(filter(0, 1, maxAncestors - 1, maxDescendants - 1, true));
    if (options.includeUnsafe) filters.push(filter(0, 0, maxAncestors - 1, maxDescendants - 1, true));
    // Ancestor counts of output groups are estimates; without the guard, let the mempool judge.
    if (!options.rejectLongChains) {
      filters.push(filter(0, 1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, true));
    }
  }
  return filters;
}

/** Core's OutputGroup::EligibleForSpending for a group of one coin. */
export function isEligible(coin: CoinCandidate, f: EligibilityFilter): boolean {
  return (
    coin.confirmations >= (coin.fromMe ? f.confMine : f.confTheirs) &&
    (coin.ancestors ?? 0) <= f.maxAncestors &&
    (coin.descendants ?? 0) <= f.maxDescendants
  );
}

/**
 * Whether a coin passes any of the filters; coins that pass none are Core's "discarded" groups. (The
 * filters mostly loosen one after another, but not always: with an ancestor limit of 2, the third
 * admits more ancestors than the sixth.)
 */
export function isEligibleForAny(coin: CoinCandidate, filters: readonly EligibilityFilter[]): boolean {
  for (const f of filters) if (isEligible(coin, f)) return true;
  return false;
}

/** Core's long-chain test for a discarded coin: it reaches the mempool's ancestor or descendant limit. */
export function reachesChainLimit(coin: CoinCandidate, options: EligibilityOptions): boolean {
  return (
    (coin.ancestors ?? 0) >= Math.max(1, options.ancestorLimit) ||
    (coin.descendants ?? 0) >= Math.max(1, options.descendantLimit)
  );
}
