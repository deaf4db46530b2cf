import {
  type BumpFeeRequest,
  type BumpFeeResult,
  type PsbtBumpFeeResult,
  WALLET_MESSAGES,
  WalletError,
} from '../api.js';
import { createPsbt } from '../psbt/creator.js';
import type { WalletDbOp } from '../store/wallet-db.js';
import type { WalletState, WriteQueue } from '../wallet-state.js';
import { planBump } from './bump-plan.js';
import { psbtWalletData } from './psbt-ops.js';
import { takeChange } from './send.js';
import { signInputs } from './sign-inputs.js';
import { withWalletKeys } from './wallet-keys.js';

export { formatMoney, WALLET_INCREMENTAL_RELAY_FEE } from './bump-fee-rate.js';

/**
 * bumpfee (Core's feebumper::CreateRateBumpTransaction, SignTransaction, CommitTransaction): the
 * replacement planned by bump-plan.ts, signed with the wallet's keys and submitted. Nothing
 * changes unless the mempool accepts it.
 */
export async function bumpFee(
  s: WalletState,
  queue: WriteQueue,
  txid: string,
  req: BumpFeeRequest,
): Promise<BumpFeeResult> {
  if (s.keystore === undefined) {
    throw new WalletError(
      'WALLET_ERROR',
      'bumpfee is not available with wallets that have private keys disabled. Use psbtbumpfee instead.',
    );
  }
  if (s.keystore.isLocked) throw new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
  const plan = planBump(s, txid, req, true);
  const { tx, original: wtx } = plan;
  const book = s.book;
  const signed = withWalletKeys(s.keystore, s.scripts, s.signingKeys, (keyFor) =>
    signInputs(
      tx,
      tx.inputs.map((i) => {
        const out = book.outputs.get(i.prevout.key());
        return out === undefined ? undefined : { owned: out.script, value: out.value };
      }),
      keyFor,
    ),
  );
  const failed = signed.find((r) => !r.ok);
  if (failed !== undefined && !failed.ok)
    throw new WalletError('WALLET_ERROR', `Can't sign transaction: ${failed.error}`);
  if (s.mempool === undefined)
    throw new WalletError('WALLET_ERROR', 'Error: Transaction commit failed: no mempool');
  const accepted = await s.mempool.accept(tx);
  if (!accepted.ok) {
    throw new WalletError(
      'VERIFY_REJECTED',
      `Transaction rejected by the mempool: ${accepted.reason}${accepted.debug === '' ? '' : ` (${accepted.debug})`}`,
    );
  }
  // Core's CommitTransaction with mapValue replaces_txid, then MarkReplaced on the original.
  const ops: WalletDbOp[] = [];
  const replacement = s.tracker.fromMempool(tx, ops);
  if (replacement !== undefined) {
    replacement.replaces = wtx.txidHex;
    if (wtx.comment !== undefined) replacement.comment = wtx.comment;
    if (wtx.commentTo !== undefined) replacement.commentTo = wtx.commentTo;
    s.tracker.touch(replacement, ops);
  }
  wtx.replacedBy = tx.txidHex();
  s.tracker.touch(wtx, ops);
  ops.push(...takeChange(s, plan.newChange));
  await queue.write(ops);
  return { txid: tx.txidHex(), origFee: plan.oldFee, fee: plan.fee, errors: [] };
}

/**
 * psbtbumpfee (Core's bumpfee_helper with want_psbt): the same replacement, with inputs the wallet
 * need not be able to sign (require_mine=false), returned as an unsigned PSBT filled like
 * walletcreatefundedpsbt's (previous outputs, scripts, BIP32 origins). Nothing enters the wallet
 * or the mempool; only a new change key is marked used (Core's KeepDestination), so it is not
 * handed out again while the PSBT is being signed.
 */
export async function psbtBumpFee(
  s: WalletState,
  queue: WriteQueue,
  txid: string,
  req: BumpFeeRequest,
): Promise<PsbtBumpFeeResult> {
  if (s.keystore?.isLocked === true) throw new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
  const plan = planBump(s, txid, req, false);
  const { tx } = plan;
  const psbt = createPsbt(
    tx.inputs.map((i) => ({ txid: i.prevout.txid(), vout: i.prevout.index, sequence: i.sequence })),
    tx.outputs.map((o) => ({ script: o.scriptPubKey, value: o.value })),
    { locktime: tx.locktime, version: tx.version },
  );
  psbtWalletData(s, psbt, true);
  await queue.write(takeChange(s, plan.newChange));
  return { psbt, origFee: plan.oldFee, fee: plan.fee, errors: [] };
}
