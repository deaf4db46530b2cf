import { fromDisplayHex } from '../../encoding/hex.js';
import { OutPoint } from '../../primitives/outpoint.js';
import type { Transaction } from '../../primitives/transaction.js';
import {
  type AddressType,
  type FundedPsbtRequest,
  type SendRequest,
  WALLET_MESSAGES,
  WalletError,
} from '../api.js';
import type { Recipient } from '../coin-selection/fund.js';
import type { CoinCandidate } from '../coin-selection/types.js';
import { spendWeight } from '../fees/tx-size.js';
import { discardFeeRate, walletFeeRate } from '../fees/wallet-fee-rate.js';
import type { OwnedScript } from '../keychain/owned-script.js';
import { createPsbt } from '../psbt/creator.js';
import type { Psbt } from '../psbt/psbt.js';
import type { WalletDbOp } from '../store/wallet-db.js';
import type { TxBook } from '../tracking/tx-book.js';
import { fromFundingError } from '../wallet-errors.js';
import { decodeAddress } from '../wallet-reads.js';
import type { WalletState, WriteQueue } from '../wallet-state.js';
import { antiFeeSnipingLocktime, buildTransaction, toCandidate } from './build-tx.js';
import { transactionChangeType } from './change-type.js';
import { psbtWalletData } from './psbt-ops.js';
import { signInputs } from './sign-inputs.js';
import { withWalletKeys } from './wallet-keys.js';

export const CHANGE_SPEND = {
  legacy: 'p2pkh',
  'p2sh-segwit': 'p2sh-p2wpkh',
  bech32: 'p2wpkh',
  bech32m: 'p2tr-keypath',
} as const;

function recipientsOf(s: WalletState, req: SendRequest): Recipient[] {
  if (req.recipients.length === 0)
    throw new WalletError('INVALID_PARAMETER', 'Invalid parameter, must have at least one recipient');
  const seen = new Set<string>();
  return req.recipients.map((r) => {
    if (seen.has(r.address))
      throw new WalletError('INVALID_PARAMETER', `Invalid parameter, duplicated address: ${r.address}`);
    seen.add(r.address);
    const scriptPubKey = decodeAddress(s, r.address);
    if (!Number.isSafeInteger(r.amount) || r.amount <= 0)
      throw new WalletError('TYPE_ERROR', 'Invalid amount for send');
    return { scriptPubKey, value: r.amount, subtractFeeFromAmount: r.subtractFee === true };
  });
}

/** The fee rate (sat/kvB) and discard rate to fund with, as Core's GetMinimumFeeRate decides. */
export function feeRates(s: WalletState, req: SendRequest): { feeRate: number; discard: number } {
  const info = s.mempool?.info();
  const relay = { minRelayFee: info?.minrelaytxfee ?? 1000, mempoolMinFee: info?.mempoolminfee ?? 0 };
  const request =
    req.feeRate !== undefined
      ? { kind: 'explicit' as const, feeRate: Math.round(req.feeRate * 1000), overrideMinimum: false }
      : { kind: 'estimate' as const, confTarget: req.confTarget, mode: req.estimateMode ?? 'unset' };
  const chosen = walletFeeRate(request, s.fees.estimator, s.fees.settings, relay);
  return { feeRate: chosen.feeRate, discard: discardFeeRate(s.fees.estimator, s.fees.settings) };
}

/** The change destination: the next unused internal key, taken only if the change is kept. */
export function changeDestination(s: WalletState, type: AddressType): OwnedScript {
  const chain = s.scripts.chain(type, true);
  const script = chain?.at(chain.nextIndex);
  if (script === undefined)
    throw new WalletError('WALLET_ERROR', "Transaction needs a change address, but we can't generate it.");
  return script;
}

/**
 * Coins to fund from: those the wallet can sign, or with `solvable` every coin it knows how to
 * spend (a watch-only wallet building a PSBT for an external signer, Core's include_watching),
 * sized then for signatures made elsewhere.
 */
