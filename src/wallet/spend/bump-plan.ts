import { fromDisplayHex } from '../../encoding/hex.js';
import { OutPoint } from '../../primitives/outpoint.js';
import type { Transaction } from '../../primitives/transaction.js';
import { type AddressType, type BumpFeeRequest, WALLET_MESSAGES, WalletError } from '../api.js';
import type { Recipient } from '../coin-selection/fund.js';
import type { CoinCandidate } from '../coin-selection/types.js';
import {
  ECDSA_MAX_SIGNATURE_SIZE,
  estimateTransactionVsize,
  inputSize,
  SCHNORR_SIGNATURE_SIZE,
  spendWeight,
} from '../fees/tx-size.js';
import { discardFeeRate } from '../fees/wallet-fee-rate.js';
import { type OwnedScript, scriptKey } from '../keychain/owned-script.js';
import type { WalletOutput, WalletTxState } from '../tracking/tx-book.js';
import { fromFundingError } from '../wallet-errors.js';
import type { WalletState } from '../wallet-state.js';
import { checkFeeRate, estimateFeeRate } from './bump-fee-rate.js';
import { antiFeeSnipingLocktime, buildTransaction, RBF_SEQUENCE, toCandidate } from './build-tx.js';
import { transactionChangeType } from './change-type.js';
import { CHANGE_SPEND, spendableCandidates } from './send.js';

/**
 * The replacement of a wallet transaction (Core's feebumper::CreateRateBumpTransaction), unsigned:
 * bumpfee signs and submits it, psbtbumpfee returns it as a PSBT. It spends every input of the
 * original (so two bumps can never both confirm), pays the original's recipients or the `outputs`
 * given, and raises the fee by lowering the change or adding confirmed inputs.
 */

export interface BumpPlan {
  readonly original: WalletTxState;
  /** The original's inputs as the wallet holds them, in order. */
  readonly spent: readonly WalletOutput[];
  readonly tx: Transaction;
  readonly oldFee: number;
  readonly fee: number;
  /** A new change key from the wallet's change chain that the replacement pays: used once kept. */
  readonly newChange: OwnedScript | undefined;
}

const fail = (code: 'INVALID_PARAMETER' | 'WALLET_ERROR' | 'MISC_ERROR', message: string): never => {
  throw new WalletError(code, message);
};

/** Core's COutPoint::ToString, as its coin-control errors print an outpoint. */
function coreOutpoint(outpoint: OutPoint): string {
  return `COutPoint(${outpoint.txid().slice(0, 10)}, ${outpoint.index})`;
}

/**
 * Core's feebumper PreconditionChecks: what makes a transaction bumpable. `requireMine` (bumpfee)
 * also wants every input signable by this wallet; psbtbumpfee leaves signing to others.
 */
function preconditions(s: WalletState, wtx: WalletTxState, requireMine: boolean): void {
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
  if (!requireMine) return;
  for (const input of wtx.tx.inputs) {
    if (book.outputs.get(input.prevout.key())?.script.spendable !== true)
      fail('WALLET_ERROR', "Transaction contains inputs that don't belong to this wallet");
  }
}

/**
 * Core fetches the original's coins from the UTXO set first and refuses one already spent. The
 * wallet sees the coins it owns: one spent by a confirmed transaction other than the original (a
 * conflicting block) is refused the same way. The original itself being mined is reported by
 * the preconditions ("has been mined"), where Core reports its first input as spent.
 */
function refuseSpentInputs(s: WalletState, wtx: WalletTxState): void {
  for (const input of wtx.tx.inputs) {
    for (const key of s.book.spends.get(input.prevout.key()) ?? []) {
      const spender = s.book.get(key);
      if (spender !== undefined && spender !== wtx && s.book.depth(spender) > 0)
        fail('MISC_ERROR', `${input.prevout.toString()} is already spent`);
    }
  }
}

/**
 * The original's inputs as wallet outputs. Inputs the wallet does not know, or cannot size for
 * signing (a watch-only script without its solving data), are refused with Core's coin-control
 * errors: the wallet follows only its own coins, so it has neither the value nor the size of a
 * foreign input (Core sizes those from the original's signatures).
 */
function originalInputs(s: WalletState, wtx: WalletTxState): WalletOutput[] {
  return wtx.tx.inputs.map((input) => {
    const out = s.book.outputs.get(input.prevout.key());
    if (out === undefined)
      fail(
        'WALLET_ERROR',
        `Unable to create transaction. Not found pre-selected input ${coreOutpoint(input.prevout)}`,
      );
    if (out!.script.spend === undefined) {
      fail(
        'WALLET_ERROR',
        `Unable to create transaction. Not solvable pre-selected input ${coreOutpoint(input.prevout)}`,
      );
    }
    return out!;
  });
}

/** Core's OutputIsChange: a script of the wallet's that is not in its address book. */
function isChange(s: WalletState, script: Uint8Array): boolean {
  const owned = s.scripts.get(scriptKey(script));
  if (owned === undefined) return false;
  return !(owned.address !== null && s.labels.has(owned.address));
}

/** The wallet's next change key, or undefined when it has no change chain (a blank watch-only wallet). */
function nextChangeKey(s: WalletState, type: AddressType): OwnedScript | undefined {
  const chain = s.scripts.chain(type, true);
  return chain?.at(chain.nextIndex);
}

interface Outputs {
  readonly recipients: Recipient[];
  /** Core's coin_control.destChange: the output the change goes back to. */
  readonly destChange: Uint8Array | undefined;
}

