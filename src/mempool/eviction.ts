import { feeRateOf } from '../policy/fee-rate.js';
import type { MempoolEntry } from './entry.js';
import type { RollingFeeFloor } from './fee-floor.js';
import type { ResolvedMempoolOptions } from './options.js';
import type { PoolIndex } from './pool-index.js';

/** Entries that entered before `cutoff` (Unix seconds), with their descendants (Core's Expire). */
export function expiredEntries(pool: PoolIndex, cutoff: number): Set<MempoolEntry> {
  const stage = new Set<MempoolEntry>();
  for (const entry of pool.entries()) {
    if (entry.time >= cutoff || stage.has(entry)) continue;
    stage.add(entry);
    for (const d of entry.descendants()) stage.add(d);
  }
  return stage;
}

/**
 * Core's TrimToSize: while the pool is over its memory budget, remove the entry with the lowest
 * descendant score together with its descendants, raising the rolling fee floor to that package's
 * fee rate plus the incremental relay fee: a transaction paying no more than what was just evicted
 * must not get in before a block makes room, or the pool would churn.
 */
export function trimToSize(
  pool: PoolIndex,
  floor: RollingFeeFloor,
  options: ResolvedMempoolOptions,
  remove: (stage: Set<MempoolEntry>) => void,
): void {
  while (pool.size > 0 && pool.usage > options.maxSizeBytes) {
    const worst = pool.lowestDescendantScore()!;
    floor.bump(feeRateOf(worst.descendantFees, worst.descendantSize) + options.incrementalRelayFeeRate);
    const stage = worst.descendants();
    stage.add(worst);
    remove(stage);
  }
}
