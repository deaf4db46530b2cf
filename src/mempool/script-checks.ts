import { runScriptCheck, type ScriptCheckJob } from '../consensus/check-inputs.js';
import { TxValidationResult } from '../consensus/errors.js';
import { Reject, scriptFailureReason } from '../consensus/reject.js';
import { toDisplayHex } from '../encoding/hex.js';
import type { Coin } from '../primitives/coin.js';
import type { Transaction } from '../primitives/transaction.js';
import { STANDARD_NOT_MANDATORY_VERIFY_FLAGS, STANDARD_SCRIPT_VERIFY_FLAGS } from '../policy/constants.js';
import { nonMandatoryScriptReason } from '../policy/reject.js';
import type { EcdsaVerify } from '../script/checker.js';
import { scriptErrorMessage } from '../script/errors.js';
import { ScriptFlags } from '../script/flags.js';
import { PrecomputedTransactionData } from '../script/precomputed.js';
import { type MempoolRejection, reject } from './options.js';

/** The first failing input under `flags`, or undefined when every input passes. */
function firstFailure(
  tx: Transaction,
  coins: readonly Coin[],
  flags: number,
  txdata: PrecomputedTransactionData,
  ecdsaVerify: EcdsaVerify | undefined,
): { job: ScriptCheckJob; error: ReturnType<typeof runScriptCheck> } | undefined {
  for (let inputIndex = 0; inputIndex < coins.length; inputIndex++) {
    const job: ScriptCheckJob = { tx, inputIndex, coin: coins[inputIndex]!, flags, txdata };
    const error = runScriptCheck(job, ecdsaVerify);
    if (error !== 'OK') return { job, error };
  }
  return undefined;
}

/**
 * Core's CheckInputScripts as the mempool calls it (v29): on the first failing input, re-run that
 * input without the standard-only flags. If it passes then, the failure was only policy
 * (TX_NOT_STANDARD, `non-mandatory-script-verify-flag`); otherwise it is consensus (TX_CONSENSUS,
 * `mandatory-script-verify-flag-failed`). Both report the error of the first run, as Core does.
 * Peers are only punished for the second kind, so a soft-fork-in-waiting rule never splits the network.
 */
function checkInputScripts(
  tx: Transaction,
  coins: readonly Coin[],
  flags: number,
  txdata: PrecomputedTransactionData,
  ecdsaVerify: EcdsaVerify | undefined,
): MempoolRejection | undefined {
  const failure = firstFailure(tx, coins, flags, txdata, ecdsaVerify);
  if (failure === undefined) return undefined;
  const text = scriptErrorMessage(failure.error);
  const debug = `input ${failure.job.inputIndex} of ${toDisplayHex(tx.txid())}`;
  if ((flags & STANDARD_NOT_MANDATORY_VERIFY_FLAGS) !== 0) {
    const mandatoryOnly = { ...failure.job, flags: flags & ~STANDARD_NOT_MANDATORY_VERIFY_FLAGS };
    if (runScriptCheck(mandatoryOnly, ecdsaVerify) === 'OK') {
      return reject(TxValidationResult.NOT_STANDARD, nonMandatoryScriptReason(text), debug);
    }
  }
  return reject(
    TxValidationResult.CONSENSUS,
    scriptFailureReason(Reject.MANDATORY_SCRIPT_VERIFY_FLAG_FAILED, text),
    debug,
  );
}

/**
 * Core's PolicyScriptChecks: every input's script under the standard flags, last of all because it
 * is the expensive part. A transaction without witness that fails only because witness data is
 * missing is reported as TX_WITNESS_STRIPPED (same reason), so the relay layer does not blacklist
 * the txid: the real, witnessed transaction may be fine.
 */
export function policyScriptChecks(
  tx: Transaction,
  coins: readonly Coin[],
  ecdsaVerify?: EcdsaVerify,
): MempoolRejection | undefined {
  const flags = STANDARD_SCRIPT_VERIFY_FLAGS;
  const txdata = new PrecomputedTransactionData(
    tx,
    coins.map((c) => c.toTxOut()),
  );
  const failure = checkInputScripts(tx, coins, flags, txdata, ecdsaVerify);
  if (failure === undefined) return undefined;
  if (
    !tx.hasWitness() &&
    firstFailure(tx, coins, flags & ~(ScriptFlags.WITNESS | ScriptFlags.CLEANSTACK), txdata, ecdsaVerify) ===
      undefined &&
    firstFailure(tx, coins, flags & ~ScriptFlags.CLEANSTACK, txdata, ecdsaVerify) !== undefined
  ) {
    return reject(TxValidationResult.WITNESS_STRIPPED, failure.reason, failure.debug);
  }
  return failure;
}
