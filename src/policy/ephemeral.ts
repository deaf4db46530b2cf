import { toDisplayHex } from '../encoding/hex.js';
import type { Transaction } from '../primitives/transaction.js';
import { getDustOutputs, isDust } from './standard.js';

/**
 * Ephemeral dust (Core v29, policy/ephemeral_policy.cpp). IsStandardTx lets one dust output through;
 * these two rules make sure such dust never outlives its package: the transaction carrying it pays
 * no fee (so it is never worth mining alone) and every child spends the dust of its mempool parents.
 */

/** Core's PreCheckEphemeralTx: a transaction with dust must be 0-fee. Returns Core's debug text. */
export function checkEphemeralFee(
  tx: Transaction,
  dustRelayFeeRate: number,
  baseFee: number,
  modifiedFee: number,
): string | undefined {
  if ((baseFee !== 0 || modifiedFee !== 0) && getDustOutputs(tx, dustRelayFeeRate).length > 0) {
    return 'tx with dust output must be 0-fee';
  }
  return undefined;
}

/**
 * Core's CheckEphemeralSpends for one transaction: every dust output of its in-mempool parents must
 * be spent by it. `parentOf` finds a mempool transaction by txid (internal byte order). Returns
 * Core's debug text when some dust is left unspent.
 */
export function checkEphemeralSpends(
  tx: Transaction,
  dustRelayFeeRate: number,
  parentOf: (txid: Uint8Array) => Transaction | undefined,
): string | undefined {
  const seenParents = new Set<string>();
  const unspentDust = new Set<string>();
  for (const input of tx.inputs) {
    // OutPoint.key() is the txid's 32 latin1 characters followed by the index.
    const parentKey = input.prevout.key().slice(0, 32);
    if (seenParents.has(parentKey)) continue;
    seenParents.add(parentKey);
    const parent = parentOf(input.prevout.hash);
    if (parent === undefined) continue;
    parent.outputs.forEach((output, index) => {
      if (isDust(output, dustRelayFeeRate)) unspentDust.add(parentKey + index);
    });
  }
  if (unspentDust.size === 0) return undefined;
  for (const input of tx.inputs) unspentDust.delete(input.prevout.key());
  if (unspentDust.size === 0) return undefined;
  return `tx ${toDisplayHex(tx.txid())} (wtxid=${toDisplayHex(tx.wtxid())}) did not spend parent's ephemeral dust`;
}
