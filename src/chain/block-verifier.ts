import type { SignatureVerifyPool, VerifyBatch } from '../crypto/verify-pool.js';
import { toDisplayHex } from '../encoding/hex.js';
import type { Block } from '../primitives/block.js';
import { checkBlock } from '../consensus/check-block.js';
import { runScriptCheck, type ScriptCheckJob } from '../consensus/check-inputs.js';
import type { CoinView } from '../consensus/coin-view.js';
import {
  type ConnectContext,
  type ConnectResult,
  connectBlockChecks,
  runScriptChecks,
} from '../consensus/connect-block.js';
import { contextualCheckBlock } from '../consensus/contextual.js';
import { type BlockCheck, BlockValidationResult, invalidBlock } from '../consensus/errors.js';
import type { NetworkParams } from '../consensus/params.js';
import { Reject, scriptFailureReason } from '../consensus/reject.js';
import type { EcdsaVerify } from '../script/checker.js';
import { scriptErrorMessage } from '../script/errors.js';

export interface VerifyBlockOptions {
  /** Check the header's proof of work (off only for deliberately tampered test blocks). */
  readonly checkPoW?: boolean;
}

/**
 * Full validation of one block against a view of the coins it spends: CheckBlock,
 * ContextualCheckBlock, ConnectBlock's UTXO rules, then every input script.
 *
 * Scripts run on the calling thread with an ECDSA hook that queues the curve check into the worker
 * pool and answers "valid" at once. That is exact, not optimistic in effect: a script's execution
 * depends on signature results only through the checker, so if every queued check really is valid the
 * real run takes the very same path and reaches the same result. Only inputs whose optimistic run
 * failed, or whose queued checks turned out invalid, are run again with the real (synchronous)
 * checker, which decides. Interpretation and sighashing (~20% of the cost) thus overlap with the
 * curve math (~80%) spread over every core.
 */
export class BlockVerifier {
  constructor(private readonly deps: { readonly pool?: SignatureVerifyPool } = {}) {}

  async verify(
    block: Block,
    view: CoinView,
    ctx: ConnectContext,
    params: NetworkParams,
    options: VerifyBlockOptions = {},
  ): Promise<BlockCheck<ConnectResult>> {
    const consensus = params.consensus;
    const context = checkBlock(block, consensus, {
      checkPoW: options.checkPoW ?? true,
      checkMerkleRoot: true,
    });
    if (!context.ok) return context;
    const contextual = contextualCheckBlock(
      block,
      { height: ctx.height, prevMedianTimePast: ctx.prevMedianTimePast },
      consensus,
    );
    if (!contextual.ok) return contextual;
    const connect = connectBlockChecks(block, view, ctx, consensus);
    if (!connect.ok) return connect;
    const pool = this.deps.pool;
    const scripts =
      pool === undefined || connect.scriptChecks.length === 0
        ? runScriptChecks(connect.scriptChecks)
        : await runScriptChecksParallel(connect.scriptChecks, pool);
    return scripts.ok ? connect : scripts;
  }
}

/** Runs script checks with the curve math in the pool; see BlockVerifier for why this is exact. */
export async function runScriptChecksParallel(
  jobs: readonly ScriptCheckJob[],
  pool: SignatureVerifyPool,
): Promise<BlockCheck> {
  const batch: VerifyBatch = pool.batch(jobs.length * 2);
  const deferred: EcdsaVerify = (sig64, msg32, pubkey) => {
    batch.push(sig64, msg32, pubkey);
    return true;
  };
  // firstCheck[i]..firstCheck[i+1]: the queued curve checks of job i.
  const firstCheck = new Uint32Array(jobs.length + 1);
  const rerun = new Set<number>();
  for (let i = 0; i < jobs.length; i++) {
    firstCheck[i] = batch.length;
    if (runScriptCheck(jobs[i]!, deferred) !== 'OK') rerun.add(i);
  }
  firstCheck[jobs.length] = batch.length;
  const result = await batch.finish();
  for (const failedCheck of result.failed) rerun.add(jobOfCheck(firstCheck, failedCheck));
  for (const i of [...rerun].sort((a, b) => a - b)) {
    const job = jobs[i]!;
    const error = runScriptCheck(job);
    if (error !== 'OK') return scriptFailure(job, error);
  }
  return { ok: true };
}

/** Binary search: the job whose range of queued checks holds `check`. */
function jobOfCheck(firstCheck: Uint32Array, check: number): number {
  let lo = 0;
  let hi = firstCheck.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (firstCheck[mid]! <= check) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function scriptFailure(job: ScriptCheckJob, error: Parameters<typeof scriptErrorMessage>[0]): BlockCheck {
  const input = job.tx.inputs[job.inputIndex]!;
  return invalidBlock(
    BlockValidationResult.CONSENSUS,
    scriptFailureReason(Reject.MANDATORY_SCRIPT_VERIFY_FLAG_FAILED, scriptErrorMessage(error)),
    `input ${job.inputIndex} of ${toDisplayHex(job.tx.txid())}, spending ${input.prevout}`,
  );
}
