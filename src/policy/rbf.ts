import { toDisplayHex } from '../encoding/hex.js';
import type { Transaction } from '../primitives/transaction.js';
import { MAX_BIP125_RBF_SEQUENCE } from './constants.js';
import { feeForSize, feeRateOf, formatFeeRate, formatMoney } from './fee-rate.js';

/**
 * Replacement rules (BIP125 as Core v29 applies them, policy/rbf.cpp). Core has relayed full RBF
 * since v28: any mempool conflict may be replaced if the replacement pays for it; BIP125 signalling
 * only decides what RPC reports as `bip125-replaceable`. Each function returns Core's debug message
 * on failure, undefined on success.
 */

/** BIP125 signal: some input has nSequence ≤ 0xfffffffd. */
export function signalsOptInRbf(tx: Transaction): boolean {
  for (const input of tx.inputs) if (input.sequence >>> 0 <= MAX_BIP125_RBF_SEQUENCE) return true;
  return false;
}

/** Fee and virtual size of a mempool transaction being replaced (modified fee, sigop-adjusted vsize). */
export interface ReplacedTx {
  readonly txid: Uint8Array;
  readonly modifiedFee: number;
  readonly vsize: number;
}

/**
 * Rule 6: the replacement's fee rate must beat each directly conflicting transaction's, so the next
 * block's fee rate never drops (Core's PaysMoreThanConflicts).
 */
export function paysMoreThanConflicts(
  directConflicts: Iterable<ReplacedTx>,
  replacementFee: number,
  replacementVsize: number,
  txid: Uint8Array,
): string | undefined {
  const newRate = feeRateOf(replacementFee, replacementVsize);
  for (const conflict of directConflicts) {
    const oldRate = feeRateOf(conflict.modifiedFee, conflict.vsize);
    if (newRate <= oldRate) {
      return `rejecting replacement ${toDisplayHex(txid)}; new feerate ${formatFeeRate(newRate)} <= old feerate ${formatFeeRate(oldRate)}`;
    }
  }
  return undefined;
}

/**
 * Rules 3 and 4: the replacement pays at least the fees of everything it evicts (so their relay was
 * paid for), plus its own size at the incremental relay fee (Core's PaysForRBF).
 */
export function paysForRbf(
  originalFees: number,
  replacementFees: number,
  replacementVsize: number,
  incrementalRelayFeeRate: number,
  txid: Uint8Array,
): string | undefined {
  if (replacementFees < originalFees) {
    return `rejecting replacement ${toDisplayHex(txid)}, less fees than conflicting txs; ${formatMoney(replacementFees)} < ${formatMoney(originalFees)}`;
  }
  const additional = replacementFees - originalFees;
  const required = feeForSize(incrementalRelayFeeRate, replacementVsize);
  if (additional < required) {
    return `rejecting replacement ${toDisplayHex(txid)}, not enough additional fees to relay; ${formatMoney(additional)} < ${formatMoney(required)}`;
  }
  return undefined;
}
