import { checkTxInputs, getTransactionSigOpCost } from '../consensus/check-inputs.js';
import { checkTransaction } from '../consensus/check-transaction.js';
import { TxValidationResult } from '../consensus/errors.js';
import { Reject } from '../consensus/reject.js';
import { OutPoint } from '../primitives/outpoint.js';
import type { Coin } from '../primitives/coin.js';
import type { Transaction } from '../primitives/transaction.js';
import {
  MAX_STANDARD_TX_SIGOPS_COST,
  MIN_STANDARD_TX_NONWITNESS_SIZE,
  STANDARD_SCRIPT_VERIFY_FLAGS,
  TRUC_VERSION,
} from '../policy/constants.js';
import { checkEphemeralFee } from '../policy/ephemeral.js';
import { feeForSize } from '../policy/fee-rate.js';
import { areInputsStandard, isWitnessStandard } from '../policy/inputs.js';
import { signalsOptInRbf } from '../policy/rbf.js';
import { PolicyReject } from '../policy/reject.js';
import { checkStandardTx } from '../policy/standard.js';
import { virtualSize } from '../policy/vsize.js';
import { isFinalAtTip, type MempoolChain, sequenceLocksMetAtTip, type TipContext } from './chain-view.js';
import { PoolCoinView } from './coin-view.js';
import { hashKey, type MempoolEntry } from './entry.js';
import type { PoolIndex } from './pool-index.js';
import { type MempoolRejection, type ResolvedMempoolOptions, reject } from './options.js';

/** Everything one acceptance learns, passed from step to step (Core's MemPoolAccept::Workspace). */
export interface Workspace {
  readonly tx: Transaction;
  readonly view: PoolCoinView;
  /** The coin each input spends. */
  readonly coins: readonly Coin[];
  readonly fee: number;
  readonly modifiedFee: number;
  readonly sigOpCost: number;
  readonly vsize: number;
  readonly spendsCoinbase: boolean;
  /** Pool transactions spending the same coins (direct conflicts). */
  readonly conflicts: Set<MempoolEntry>;
}

/** What PreChecks needs from the pool and the chain. */
export interface PrecheckContext {
  readonly pool: PoolIndex;
  readonly chain: MempoolChain;
  readonly tip: TipContext;
  readonly options: ResolvedMempoolOptions;
  /** The rolling minimum fee rate now (sat/kvB, 0 for none). */
  readonly minFeeRate: number;
  /** prioritisetransaction delta for a txid key. */
  readonly feeDelta: (key: string) => number;
}

const fail = reject;

/**
 * The first half of Core's MemPoolAccept::PreChecks (v29): everything up to the fee checks, in
 * Core's order so the first failing rule gives Core's reason. Cheap checks come before coin lookups,
 * and everything here comes before signature checks (CPU DoS).
 */
