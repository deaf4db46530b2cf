import { LOCKTIME_VERIFY_SEQUENCE } from '../consensus/constants.js';
import { calculateSequenceLocks, evaluateSequenceLocks, isFinalTx } from '../consensus/sequence-locks.js';
import type { Chain } from '../chain/chain.js';
import type { Transaction } from '../primitives/transaction.js';

/**
 * The reads of `Chain` (src/chain/chain.ts) validation makes: the tip, median times past on the
 * active chain and the UTXO set. Narrow so the checks can be reasoned about (and the dependence on
 * the chain seen) at a glance; the Mempool passes the real Chain.
 */
export type MempoolChain = Pick<Chain, 'tip' | 'getEntryAtHeight' | 'medianTimePast' | 'getCoin'>;

/** The tip as validation needs it: computed once per tip, since median time past sorts 11 times. */
export interface TipContext {
  readonly height: number;
  readonly medianTimePast: number;
}

/** Median time past of the active-chain block at `height` (0 if there is none). */
function mtpAt(chain: MempoolChain, height: number): number {
  const entry = chain.getEntryAtHeight(height);
  return entry === undefined ? 0 : chain.medianTimePast(entry);
}

/**
 * Core's CheckFinalTxAtTip: whether `tx` could be in the next block, whose height is tip + 1 and
 * whose lock-time cutoff is the tip's median time past (BIP113).
 */
export function isFinalAtTip(tip: TipContext, tx: Transaction): boolean {
  return isFinalTx(tx, tip.height + 1, tip.medianTimePast);
}

/**
 * Core's CalculateLockPointsAtTip + CheckSequenceLocksAtTip: whether the BIP68 relative locks of
 * `tx` are met in the next block. `prevHeights` are the heights of the coins spent, with unconfirmed
 * coins at tip + 1. Always enforced (Core's STANDARD_LOCKTIME_VERIFY_FLAGS), whatever the height.
 */
export function sequenceLocksMetAtTip(
  chain: MempoolChain,
  tip: TipContext,
  tx: Transaction,
  prevHeights: readonly number[],
): boolean {
  const lock = calculateSequenceLocks(tx, LOCKTIME_VERIFY_SEQUENCE, prevHeights, (h) =>
    h === tip.height ? tip.medianTimePast : mtpAt(chain, h),
  );
  return evaluateSequenceLocks(tip.height + 1, tip.medianTimePast, lock);
}
