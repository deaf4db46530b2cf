import { toDisplayHex } from '../encoding/hex.js';
import type { Coin } from '../primitives/coin.js';
import type { Transaction } from '../primitives/transaction.js';
import type { TxOut } from '../primitives/txout.js';
import { type EcdsaVerify, type SchnorrVerify, TransactionSignatureChecker } from '../script/checker.js';
import { type ScriptError, scriptErrorMessage } from '../script/errors.js';
import { ScriptFlags } from '../script/flags.js';
import { verifyScript } from '../script/interpreter.js';
import { PrecomputedTransactionData } from '../script/precomputed.js';
import { isPayToScriptHash } from '../script/script.js';
import { countWitnessSigOps, getP2SHSigOpCount } from '../script/sigops.js';
import { legacySigOpCount } from './check-block.js';
import { transactionValueOut } from './check-transaction.js';
import type { CoinView } from './coin-view.js';
import { COINBASE_MATURITY, WITNESS_SCALE_FACTOR } from './constants.js';
import { type Invalid, invalidTx, type TxCheck, TxValidationResult } from './errors.js';
import { Reject, scriptFailureReason } from './reject.js';
import { moneyRange } from './subsidy.js';

/**
 * Core's Consensus::CheckTxInputs: every input's coin exists and is unspent, coinbase coins are mature,
 * input values are in range and cover the outputs. Returns the fee. `spendHeight` is the height of the
 * block the transaction would be in. Assumes checkTransaction passed (outputs are in range).
 */
export function checkTxInputs(
  tx: Transaction,
  view: CoinView,
  spendHeight: number,
): TxCheck<{ fee: number }> {
  const coins = findSpentCoins(tx, view);
  if (!Array.isArray(coins)) return coins;
  return checkTxInputCoins(tx, coins, spendHeight);
}

/**
 * The coins `tx` spends, in input order, or checkTxInputs' missing-inputs failure. Block validation
 * fetches them once per transaction and hands them to the *Coins variants below: four lookups per
 * input through the block's overlay view cost ~0.5 ms of block 300025's connect step.
 */
export function findSpentCoins(tx: Transaction, view: CoinView): Coin[] | Invalid<TxValidationResult> {
  const coins: Coin[] = [];
  for (const input of tx.inputs) {
    const coin = view.getCoin(input.prevout);
    if (coin === undefined) {
      return invalidTx(
        TxValidationResult.MISSING_INPUTS,
        Reject.TXNS_INPUTS_MISSINGORSPENT,
        `checkTxInputs: inputs missing/spent (${input.prevout})`,
      );
    }
    coins.push(coin);
  }
  return coins;
}

/** checkTxInputs after the coins were found: `coins[i]` is the coin input i spends. */
export function checkTxInputCoins(
  tx: Transaction,
  coins: readonly Coin[],
  spendHeight: number,
): TxCheck<{ fee: number }> {
  let valueIn = 0;
  for (const coin of coins) {
    if (coin.coinbase && spendHeight - coin.height < COINBASE_MATURITY) {
      return invalidTx(
        TxValidationResult.PREMATURE_SPEND,
        Reject.TXNS_PREMATURE_SPEND_OF_COINBASE,
        `tried to spend coinbase at depth ${spendHeight - coin.height}`,
      );
    }
    // Each value and the running sum stay within MAX_MONEY, so the sum is exact.
    valueIn += coin.value;
    if (!moneyRange(coin.value) || !moneyRange(valueIn)) {
      return invalidTx(TxValidationResult.CONSENSUS, Reject.TXNS_INPUTVALUES_OUTOFRANGE);
    }
  }
  const valueOut = transactionValueOut(tx);
  if (valueIn < valueOut) {
    return invalidTx(
      TxValidationResult.CONSENSUS,
      Reject.TXNS_IN_BELOWOUT,
      `value in (${formatMoney(valueIn)}) < value out (${formatMoney(valueOut)})`,
    );
  }
  const fee = valueIn - valueOut;
  if (!moneyRange(fee)) return invalidTx(TxValidationResult.CONSENSUS, Reject.TXNS_FEE_OUTOFRANGE);
  return { ok: true, fee };
}

/** Core's FormatMoney: BTC with at least 2 decimals, trailing zeros trimmed beyond that. */
function formatMoney(sats: number): string {
  const sign = sats < 0 ? '-' : '';
  const abs = Math.abs(sats);
  const whole = Math.floor(abs / 1e8);
  const frac = String(abs % 1e8)
    .padStart(8, '0')
    .replace(/0{1,6}$/, '');
  return `${sign}${whole}.${frac}`;
}

/**
 * Core's GetTransactionSigOpCost: legacy sigops (x4), P2SH redeem-script sigops (x4, with the P2SH
 * flag) and witness sigops (x1, counted by the script layer under the WITNESS flag). Coins that the
 * view lacks count nothing: callers run checkTxInputs first, as Core asserts they exist.
 */
