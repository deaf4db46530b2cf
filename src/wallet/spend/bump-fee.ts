import { OutPoint } from '../../primitives/outpoint.js';
import { feeForSize } from '../../policy/fee-rate.js';
import { fromDisplayHex } from '../../encoding/hex.js';
import { type BumpFeeRequest, type BumpFeeResult, WALLET_MESSAGES, WalletError } from '../api.js';
import type { Recipient } from '../coin-selection/fund.js';
import type { CoinCandidate } from '../coin-selection/types.js';
import { estimateTransactionVsize, inputSize, spendWeight } from '../fees/tx-size.js';
import { DEFAULT_TRANSACTION_MAXFEE, discardFeeRate, requiredFeeRate } from '../fees/wallet-fee-rate.js';
import { type OwnedScript, scriptKey } from '../keychain/owned-script.js';
import type { WalletDbOp } from '../store/wallet-db.js';
import type { WalletTxState } from '../tracking/tx-book.js';
import { fromFundingError } from '../wallet-errors.js';
import type { WalletState, WriteQueue } from '../wallet-state.js';
import { antiFeeSnipingLocktime, buildTransaction, RBF_SEQUENCE, toCandidate } from './build-tx.js';
import { CHANGE_SPEND, changeDestination, feeRates, spendableCandidates, takeChange } from './send.js';
import { signInputs } from './sign-inputs.js';
import { withWalletKeys } from './wallet-keys.js';

/** Core's WALLET_INCREMENTAL_RELAY_FEE (sat/kvB): the wallet's own floor on a bump's increment. */
export const WALLET_INCREMENTAL_RELAY_FEE = 5000;

/** Core's FormatMoney: BTC with trailing zeros trimmed to at least two decimals. */
export function formatMoney(sats: number): string {
  const abs = Math.abs(sats);
  let text = `${sats < 0 ? '-' : ''}${Math.floor(abs / 1e8)}.${String(abs % 1e8).padStart(8, '0')}`;
  while (text.endsWith('0') && /\d/.test(text[text.length - 3]!)) text = text.slice(0, -1);
  return text;
}

const fail = (code: 'INVALID_PARAMETER' | 'WALLET_ERROR', message: string): never => {
  throw new WalletError(code, message);
};

/** Core's feebumper PreconditionChecks (require_mine): what makes a transaction bumpable. */
function preconditions(s: WalletState, wtx: WalletTxState): void {
  const book = s.book;
  for (let i = 0; i < wtx.tx.outputs.length; i++) {
    if ((book.spends.get(wtx.key + i)?.size ?? 0) > 0)
      fail('INVALID_PARAMETER', 'Transaction has descendants in the wallet');
  }
  if ((s.mempool?.get(wtx.txid)?.descendantCount ?? 1) > 1)
    fail('INVALID_PARAMETER', 'Transaction has descendants in the mempool');
  if (book.depth(wtx) !== 0)
    fail('WALLET_ERROR', 'Transaction has been mined, or is conflicted with a mined transaction');
  if (!wtx.tx.inputs.some((i) => i.sequence <= RBF_SEQUENCE))
    fail('WALLET_ERROR', 'Transaction is not BIP 125 replaceable');
  if (wtx.replacedBy !== undefined) {
    fail(
      'WALLET_ERROR',
      `Cannot bump transaction ${wtx.txidHex} which was already bumped by transaction ${wtx.replacedBy}`,
    );
  }
  for (const input of wtx.tx.inputs) {
    if (book.outputs.get(input.prevout.key())?.script.spendable !== true)
      fail('WALLET_ERROR', "Transaction contains inputs that don't belong to this wallet");
  }
}

/** Core's OutputIsChange: a script of the wallet's that is not in its address book. */
function isChange(s: WalletState, script: Uint8Array): OwnedScript | undefined {
  const owned = s.scripts.get(scriptKey(script));
  if (owned === undefined) return undefined;
  return owned.address !== null && s.labels.has(owned.address) ? undefined : owned;
}