/**
 * The recipients of the replacement: the original's outputs (or the `outputs` given) except the
 * change, which `originalChangeIndex` names or Core's OutputIsChange finds. When only change is
 * left, it becomes the one recipient and pays the fee (Core's "bump back to yourself").
 */
function splitOutputs(
  s: WalletState,
  txouts: readonly { readonly scriptPubKey: Uint8Array; readonly value: number }[],
  changeIndex: number | undefined,
): Outputs {
  const recipients: Recipient[] = [];
  let destChange: Uint8Array | undefined;
  let total = 0;
  txouts.forEach((o, i) => {
    const change = changeIndex !== undefined ? changeIndex === i : isChange(s, o.scriptPubKey);
    if (change) destChange = o.scriptPubKey;
    else recipients.push({ scriptPubKey: o.scriptPubKey, value: o.value });
    total += o.value;
  });
  if (recipients.length > 0) return { recipients, destChange };
  if (destChange === undefined)
    fail('INVALID_PARAMETER', 'Unable to create transaction. Transaction must have at least one recipient');
  return {
    recipients: [{ scriptPubKey: destChange!, value: total, subtractFeeFromAmount: true }],
    destChange: undefined,
  };
}

export function planBump(s: WalletState, txid: string, req: BumpFeeRequest, requireMine: boolean): BumpPlan {
  const newOutputs = req.outputs ?? [];
  if (newOutputs.length > 0 && req.originalChangeIndex !== undefined) {
    fail(
      'INVALID_PARAMETER',
      "The options 'outputs' and 'original_change_index' are incompatible. You can only either specify a new set of outputs, or designate a change output to be recycled.",
    );
  }
  const wtx = s.book.get(/^[0-9a-fA-F]{64}$/.test(txid) ? OutPoint.keyPrefix(fromDisplayHex(txid)) : '');
  if (wtx === undefined) throw new WalletError('INVALID_ADDRESS_OR_KEY', WALLET_MESSAGES.INVALID_TX);
  if (req.originalChangeIndex !== undefined && req.originalChangeIndex >= wtx.tx.outputs.length)
    fail('INVALID_PARAMETER', 'Change position is out of range');
  refuseSpentInputs(s, wtx);
  preconditions(s, wtx, requireMine);
  const spent = originalInputs(s, wtx);
  let inputValue = 0;
  for (const out of spent) inputValue += out.value;
  let outputValue = 0;
  for (const o of wtx.tx.outputs) outputValue += o.value;
  const oldFee = inputValue - outputValue;

  const txouts =
    newOutputs.length > 0
      ? newOutputs.map((o) => ({ scriptPubKey: o.script, value: o.amount }))
      : wtx.tx.outputs;
  const { recipients, destChange } = splitOutputs(s, txouts, req.originalChangeIndex);

  // A wallet without private keys cannot grind low-R signatures: Core sizes its inputs for the
  // largest signatures (CanGrindR, use_max_sig), as it does inputs the wallet cannot sign alone.
  const maxSig = s.keystore === undefined;
  let feeRate: number;
  if (req.feeRate !== undefined) {
    feeRate = Math.round(req.feeRate * 1000);
    const maxSize = estimateTransactionVsize(
      spent.map((o) =>
        inputSize(
          o.script.spend!,
          maxSig || !o.script.spendable
            ? { ecdsa: ECDSA_MAX_SIGNATURE_SIZE, schnorr: SCHNORR_SIGNATURE_SIZE }
            : undefined,
        ),
      ),
      txouts.map((o) => o.scriptPubKey.length),
    );
    checkFeeRate(s, feeRate, maxSize, oldFee);
  } else {
    feeRate = estimateFeeRate(s, oldFee, wtx.tx.vsize(), req);
  }

  // BIP125 rule 2: no new unconfirmed inputs; the original's inputs are all kept, first.
  const book = s.book;
  const candidates = spendableCandidates(s, 1, !requireMine && s.meta.disablePrivateKeys);
  const preset = spent.map(
    (out) =>
      toCandidate(out, book.depth(out.wtx), book.debit(out.wtx).anyMine, undefined, maxSig) as CoinCandidate,
  );
  // Core's TransactionChangeType: new change looks like the recipients where the wallet can.
  const changeType = transactionChangeType(
    s.scripts,
    undefined,
    recipients.map((r) => r.scriptPubKey),
  );
  const newChange = destChange === undefined ? nextChangeKey(s, changeType) : undefined;
  const changeOwned = destChange === undefined ? newChange : s.scripts.get(scriptKey(destChange));
  // Without a change key Core sizes change with an empty script and fails only if change is needed.
  const changeScript = destChange ?? newChange?.scriptPubKey ?? new Uint8Array(0);
  let built: ReturnType<typeof buildTransaction>;
  try {
    const tip = s.chain.tip;
    built = buildTransaction(recipients, candidates, {
      feeRate,
      changeScript,
      // A change script the wallet cannot solve is sized as Core's P2SH-P2WPKH guess (the default).
      ...(changeOwned === undefined
        ? {}
        : {
            changeSpendWeight: spendWeight(
              changeOwned.spend ?? { kind: CHANGE_SPEND[changeOwned.type ?? changeType] },
            ).inputWeight,
          }),
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
  if (funded.changeIndex !== undefined && changeScript.length === 0) {
    fail(
      'WALLET_ERROR',
      `Unable to create transaction. Transaction needs a change address, but we can't generate it. Error: No ${changeType} addresses available.`,
    );
  }
  return {
    original: wtx,
    spent,
    tx,
    oldFee,
    fee: funded.fee,
    newChange: funded.changeIndex === undefined ? undefined : newChange,
  };
}