export function spendableCandidates(
  s: WalletState,
  minConf: number | undefined,
  solvable: boolean,
): CoinCandidate[] {
  return s.coinList.candidates({
    minConf: minConf ?? 0,
    solvable,
    locked: s.lockedCoins,
    // Core's GetTransactionAncestry: unconfirmed coins carry their mempool chain, so selection
    // avoids chains the mempool would refuse to extend.
    ancestryOf: (wtx) => {
      const entry = s.mempool?.get(wtx.txid);
      return entry === undefined
        ? undefined
        : { ancestors: entry.ancestorCount, descendants: entry.descendantCount };
    },
    make: (output, depth, fromMe, ancestry) => toCandidate(output, depth, fromMe, ancestry, solvable),
  });
}

interface Built {
  tx: Transaction;
  fee: number;
  changeIndex: number | undefined;
  change: OwnedScript | undefined;
  feeRate: number;
}

function fund(
  s: WalletState,
  req: FundedPsbtRequest,
  code: 'INSUFFICIENT_FUNDS' | 'WALLET_ERROR',
  solvable: boolean,
): Built {
  const recipients = recipientsOf(s, req);
  const candidates = spendableCandidates(s, req.minConf, solvable);
  const changeType = transactionChangeType(
    s.scripts,
    req.changeType,
    recipients.map((r) => r.scriptPubKey),
  );
  let changeScript: Uint8Array;
  let change: OwnedScript | undefined;
  if (req.changeAddress !== undefined) {
    try {
      changeScript = decodeAddress(s, req.changeAddress);
    } catch {
      throw new WalletError('INVALID_ADDRESS', 'Change address must be a valid bitcoin address');
    }
  } else {
    change = changeDestination(s, changeType);
    changeScript = change.scriptPubKey;
  }
  const preset: CoinCandidate[] = [];
  const sequences = new Map<string, number>();
  for (const i of req.inputs ?? []) {
    let hash: Uint8Array;
    try {
      hash = fromDisplayHex(i.txid);
    } catch {
      throw new WalletError(
        'INVALID_PARAMETER',
        `txid must be hexadecimal string (not '${i.txid}') and length of it must be 64`,
      );
    }
    const outpoint = new OutPoint(hash, i.vout);
    const cand =
      candidates.find((c) => c.outpoint.key() === outpoint.key()) ??
      presetCandidate(s.book, outpoint, solvable);
    // Core's CreateTransactionInternal for a coin-control input it cannot use.
    if (cand === undefined)
      throw new WalletError('WALLET_ERROR', `Not found pre-selected input ${outpoint.toString()}`);
    preset.push(cand);
    if (i.sequence !== undefined) sequences.set(outpoint.key(), i.sequence);
  }
  try {
    const { feeRate, discard } = feeRates(s, req);
    const tip = s.chain.tip;
    const locktime = req.locktime ?? antiFeeSnipingLocktime(tip.height, tip.header.time, s.now());
    const { tx, funded } = buildTransaction(recipients, candidates, {
      feeRate,
      changeScript,
      changeSpendWeight: spendWeight({ kind: CHANGE_SPEND[changeType] }).inputWeight,
      discardFeeRate: discard,
      preset,
      allowOtherInputs: req.addInputs ?? preset.length === 0,
      ...(req.changePosition === undefined ? {} : { changePosition: req.changePosition }),
      replaceable: req.replaceable ?? s.fees.settings.signalRbf,
      locktime,
      sequences,
    });
    return {
      tx,
      fee: funded.fee,
      changeIndex: funded.changeIndex,
      change: funded.changeIndex === undefined ? undefined : change,
      feeRate,
    };
  } catch (e) {
    throw fromFundingError(e, code);
  }
}

/** A preset input that is the wallet's but not in the spendable list (unconfirmed foreign, say). */
function presetCandidate(book: TxBook, outpoint: OutPoint, maxSig: boolean): CoinCandidate | undefined {
  const out = book.outputs.get(outpoint.key());
  if (out === undefined || out.script.spend === undefined || book.isSpent(out.outpointKey)) return undefined;
  return toCandidate(out, book.depth(out.wtx), book.debit(out.wtx).anyMine, undefined, maxSig);
}

