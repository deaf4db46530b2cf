import { TxValidationResult } from '../consensus/errors.js';
import { toDisplayHex } from '../encoding/hex.js';
import {
  EXTRA_DESCENDANT_TX_SIZE_LIMIT,
  MAX_BIP125_REPLACEMENT_CANDIDATES,
  TRUC_VERSION,
} from '../policy/constants.js';
import { checkEphemeralSpends } from '../policy/ephemeral.js';
import { paysForRbf, paysMoreThanConflicts } from '../policy/rbf.js';
import { PolicyReject } from '../policy/reject.js';
import { checkTruc, type TrucPoolTx } from '../policy/truc.js';
import { type MempoolEntry, txKeyOf } from './entry.js';
import { calculateAncestors, type PackageLimits } from './limits.js';
import { type MempoolRejection, type ResolvedMempoolOptions, reject } from './options.js';
import type { PoolIndex } from './pool-index.js';
import type { Workspace } from './prechecks.js';

/** The package context of an accepted transaction: its in-pool ancestors and what it replaces. */
export interface PackagePlan {
  readonly parents: Set<MempoolEntry>;
  readonly ancestors: Set<MempoolEntry>;
  /** Direct conflicts, plus a TRUC sibling when sibling eviction applies. */
  readonly conflicts: Set<MempoolEntry>;
  readonly siblingEviction: boolean;
}

/** A pool entry as the TRUC rules see it. */
function trucView(entry: MempoolEntry): TrucPoolTx {
  return {
    tx: entry.tx,
    parentCount: entry.parents.size,
    get children() {
      return [...entry.children].map(trucView);
    },
  };
}

/**
 * The second half of Core's PreChecks (v29): ancestor and descendant limits with the RBF and CPFP
 * carve-outs, the TRUC rules (with sibling eviction) and the check that a transaction does not spend
 * what it replaces.
 */
export function checkPackage(
  pool: PoolIndex,
  options: ResolvedMempoolOptions,
  ws: Workspace,
): PackagePlan | MempoolRejection {
  const conflicts = new Set(ws.conflicts);
  let limits: PackageLimits = options.limits;
  // With exactly one direct conflict, the limits are checked as if it (and its descendants) were
  // already gone, so the transactions that used the CPFP carve-out below can themselves be replaced.
  if (conflicts.size === 1) {
    const [conflict] = conflicts;
    limits = {
      ...limits,
      descendantCount: limits.descendantCount + 1,
      descendantSizeVbytes: limits.descendantSizeVbytes + conflict!.descendantSize,
    };
  }
  const parents = pool.parentsOf(ws.tx);
  let result = calculateAncestors(parents, ws.vsize, limits);
  if (!result.ok) {
    const error = result.error;
    // CPFP carve-out: one extra small child of a parent that is otherwise at its descendant limit, so
    // two-party contracts can always bump their own output (bitcoin-dev, November 2018).
    if (ws.vsize > EXTRA_DESCENDANT_TX_SIZE_LIMIT || (ws.tx.version | 0) === TRUC_VERSION) {
      return reject(TxValidationResult.MEMPOOL_POLICY, PolicyReject.TOO_LONG_MEMPOOL_CHAIN, error);
    }
    result = calculateAncestors(parents, ws.vsize, {
      ancestorCount: 2,
      ancestorSizeVbytes: limits.ancestorSizeVbytes,
      descendantCount: limits.descendantCount + 1,
      descendantSizeVbytes: limits.descendantSizeVbytes + EXTRA_DESCENDANT_TX_SIZE_LIMIT,
    });
    if (!result.ok)
      return reject(TxValidationResult.MEMPOOL_POLICY, PolicyReject.TOO_LONG_MEMPOOL_CHAIN, error);
  }
  const ancestors = result.ancestors;

  let siblingEviction = false;
  const truc = checkTruc(ws.tx, ws.vsize, [...parents].map(trucView), (tx) => {
    const entry = pool.get(tx.txid());
    return entry !== undefined && conflicts.has(entry);
  });
  if (truc !== undefined) {
    const sibling = truc.sibling === undefined ? undefined : pool.get(truc.sibling.tx.txid());
    if (sibling === undefined) {
      return reject(TxValidationResult.MEMPOOL_POLICY, PolicyReject.TRUC_VIOLATION, truc.message);
    }
    conflicts.add(sibling);
    siblingEviction = true;
  }

  // A transaction spending an output of something it replaces would be inconsistent.
  for (const ancestor of ancestors) {
    if (conflicts.has(ancestor)) {
      return reject(
        TxValidationResult.CONSENSUS,
        PolicyReject.SPENDS_CONFLICTING_TX,
        `${toDisplayHex(ws.tx.txid())} spends conflicting transaction ${toDisplayHex(ancestor.txid)}`,
      );
    }
  }
  return { parents, ancestors, conflicts, siblingEviction };
}

