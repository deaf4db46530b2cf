import type { SignatureVerifyPool, VerifyBatch } from '../crypto/verify-pool.js';
import { toDisplayHex } from '../encoding/hex.js';
import { runScriptCheck, type ScriptCheckJob } from '../consensus/check-inputs.js';
import { type BlockCheck, BlockValidationResult, invalidBlock } from '../consensus/errors.js';
import { Reject, scriptFailureReason } from '../consensus/reject.js';
import type { EcdsaVerify, SchnorrVerify } from '../script/checker.js';
import { type ScriptError, scriptErrorMessage } from '../script/errors.js';

/**
 * Runs a block's script checks with the curve math spread over a worker pool, fed transaction by
 * transaction while ConnectBlock's UTXO checks are still going (Core's CCheckQueue plays this role).
 *
 * Each script runs at once on the calling thread with ECDSA and BIP340 hooks that queue the curve
 * check and answer "valid". This is exact: a script's execution depends on signature results only
 * through the checker, so when every queued check really is valid, the real run takes the same path
 * to the same result. Only inputs whose optimistic run failed, or whose queued checks turned out
 * invalid, are run again with the real synchronous checker, and that run decides. Interpretation and
 * sighashing thus overlap with the curve math, which the pool spreads over every core (the caller
 * included).
 */
export class ScriptCheckPipeline {
  private readonly batch: VerifyBatch;
  private readonly jobs: ScriptCheckJob[] = [];
  /** firstCheck[i]: index in the batch of job i's first queued curve check. */
  private firstCheck: number[] = [];
  private readonly rerun: number[] = [];
  private readonly deferredEcdsa: EcdsaVerify;
  private readonly deferredSchnorr: SchnorrVerify;

  constructor(pool: SignatureVerifyPool, expectedSignatures?: number) {
    const batch = pool.batch(expectedSignatures);
    this.batch = batch;
    this.deferredEcdsa = (sig64, msg32, pubkey) => {
      batch.push(sig64, msg32, pubkey);
      return true;
    };
    this.deferredSchnorr = (sig64, msg32, xonly32) => {
      batch.pushSchnorr(sig64, msg32, xonly32);
      return true;
    };
  }

  /** Interprets these jobs now; their curve checks go to the pool. */
  add(jobs: readonly ScriptCheckJob[]): void {
    for (const job of jobs) {
      const index = this.jobs.length;
      this.jobs.push(job);
      this.firstCheck.push(this.batch.length);
      if (runScriptCheck(job, this.deferredEcdsa, this.deferredSchnorr) !== 'OK') this.rerun.push(index);
    }
  }

  /** Waits for the pool and settles every doubtful input with the real checker. */
  async finish(): Promise<BlockCheck> {
    const end = this.batch.length;
    const result = await this.batch.finish();
    const doubtful = new Set(this.rerun);
    for (const check of result.failed) doubtful.add(jobOfCheck(this.firstCheck, end, check));
    for (const i of [...doubtful].sort((a, b) => a - b)) {
      const job = this.jobs[i]!;
      const error = runScriptCheck(job);
      if (error !== 'OK') return scriptFailure(job, error);
    }
    return { ok: true };
  }

  /** Settles the pool's work and drops the results (the block failed for another reason). */
  async abandon(): Promise<void> {
    await this.batch.finish();
  }
}

/** Binary search: the job whose queued checks include `check` (jobs may queue none). */
function jobOfCheck(firstCheck: readonly number[], end: number, check: number): number {
  let lo = 0;
  let hi = firstCheck.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (firstCheck[mid]! <= check) lo = mid;
    else hi = mid - 1;
  }
  // Several jobs may share a start (those before queued nothing): the last of them owns the check.
  if (check >= end) throw new RangeError(`curve check ${check} was never queued`);
  return lo;
}

export function scriptFailure(job: ScriptCheckJob, error: ScriptError): BlockCheck {
  const input = job.tx.inputs[job.inputIndex]!;
  return invalidBlock(
    BlockValidationResult.CONSENSUS,
    scriptFailureReason(Reject.MANDATORY_SCRIPT_VERIFY_FLAG_FAILED, scriptErrorMessage(error)),
    `input ${job.inputIndex} of ${toDisplayHex(job.tx.txid())}, spending ${input.prevout}`,
  );
}