/**
 * bumpfee (Core's feebumper::CreateRateBumpTransaction, SignTransaction, CommitTransaction): a
 * BIP125 replacement spending every input of the original (so two bumps can never both confirm),
 * paying the same recipients, the fee raised by lowering the change or adding confirmed inputs.
 * Nothing changes unless the mempool accepts the replacement.
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
  const wtx = s.book.get(/^[0-9a-fA-F]{64}$/.test(txid) ? OutPoint.keyPrefix(fromDisplayHex(txid)) : '');
  if (wtx === undefined) throw new WalletError('INVALID_ADDRESS_OR_KEY', WALLET_MESSAGES.INVALID_TX);
  preconditions(s, wtx);
  const book = s.book;
  const inputs = wtx.tx.inputs.map((i) => book.outputs.get(i.prevout.key())!);
  let inputValue = 0;
  for (const out of inputs) inputValue += out.value;
  let outputValue = 0;
  for (const o of wtx.tx.outputs) outputValue += o.value;
  const oldFee = inputValue - outputValue;

  const recipients: Recipient[] = [];
  let change: OwnedScript | undefined;
  for (const o of wtx.tx.outputs) {
    const owned = isChange(s, o.scriptPubKey);
    if (owned !== undefined) change = owned;
    else recipients.push({ scriptPubKey: o.scriptPubKey, value: o.value });
  }
  if (recipients.length === 0) {
    if (change === undefined)
      fail('INVALID_PARAMETER', 'Unable to create transaction. Transaction must have at least one recipient');
    // Everything went to change: it becomes the recipient and pays the fee.
    recipients.push({ scriptPubKey: change!.scriptPubKey, value: outputValue, subtractFeeFromAmount: true });
  }

  const info = s.mempool?.info();
  const relay = { minRelayFee: info?.minrelaytxfee ?? 1000, mempoolMinFee: info?.mempoolminfee ?? 0 };
  const incremental = Math.max(info?.incrementalrelayfee ?? 1000, WALLET_INCREMENTAL_RELAY_FEE);
  let feeRate: number;
  if (req.feeRate !== undefined) {
    feeRate = Math.round(req.feeRate * 1000);
    // Core's CheckFeeRate, against the largest the signed replacement can be.
    const maxSize = estimateTransactionVsize(
      inputs.map((o) => inputSize(o.script.spend!)),
      wtx.tx.outputs.map((o) => o.scriptPubKey.length),
    );
    if (feeRate < relay.mempoolMinFee) {
      fail(
        'WALLET_ERROR',
        `New fee rate (${formatMoney(feeRate)}) is lower than the minimum fee rate (${formatMoney(relay.mempoolMinFee)}) to get into the mempool -- `,
      );
    }
    const newTotal = feeForSize(feeRate, maxSize);
    const incrementalFee = feeForSize(incremental, maxSize);
    if (newTotal < oldFee + incrementalFee) {
      fail(
        'INVALID_PARAMETER',
        `Insufficient total fee ${formatMoney(newTotal)}, must be at least ${formatMoney(oldFee + incrementalFee)} (oldFee ${formatMoney(oldFee)} + incrementalFee ${formatMoney(incrementalFee)})`,
      );
    }
    const required = feeForSize(requiredFeeRate(s.fees.settings, relay), maxSize);
    if (newTotal < required)
      fail(
        'INVALID_PARAMETER',
        `Insufficient total fee (cannot be less than required fee ${formatMoney(required)})`,
      );
    if (newTotal > DEFAULT_TRANSACTION_MAXFEE) {
      fail(
        'WALLET_ERROR',
        `Specified or calculated fee ${formatMoney(newTotal)} is too high (cannot be higher than -maxtxfee ${formatMoney(DEFAULT_TRANSACTION_MAXFEE)})`,
      );
    }
  } else {
    // Core's EstimateFeeRate: the old rate (rounded down, plus 1 sat/kvB) plus the increment, and
    // at least what the wallet would pay for a new transaction now.
    const oldRate = Math.floor((oldFee * 1000) / wtx.tx.vsize()) + 1;
    const wanted = estimateOnly(s, req);
    feeRate = Math.max(oldRate + incremental, wanted);
  }

  // BIP125 rule 2: no new unconfirmed inputs; the original's inputs are all kept.
  const candidates = spendableCandidates(s, 1, false);
  const preset: CoinCandidate[] = inputs.map(
    (out) => toCandidate(out, book.depth(out.wtx), book.debit(out.wtx).anyMine, undefined) as CoinCandidate,
  );
  const changeOwned = change ?? changeDestination(s, 'bech32');
  const keepChange = recipients.every((r) => r.subtractFeeFromAmount !== true);
  let built: ReturnType<typeof buildTransaction>;
  try {
    const tip = s.chain.tip;
    built = buildTransaction(recipients, candidates, {
      feeRate,
      changeScript: changeOwned.scriptPubKey,
      changeSpendWeight: spendWeight(
        changeOwned.spend ?? { kind: CHANGE_SPEND[changeOwned.type ?? 'bech32'] },
      ).inputWeight,
      discardFeeRate: discardFeeRate(s.fees.estimator, s.fees.settings),
      preset,
      allowOtherInputs: true,
      replaceable: req.replaceable ?? true,
      locktime: antiFeeSnipingLocktime(tip.height, tip.header.time, s.now()),
    });
  } catch (e) {
    const err = fromFundingError(e, 'WALLET_ERROR');
    throw new WalletError('WALLET_ERROR', `Unable to create transaction. ${(err as Error).message}`);
  }
  const { tx, funded } = built;
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
  if (change === undefined && keepChange && funded.changeIndex !== undefined)
    ops.push(...takeChange(s, changeOwned));
  await queue.write(ops);
  return { txid: tx.txidHex(), origFee: oldFee, fee: funded.fee, errors: [] };
}

/** The rate the wallet would choose for a new transaction (Core's GetMinimumFeeRate). */
function estimateOnly(s: WalletState, req: BumpFeeRequest): number {
  try {
    return feeRates(s, {
      recipients: [],
      ...(req.confTarget === undefined ? {} : { confTarget: req.confTarget }),
      ...(req.estimateMode === undefined ? {} : { estimateMode: req.estimateMode }),
    }).feeRate;
  } catch (e) {
    throw fromFundingError(e, 'WALLET_ERROR');
  }
}