export function preChecks(
  ctx: PrecheckContext,
  tx: Transaction,
  bypassLimits: boolean,
): Workspace | MempoolRejection {
  const { pool, options } = ctx;
  const consensus = checkTransaction(tx);
  if (!consensus.ok) return fail(consensus.result, consensus.reason, consensus.debug);
  if (tx.isCoinbase()) return fail(TxValidationResult.CONSENSUS, PolicyReject.COINBASE);

  if (options.requireStandard) {
    const reason = checkStandardTx(tx, options);
    if (reason !== undefined) return fail(TxValidationResult.NOT_STANDARD, reason);
  }
  // CVE-2017-12842: a 64-byte transaction could be passed off as an inner Merkle node.
  if (tx.baseSize() < MIN_STANDARD_TX_NONWITNESS_SIZE) {
    return fail(TxValidationResult.NOT_STANDARD, PolicyReject.TX_SIZE_SMALL);
  }
  if (!isFinalAtTip(ctx.tip, tx)) return fail(TxValidationResult.PREMATURE_SPEND, PolicyReject.NON_FINAL);

  if (pool.getByWtxid(tx.wtxid()) !== undefined) {
    return fail(TxValidationResult.CONFLICT, PolicyReject.ALREADY_IN_MEMPOOL);
  }
  if (pool.get(tx.txid()) !== undefined) {
    return fail(TxValidationResult.CONFLICT, PolicyReject.SAME_NONWITNESS_DATA_IN_MEMPOOL);
  }

  const conflicts = new Set<MempoolEntry>();
  for (const input of tx.inputs) {
    const spender = pool.spender(input.prevout);
    if (spender === undefined) continue;
    // Without full RBF only a conflict that itself signals BIP125, or is TRUC, may be replaced.
    // Signals inherited from ancestors do not count (CVE-2021-31876, as Core ≤ v27 behaved).
    if (!options.fullRbf && !signalsOptInRbf(spender.tx) && (spender.tx.version | 0) !== TRUC_VERSION) {
      return fail(TxValidationResult.MEMPOOL_POLICY, PolicyReject.MEMPOOL_CONFLICT);
    }
    conflicts.add(spender);
  }

  const nextHeight = ctx.tip.height + 1;
  const view = new PoolCoinView(ctx.chain, pool, nextHeight);
  const coins: Coin[] = [];
  for (const input of tx.inputs) {
    const coin = view.getCoin(input.prevout);
    if (coin === undefined) {
      // Missing because this very transaction is already confirmed (its outputs are in the UTXO set)?
      const txid = tx.txid();
      for (let i = 0; i < tx.outputs.length; i++) {
        if (ctx.chain.getCoin(new OutPoint(txid, i)) !== undefined) {
          return fail(TxValidationResult.CONFLICT, PolicyReject.ALREADY_KNOWN);
        }
      }
      return fail(TxValidationResult.MISSING_INPUTS, Reject.TXNS_INPUTS_MISSINGORSPENT);
    }
    coins.push(coin);
  }

  if (
    !sequenceLocksMetAtTip(
      ctx.chain,
      ctx.tip,
      tx,
      coins.map((c) => c.height),
    )
  ) {
    return fail(TxValidationResult.PREMATURE_SPEND, Reject.NON_BIP68_FINAL);
  }
  // The pool holds transactions for the next block, so coinbase maturity is judged at tip + 1.
  const inputs = checkTxInputs(tx, view, nextHeight);
  if (!inputs.ok) return fail(inputs.result, inputs.reason, inputs.debug);

  if (options.requireStandard && !areInputsStandard(tx, view)) {
    return fail(TxValidationResult.INPUTS_NOT_STANDARD, PolicyReject.NONSTANDARD_INPUTS);
  }
  if (tx.hasWitness() && options.requireStandard && !isWitnessStandard(tx, view)) {
    return fail(TxValidationResult.WITNESS_MUTATED, PolicyReject.WITNESS_NONSTANDARD);
  }

  const sigOpCost = getTransactionSigOpCost(tx, view, STANDARD_SCRIPT_VERIFY_FLAGS);
  const spendsCoinbase = coins.some((c) => c.coinbase);
  const fee = inputs.fee;
  const modifiedFee = fee + ctx.feeDelta(hashKey(tx.txid()));
  const vsize = virtualSize(tx.weight(), sigOpCost, options.bytesPerSigop);

  // Ephemeral dust: a transaction carrying dust must not be worth mining alone.
  if (options.requireStandard) {
    const debug = checkEphemeralFee(tx, options.dustRelayFeeRate, fee, modifiedFee);
    if (debug !== undefined) return fail(TxValidationResult.NOT_STANDARD, PolicyReject.DUST, debug);
  }
  if (sigOpCost > MAX_STANDARD_TX_SIGOPS_COST) {
    return fail(TxValidationResult.NOT_STANDARD, PolicyReject.TOO_MANY_SIGOPS, String(sigOpCost));
  }

  if (!bypassLimits) {
    const minRelayFee = feeForSize(options.minRelayFeeRate, vsize);
    // TRUC transactions may be below the floor alone (a child pays for them in a package); they
    // still meet the floor check below, which is reconsiderable.
    if ((tx.version | 0) !== TRUC_VERSION && modifiedFee < minRelayFee) {
      return fail(
        TxValidationResult.MEMPOOL_POLICY,
        PolicyReject.MIN_RELAY_FEE_NOT_MET,
        `${modifiedFee} < ${minRelayFee}`,
      );
    }
    const poolMinFee = feeForSize(ctx.minFeeRate, vsize);
    if (poolMinFee > 0 && modifiedFee < poolMinFee) {
      return fail(
        TxValidationResult.RECONSIDERABLE,
        PolicyReject.MEMPOOL_MIN_FEE_NOT_MET,
        `${modifiedFee} < ${poolMinFee}`,
      );
    }
    if (modifiedFee < minRelayFee) {
      return fail(
        TxValidationResult.RECONSIDERABLE,
        PolicyReject.MIN_RELAY_FEE_NOT_MET,
        `${modifiedFee} < ${minRelayFee}`,
      );
    }
  }

  return { tx, view, coins, fee, modifiedFee, sigOpCost, vsize, spendsCoinbase, conflicts };
}

/** Core's IsRBFOptIn for a pool entry: it or an unconfirmed ancestor signals BIP125. */
export function signalsReplaceability(entry: MempoolEntry): boolean {
  if (signalsOptInRbf(entry.tx)) return true;
  for (const ancestor of entry.ancestors()) if (signalsOptInRbf(ancestor.tx)) return true;
  return false;
}
