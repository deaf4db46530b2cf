import type { WalletState } from '../wallet-state.js';
import type { WalletTxState } from './tx-book.js';

export interface ResubmitReport {
  /** Unconfirmed wallet transactions the mempool took back. */
  readonly accepted: number;
  /** Those it refused (spent inputs, a fee now under the floor...), with Core's reject reason. */
  readonly rejected: { readonly txid: string; readonly reason: string }[];
  /** Those handed to the peers for announcement (relay mode only). */
  readonly relayed: number;
}

/** Core's ResubmitWalletTransactions arguments. */
export interface ResubmitOptions {
  /**
   * Ask the node to announce each transaction (in or back in the mempool) to peers that do not
   * know it (Core's relay=true, from MaybeResendWalletTxs); returns false when the transaction is
   * not in the mempool. Absent: mempool only (the resubmission at load).
   */
  readonly relay?: (txid: Uint8Array) => boolean;
  /**
   * Take every unconfirmed transaction (Core's force=true, at load). Otherwise only those received
   * more than 5 minutes before the best block's time: a transaction that recent may simply not have
   * propagated yet, and re-announcing it so soon would mark it as ours.
   */
  readonly force?: boolean;
}

/** Core's `m_best_block_time - 5 * 60` margin, in seconds. */
export const RESEND_MIN_AGE_BEFORE_BEST_BLOCK = 5 * 60;

/**
 * Core's ResubmitWalletTransactions. At wallet load (force, no relay): every unconfirmed
 * transaction the wallet knows of (sent or received) that is neither confirmed, conflicted,
 * abandoned nor already in the mempool goes back to the mempool, oldest first (orderPos) so parents
 * precede their children. Without this, a payment made before a crash (or a restart without
 * mempool.dat) would stay "unconfirmed" in the wallet forever while no miner ever sees it.
 *
 * Periodically (relay, not forced; the node's WalletResendTimer every 12-36 h): the same
 * transactions, minus those received within 5 minutes of the best block's time, are resubmitted if
 * missing from the mempool and then re-announced to peers (Core's SubmitTxMemoryPoolAndRelay with
 * relay=true), so a payment made while the node had no peers, or that peers dropped, still reaches
 * peers that connected since. The wallet's mempool listener records the results.
 */
export async function resubmitWalletTransactions(
  s: WalletState,
  options: ResubmitOptions = {},
): Promise<ResubmitReport> {
  const { mempool } = s;
  const { relay } = options;
  const force = options.force ?? relay === undefined;
  const rejected: { txid: string; reason: string }[] = [];
  if (mempool === undefined) return { accepted: 0, rejected, relayed: 0 };
  const bestBlockTime = s.chain.tip.time;
  const pending = [...s.book.txs.values()]
    .filter(
      (w) =>
        isUnconfirmed(w) &&
        (force || w.timeReceived <= bestBlockTime - RESEND_MIN_AGE_BEFORE_BEST_BLOCK) &&
        // At load a transaction already in the mempool needs nothing; a relay announces it again.
        (relay !== undefined || !mempool.has(w.txid)),
    )
    .sort((a, b) => a.orderPos - b.orderPos);
  let accepted = 0;
  let relayed = 0;
  for (const wtx of pending) {
    if (!mempool.has(wtx.txid)) {
      const result = await mempool.accept(wtx.tx);
      if (!result.ok) {
        rejected.push({ txid: wtx.txidHex, reason: result.reason });
        continue;
      }
      accepted += 1;
    }
    if (relay?.(wtx.txid) === true) relayed += 1;
  }
  if (pending.length > 0) {
    s.logger?.info(
      { module: 'wallet', accepted, relayed, rejected },
      relay === undefined
        ? 'resubmitted unconfirmed wallet transactions to the mempool'
        : 'rebroadcast unconfirmed wallet transactions to peers',
    );
  }
  return { accepted, rejected, relayed };
}

/**
 * Core's SubmitTxMemoryPoolAndRelay preconditions: not abandoned, not a coinbase, at depth 0
 * (neither confirmed nor conflicted).
 */
function isUnconfirmed(w: WalletTxState): boolean {
  return w.block === undefined && w.conflict === undefined && w.abandoned !== true && !w.tx.isCoinbase();
}
