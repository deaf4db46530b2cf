import type { Transaction } from '../primitives/transaction.js';
import {
  LOCKTIME_THRESHOLD,
  LOCKTIME_VERIFY_SEQUENCE,
  SEQUENCE_LOCKTIME_DISABLE_FLAG,
  SEQUENCE_LOCKTIME_GRANULARITY,
  SEQUENCE_LOCKTIME_MASK,
  SEQUENCE_LOCKTIME_TYPE_FLAG,
} from './constants.js';

const SEQUENCE_FINAL = 0xffffffff;

/**
 * Core's IsFinalTx: a transaction is final at `height` when its nLockTime is 0, or is below the
 * height (for height locks) or below `lockTimeCutoff` (for time locks), or when every input opts out
 * with nSequence 0xffffffff. Under BIP113 (with CSV) the caller passes the previous block's median
 * time past as the cutoff; before it, the block's own timestamp.
 */
export function isFinalTx(tx: Transaction, height: number, lockTimeCutoff: number): boolean {
  const lockTime = tx.locktime >>> 0;
  if (lockTime === 0) return true;
  if (lockTime < (lockTime < LOCKTIME_THRESHOLD ? height : lockTimeCutoff)) return true;
  for (const input of tx.inputs) if (input.sequence >>> 0 !== SEQUENCE_FINAL) return false;
  return true;
}

/**
 * The height and time (nLockTime semantics: the last *invalid* height and time, -1 for none) before
 * which a transaction's BIP68 relative locks are unsatisfied.
 */
export interface SequenceLock {
  readonly minHeight: number;
  readonly minTime: number;
}

/**
 * Core's CalculateSequenceLocks (BIP68).
 *
 * @param prevHeights the height of the block that created each input's coin (for coins created in
 *   the block being validated, that block's height).
 * @param medianTimePastAt the median time past of the block at a given height on this chain; called
 *   with max(coinHeight - 1, 0) for time-based locks, since a coin's lock is measured from the MTP of
 *   the block before the one that created it (the earliest time that block could have had).
 */
export function calculateSequenceLocks(
  tx: Transaction,
  flags: number,
  prevHeights: readonly number[],
  medianTimePastAt: (height: number) => number,
): SequenceLock {
  let minHeight = -1;
  let minTime = -1;
  // nVersion is signed in Core, cast to unsigned here so half its range does not disable BIP68.
  const enforce = tx.version >>> 0 >= 2 && (flags & LOCKTIME_VERIFY_SEQUENCE) !== 0;
  if (!enforce) return { minHeight, minTime };
  tx.inputs.forEach((input, i) => {
    const sequence = input.sequence >>> 0;
    // The disable bit: no consensus meaning (yet).
    if (sequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) return;
    const coinHeight = prevHeights[i] ?? 0;
    const value = sequence & SEQUENCE_LOCKTIME_MASK;
    if (sequence & SEQUENCE_LOCKTIME_TYPE_FLAG) {
      const coinTime = medianTimePastAt(Math.max(coinHeight - 1, 0));
      // -1: BIP68 gives the first valid time, nLockTime semantics the last invalid one.
      minTime = Math.max(minTime, coinTime + value * 2 ** SEQUENCE_LOCKTIME_GRANULARITY - 1);
    } else {
      minHeight = Math.max(minHeight, coinHeight + value - 1);
    }
  });
  return { minHeight, minTime };
}

/**
 * Core's EvaluateSequenceLocks: whether the locks are satisfied by a block at `blockHeight` whose
 * parent has median time past `prevMedianTimePast`.
 */
export function evaluateSequenceLocks(
  blockHeight: number,
  prevMedianTimePast: number,
  lock: SequenceLock,
): boolean {
  return !(lock.minHeight >= blockHeight || lock.minTime >= prevMedianTimePast);
}

/** Core's SequenceLocks: calculate and evaluate in one step. */
export function checkSequenceLocks(
  tx: Transaction,
  flags: number,
  prevHeights: readonly number[],
  block: { readonly height: number; readonly prevMedianTimePast: number },
  medianTimePastAt: (height: number) => number,
): boolean {
  return evaluateSequenceLocks(
    block.height,
    block.prevMedianTimePast,
    calculateSequenceLocks(tx, flags, prevHeights, medianTimePastAt),
  );
}
