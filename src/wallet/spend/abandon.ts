import { fromDisplayHex } from '../../encoding/hex.js';
import { OutPoint } from '../../primitives/outpoint.js';
import { WALLET_MESSAGES, WalletError } from '../api.js';
import type { WalletDbOp } from '../store/wallet-db.js';
import type { WalletState, WriteQueue } from '../wallet-state.js';

/**
 * abandontransaction (Core's CWallet::AbandonTransaction): a transaction neither confirmed nor in
 * the mempool (evicted, or never relayed), and its wallet descendants, are marked abandoned, so
 * the coins they spent count as unspent again and can be respent. Descendants already conflicted
 * or abandoned are left as they are. Should the transaction reach the mempool or a block after
 * all, it stops being abandoned (tx-tracker.ts).
 */
export async function abandonTransaction(s: WalletState, queue: WriteQueue, txid: string): Promise<void> {
  let hash: Uint8Array | undefined;
  try {
    hash = fromDisplayHex(txid);
  } catch {
    hash = undefined;
  }
  const wtx = hash === undefined ? undefined : s.book.get(OutPoint.keyPrefix(hash));
  if (wtx === undefined) throw new WalletError('INVALID_ADDRESS_OR_KEY', WALLET_MESSAGES.INVALID_TX);
  if (s.book.depth(wtx) !== 0 || wtx.inMempool)
    throw new WalletError('INVALID_ADDRESS_OR_KEY', 'Transaction not eligible for abandonment');
  const ops: WalletDbOp[] = [];
  for (const w of s.book.withDescendants(wtx)) {
    if (w.conflict !== undefined || w.abandoned === true || w.block !== undefined || w.inMempool) continue;
    w.abandoned = true;
    s.tracker.moved(w, ops);
  }
  await queue.write(ops);
}
