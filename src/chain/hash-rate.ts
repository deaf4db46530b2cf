import type { ChainEntry } from './chain-entry.js';

/**
 * Core's GetNetworkHashPS: the work of the `lookup` blocks ending at `tip`, divided by the span
 * between the earliest and latest timestamps among them (timestamps are not monotonic, so the
 * extremes are searched, not the ends). Zero at genesis or when the span is empty. `lookup` must
 * already be positive; callers translate their own "-1 = since the last retarget" conventions.
 */
export function estimateHashRate(tip: ChainEntry, lookup: number): number {
  if (tip.height === 0) return 0;
  const blocks = Math.min(lookup, tip.height);
  let first = tip;
  let minTime = tip.time;
  let maxTime = minTime;
  for (let i = 0; i < blocks; i++) {
    first = first.prev!;
    minTime = Math.min(minTime, first.time);
    maxTime = Math.max(maxTime, first.time);
  }
  if (minTime === maxTime) return 0;
  return Number(tip.chainwork - first.chainwork) / (maxTime - minTime);
}
