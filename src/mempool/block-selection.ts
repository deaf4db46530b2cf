import { WITNESS_SCALE_FACTOR } from '../primitives/transaction.js';
import { compareFeeRates, feeForSize } from '../policy/fee-rate.js';
import type { MempoolEntry } from './entry.js';
import { BinaryHeap } from './heap.js';

/** Core's MAX_CONSECUTIVE_FAILURES: give up after this many misfits once the block is nearly full. */
const MAX_CONSECUTIVE_FAILURES = 1000;
/** "Nearly full": within this much weight of the limit (Core's BlockAssembler). */
const NEARLY_FULL_WEIGHT = 4000;

/** An entry's package not yet in the block: its ancestors (and itself) minus those already chosen. */
interface Package {
  fee: number;
  vsize: number;
  sigOpCost: number;
  version: number;
}

interface Candidate {
  readonly entry: MempoolEntry;
  readonly version: number;
  /** The score: the lower of the entry's own fee rate and its package's (Core's ancestor score). */
  readonly fee: number;
  readonly size: number;
}

function candidate(entry: MempoolEntry, pkg: Package): Candidate {
  const ownIsLower = compareFeeRates(entry.modifiedFee, entry.vsize, pkg.fee, pkg.vsize) < 0;
  return {
    entry,
    version: pkg.version,
    fee: ownIsLower ? entry.modifiedFee : pkg.fee,
    size: ownIsLower ? entry.vsize : pkg.vsize,
  };
}

/** Highest score first; ties by txid in internal byte order, as Core's index breaks them. */
function comesFirst(a: Candidate, b: Candidate): boolean {
  const c = compareFeeRates(a.fee, a.size, b.fee, b.size);
  if (c !== 0) return c > 0;
  return a.entry.key < b.entry.key;
}

export interface SelectOptions {
  /** -blockmintxfee in sat/kvB: packages paying less end the selection. */
  readonly minFeeRate: number;
}

/**
 * Core's BlockAssembler::addPackageTxs: greedy selection by ancestor fee rate ("CPFP-aware"). The
 * best package (an entry with its not-yet-chosen ancestors) goes in whole, ancestors first, if it
 * fits `maxWeight` and `maxSigOpsCost` (strictly below each, as Core tests them); then every
 * descendant of what was added is re-scored without it. Returns entries in block order.
 *
 * The caller passes the budget left after the coinbase (Core starts its counters at the reserved
 * weight and 400 sigops and compares against the full limits; the sums are the same).
 */
export function selectPackages(
  entries: Iterable<MempoolEntry>,
  maxWeight: number,
  maxSigOpsCost: number,
  options: SelectOptions,
): MempoolEntry[] {
  const packages = new Map<MempoolEntry, Package>();
  const heap = new BinaryHeap<Candidate>(comesFirst);
  const initial: Candidate[] = [];
  for (const entry of entries) {
    const pkg = {
      fee: entry.ancestorFees,
      vsize: entry.ancestorSize,
      sigOpCost: entry.ancestorSigOpCost,
      version: 0,
    };
    packages.set(entry, pkg);
    initial.push(candidate(entry, pkg));
  }
  heap.rebuild(initial);

  const inBlock = new Set<MempoolEntry>();
  const failed = new Set<MempoolEntry>();
  const modified = new Set<MempoolEntry>();
  const selected: MempoolEntry[] = [];
  let weight = 0;
  let sigOps = 0;
  let consecutiveFailures = 0;

  for (let top = heap.pop(); top !== undefined; top = heap.pop()) {
    const entry = top.entry;
    const pkg = packages.get(entry)!;
    if (inBlock.has(entry) || failed.has(entry) || top.version !== pkg.version) continue;

    // Sorted by score, so nothing after a package below the floor can pay it either.
    if (pkg.fee < feeForSize(options.minFeeRate, pkg.vsize)) break;

    const fits =
      weight + WITNESS_SCALE_FACTOR * pkg.vsize < maxWeight && sigOps + pkg.sigOpCost < maxSigOpsCost;
    if (!fits) {
      // A package whose ancestors were partly chosen is dropped for good (Core's failedTx); an
      // untouched one may come back smaller if one of its ancestors gets in later.
      if (modified.has(entry)) failed.add(entry);
      consecutiveFailures++;
      if (consecutiveFailures > MAX_CONSECUTIVE_FAILURES && weight > maxWeight - NEARLY_FULL_WEIGHT) break;
      continue;
    }
    consecutiveFailures = 0;

    const members = [...entry.ancestors()].filter((a) => !inBlock.has(a));
    members.push(entry);
    // Parents before children: an ancestor always has fewer ancestors than its descendants.
    members.sort((a, b) => a.ancestorCount - b.ancestorCount);
    for (const member of members) {
      inBlock.add(member);
      selected.push(member);
      weight += member.weight;
      sigOps += member.sigOpCost;
    }
    for (const member of members) {
      for (const d of member.descendants()) {
        if (inBlock.has(d)) continue;
        const dp = packages.get(d)!;
        dp.fee -= member.modifiedFee;
        dp.vsize -= member.vsize;
        dp.sigOpCost -= member.sigOpCost;
        dp.version++;
        modified.add(d);
        heap.push(candidate(d, dp));
      }
    }
  }
  return selected;
}