/** Core's CheckEphemeralSpends for a single transaction against the pool. */
export function checkPoolEphemeralSpends(
  pool: PoolIndex,
  options: ResolvedMempoolOptions,
  ws: Workspace,
): MempoolRejection | undefined {
  const debug = checkEphemeralSpends(ws.tx, options.dustRelayFeeRate, (txid) => pool.get(txid)?.tx);
  return debug === undefined
    ? undefined
    : reject(TxValidationResult.MEMPOOL_POLICY, PolicyReject.MISSING_EPHEMERAL_SPENDS, debug);
}

/**
 * Core's ReplacementChecks (BIP125 rules 2 through 6 as Core v29 applies them): returns every pool
 * transaction the replacement evicts (the conflicts and their descendants).
 */
export function checkReplacement(
  pool: PoolIndex,
  options: ResolvedMempoolOptions,
  ws: Workspace,
  plan: PackagePlan,
): Set<MempoolEntry> | MempoolRejection {
  const txid = ws.tx.txid();
  const suffix = plan.siblingEviction ? ' (including sibling eviction)' : '';
  // Rule 6: a higher fee rate than every direct conflict.
  const rate = paysMoreThanConflicts(
    [...plan.conflicts].map((e) => ({ txid: e.txid, modifiedFee: e.modifiedFee, vsize: e.vsize })),
    ws.modifiedFee,
    ws.vsize,
    txid,
  );
  if (rate !== undefined) {
    return reject(TxValidationResult.RECONSIDERABLE, `${PolicyReject.INSUFFICIENT_FEE}${suffix}`, rate);
  }

  // Rule 5: bounded work. Counting descendants per conflict may count some twice; Core accepts the
  // overestimate as conservative.
  let candidates = 0;
  for (const conflict of plan.conflicts) {
    candidates += conflict.descendantCount;
    if (candidates > MAX_BIP125_REPLACEMENT_CANDIDATES) {
      return reject(
        TxValidationResult.MEMPOOL_POLICY,
        `${PolicyReject.TOO_MANY_REPLACEMENTS}${suffix}`,
        `rejecting replacement ${toDisplayHex(txid)}; too many potential replacements (${candidates} > ${MAX_BIP125_REPLACEMENT_CANDIDATES})\n`,
      );
    }
  }
  const all = new Set<MempoolEntry>();
  for (const conflict of plan.conflicts) {
    all.add(conflict);
    for (const d of conflict.descendants()) all.add(d);
  }

  // Rule 2: no new unconfirmed inputs, except outputs of transactions whose conflicts are replaced:
  // a replacement must not need low-fee unconfirmed parents mined first.
  const parentsOfConflicts = new Set<string>();
  for (const conflict of all) {
    for (const input of conflict.tx.inputs) parentsOfConflicts.add(txKeyOf(input.prevout));
  }
  for (let j = 0; j < ws.tx.inputs.length; j++) {
    const parentKey = txKeyOf(ws.tx.inputs[j]!.prevout);
    if (!parentsOfConflicts.has(parentKey) && pool.getByKey(parentKey) !== undefined) {
      return reject(
        TxValidationResult.MEMPOOL_POLICY,
        `${PolicyReject.REPLACEMENT_ADDS_UNCONFIRMED}${suffix}`,
        `replacement ${toDisplayHex(txid)} adds unconfirmed input, idx ${j}`,
      );
    }
  }

  // Rules 3 and 4: pay for everything evicted, plus this transaction's own relay.
  let conflictingFees = 0;
  for (const e of all) conflictingFees += e.modifiedFee;
  const pays = paysForRbf(conflictingFees, ws.modifiedFee, ws.vsize, options.incrementalRelayFeeRate, txid);
  if (pays !== undefined) {
    return reject(TxValidationResult.RECONSIDERABLE, `${PolicyReject.INSUFFICIENT_FEE}${suffix}`, pays);
  }
  return all;
}
