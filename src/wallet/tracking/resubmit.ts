import type { WalletState } from '../wallet-state.js';

export interface ResubmitReport {
  /** Unconfirmed wallet transactions the mempool took back. */
  readonly accepted: number;
  /** Those it refused (spent inputs, a fee now under the floor...), with Core's reject reason. */
  readonly rejected: { readonly txid: string; readonly reason: string }[];
}

/**
 * Core's ResubmitWalletTransactions at wallet load: every unconfirmed transaction the wallet
 * knows of (sent or received) that is neither confirmed, conflicted, abandoned nor already in the
 * mempool goes back to the mempool, oldest first so parents precede their children. Without this,
 * a payment made before a crash (or a restart without mempool.dat) would stay "unconfirmed" in the
 * wallet forever while no miner ever sees it. The wallet's mempool listener records the result.
 */
export async function resubmitWalletTransactions(s: WalletState): Promise<ResubmitReport> {
  const { mempool } = s;
  const rejected: { txid: string; reason: string }[] = [];
  if (mempool === undefined) return { accepted: 0, rejected };
  const pending = [...s.book.txs.values()]
    .filter(
      (w) =>
        w.block === undefined &&
        w.conflict === undefined &&
        w.abandoned !== true &&
        !w.tx.isCoinbase() &&
        !mempool.has(w.txid),
    )
    .sort((a, b) => a.orderPos - b.orderPos);
  let accepted = 0;
  for (const wtx of pending) {
    const result = await mempool.accept(wtx.tx);
    if (result.ok) accepted += 1;
    else rejected.push({ txid: wtx.txidHex, reason: result.reason });
  }
  if (pending.length > 0) {
    s.logger?.info(
      { module: 'wallet', accepted, rejected },
      'resubmitted unconfirmed wallet transactions to the mempool',
    );
  }
  return { accepted, rejected };
}