/** Marks the change key used once a transaction paying it is kept. */
export function takeChange(s: WalletState, change: OwnedScript | undefined): WalletDbOp[] {
  if (change === undefined) return [];
  const moved = s.scripts.markUsed(change);
  return moved === undefined ? [] : [moved.indexOp()];
}

/**
 * sendtoaddress / sendmany: fund, sign, submit to the mempool, record. A locked wallet, missing
 * funds or a mempool rejection change nothing.
 */
export async function send(
  s: WalletState,
  queue: WriteQueue,
  req: SendRequest,
): Promise<{ txid: string; feeRate: number; fee: number }> {
  if (s.keystore === undefined)
    throw new WalletError('PRIVATE_KEYS_DISABLED', WALLET_MESSAGES.PRIVATE_KEYS_DISABLED);
  if (s.keystore.isLocked) throw new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
  const built = fund(s, req, 'INSUFFICIENT_FUNDS', false);
  const { tx } = built;
  const inputs = tx.inputs.map((i) => {
    const out = s.book.outputs.get(i.prevout.key());
    return out === undefined ? undefined : { owned: out.script, value: out.value };
  });
  const signed = withWalletKeys(s.keystore, s.scripts, s.signingKeys, (keyFor) =>
    signInputs(tx, inputs, keyFor),
  );
  const failed = signed.find((r) => !r.ok);
  if (failed !== undefined && !failed.ok)
    throw new WalletError('WALLET_ERROR', `Signing transaction failed: ${failed.error}`);
  if (s.mempool === undefined)
    throw new WalletError('WALLET_ERROR', 'Error: Transaction commit failed: no mempool');
  const result = await s.mempool.accept(tx);
  const ops: WalletDbOp[] = [];
  if (!result.ok) {
    throw new WalletError(
      'VERIFY_REJECTED',
      `Transaction rejected by the mempool: ${result.reason}${result.debug === '' ? '' : ` (${result.debug})`}`,
    );
  }
  // The mempool's 'tx' event has recorded it already; this adds the comments (or records it when
  // the wallet is not listening, e.g. during a rescan).
  const wtx = s.tracker.fromMempool(tx, ops, {
    ...(req.comment === undefined ? {} : { comment: req.comment }),
    ...(req.commentTo === undefined ? {} : { commentTo: req.commentTo }),
  });
  if (wtx !== undefined && (req.comment !== undefined || req.commentTo !== undefined)) {
    if (req.comment !== undefined) wtx.comment = req.comment;
    if (req.commentTo !== undefined) wtx.commentTo = req.commentTo;
    s.tracker.touch(wtx, ops);
  }
  ops.push(...takeChange(s, built.change));
  await queue.write(ops);
  return { txid: tx.txidHex(), feeRate: built.feeRate / 1000, fee: built.fee };
}

/** walletcreatefundedpsbt: funds without signing; needs no unlock. */
export async function createFundedPsbt(
  s: WalletState,
  queue: WriteQueue,
  req: FundedPsbtRequest,
): Promise<{ psbt: Psbt; fee: number; changePos: number }> {
  // Core's include_watching defaults to true in a wallet without private keys.
  const built = fund(s, req, 'WALLET_ERROR', req.includeWatching ?? s.meta.disablePrivateKeys);
  const { tx } = built;
  const psbt = createPsbt(
    tx.inputs.map((i) => ({ txid: i.prevout.txid(), vout: i.prevout.index, sequence: i.sequence })),
    tx.outputs.map((o) => ({ script: o.scriptPubKey, value: o.value })),
    { locktime: tx.locktime, version: tx.version },
  );
  psbtWalletData(s, psbt, true);
  const ops = takeChange(s, built.change);
  if (req.lockUnspents === true) for (const i of tx.inputs) s.lockedCoins.add(i.prevout.key());
  await queue.write(ops);
  return { psbt, fee: built.fee, changePos: built.changeIndex ?? -1 };
}