export function getTransactionSigOpCost(tx: Transaction, view: CoinView, flags: number): number {
  if (tx.isCoinbase()) return legacySigOpCount(tx) * WITNESS_SCALE_FACTOR;
  return transactionSigOpCostOfCoins(
    tx,
    tx.inputs.map((input) => view.getCoin(input.prevout)),
    flags,
  );
}

/** getTransactionSigOpCost with the coins already fetched (`coins[i]` for input i, if known). */
export function transactionSigOpCostOfCoins(
  tx: Transaction,
  coins: readonly (Coin | undefined)[],
  flags: number,
): number {
  let cost = legacySigOpCount(tx) * WITNESS_SCALE_FACTOR;
  if (tx.isCoinbase()) return cost;
  const inputs = tx.inputs;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const coin = coins[i];
    if (coin === undefined) continue;
    if (flags & ScriptFlags.P2SH && isPayToScriptHash(coin.scriptPubKey)) {
      cost += getP2SHSigOpCount(coin.scriptPubKey, input.scriptSig) * WITNESS_SCALE_FACTOR;
    }
    cost += countWitnessSigOps(input.scriptSig, coin.scriptPubKey, input.witness, flags);
  }
  return cost;
}

/** One input's script verification, detached so block validation can run them in parallel. */
export interface ScriptCheckJob {
  readonly tx: Transaction;
  readonly inputIndex: number;
  /** The coin being spent (amount and scriptPubKey). */
  readonly coin: Coin;
  readonly flags: number;
  /** Shared by all jobs of one transaction (BIP143 midstates). */
  readonly txdata: PrecomputedTransactionData;
}

export interface ScriptCheckOptions {
  /** Reuse midstates already computed for this transaction. */
  readonly txdata?: PrecomputedTransactionData;
  /** The curve check, e.g. a batched or worker-thread verifier; the secp256k1 adapter by default. */
  readonly ecdsaVerify?: EcdsaVerify;
  /** The BIP340 check (taproot key path, tapscript), swappable like ecdsaVerify. */
  readonly schnorrVerify?: SchnorrVerify;
}

/** The script-check jobs of a transaction's inputs; undefined if a coin is missing. */
export function scriptCheckJobs(
  tx: Transaction,
  view: CoinView,
  flags: number,
  txdata?: PrecomputedTransactionData,
): ScriptCheckJob[] | undefined {
  const coins = findSpentCoins(tx, view);
  return Array.isArray(coins) ? scriptCheckJobsOfCoins(tx, coins, flags, txdata) : undefined;
}

/** scriptCheckJobs with the coins already fetched: `coins[i]` is the coin input i spends. */
export function scriptCheckJobsOfCoins(
  tx: Transaction,
  coins: readonly Coin[],
  flags: number,
  txdata?: PrecomputedTransactionData,
): ScriptCheckJob[] {
  const spent: TxOut[] = coins.map((c) => c.toTxOut());
  const shared = txdata ?? new PrecomputedTransactionData(tx, spent);
  return coins.map((coin, inputIndex) => ({ tx, inputIndex, coin, flags, txdata: shared }));
}

/**
 * Runs one job: Core's CScriptCheck. Returns the script error code, 'OK' on success. The curve checks
 * default to the secp256k1 adapter.
 */
export function runScriptCheck(
  job: ScriptCheckJob,
  ecdsaVerify?: EcdsaVerify,
  schnorrVerify?: SchnorrVerify,
): ScriptError {
  const input = job.tx.inputs[job.inputIndex]!;
  const checker = new TransactionSignatureChecker(
    job.tx,
    job.inputIndex,
    job.coin.value,
    job.txdata,
    ecdsaVerify,
    schnorrVerify,
  );
  return verifyScript(input.scriptSig, job.coin.scriptPubKey, input.witness, job.flags, checker);
}

/**
 * Core's CheckInputScripts, run sequentially: every input's script under `flags`. A failure is
 * TX_CONSENSUS `mandatory-script-verify-flag-failed (<Core's script error text>)`. (Core's mempool
 * retries policy failures without the policy flags to report non-mandatory-script-verify-flag; that
 * distinction belongs to policy/, which calls this with and without its extra flags.)
 */
export function checkInputScripts(
  tx: Transaction,
  view: CoinView,
  flags: number,
  options: ScriptCheckOptions = {},
): TxCheck {
  const jobs = scriptCheckJobs(tx, view, flags, options.txdata);
  if (jobs === undefined) {
    return invalidTx(
      TxValidationResult.MISSING_INPUTS,
      Reject.TXNS_INPUTS_MISSINGORSPENT,
      'checkInputScripts: inputs missing/spent',
    );
  }
  for (const job of jobs) {
    const error = runScriptCheck(job, options.ecdsaVerify, options.schnorrVerify);
    if (error !== 'OK') {
      return invalidTx(
        TxValidationResult.CONSENSUS,
        scriptFailureReason(Reject.MANDATORY_SCRIPT_VERIFY_FLAG_FAILED, scriptErrorMessage(error)),
        `input ${job.inputIndex} of ${toDisplayHex(tx.txid())}`,
      );
    }
  }
  return { ok: true };
}
