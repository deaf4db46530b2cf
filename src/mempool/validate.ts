import type { EcdsaVerify } from '../script/checker.js';
import type { Transaction } from '../primitives/transaction.js';
import type { MempoolEntry } from './entry.js';
import type { MempoolRejection } from './options.js';
import {
  checkPackage,
  checkPoolEphemeralSpends,
  checkReplacement,
  type PackagePlan,
} from './package-checks.js';
import { type PrecheckContext, preChecks, type Workspace } from './prechecks.js';
import { policyScriptChecks } from './script-checks.js';

export interface ValidationContext extends PrecheckContext {
  readonly ecdsaVerify: EcdsaVerify | undefined;
}

/** A transaction that passed every check, with what adding it involves. */
export interface ValidatedTx {
  readonly ws: Workspace;
  readonly plan: PackagePlan;
  /** Pool transactions it replaces (conflicts and their descendants). */
  readonly evicted: Set<MempoolEntry>;
}

/**
 * Core's AcceptSingleTransaction up to the point of changing the pool: PreChecks, the package and
 * ephemeral-dust rules, the replacement rules, then the scripts, last because they are the costly
 * part. Changes nothing.
 */
export function validateTransaction(
  ctx: ValidationContext,
  tx: Transaction,
  bypassLimits: boolean,
): ValidatedTx | MempoolRejection {
  const ws = preChecks(ctx, tx, bypassLimits);
  if ('ok' in ws) return ws;
  const plan = checkPackage(ctx.pool, ctx.options, ws);
  if ('ok' in plan) return plan;
  if (ctx.options.requireStandard) {
    const dust = checkPoolEphemeralSpends(ctx.pool, ctx.options, ws);
    if (dust !== undefined) return dust;
  }
  let evicted = new Set<MempoolEntry>();
  if (plan.conflicts.size > 0) {
    const replacement = checkReplacement(ctx.pool, ctx.options, ws, plan);
    if ('ok' in replacement) return replacement;
    evicted = replacement;
  }
  const scripts = policyScriptChecks(tx, ws.coins, ctx.ecdsaVerify);
  if (scripts !== undefined) return scripts;
  return { ws, plan, evicted };
}
