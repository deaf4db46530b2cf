import type { Transaction } from '../primitives/transaction.js';
import {
  TRUC_ANCESTOR_LIMIT,
  TRUC_CHILD_MAX_VSIZE,
  TRUC_DESCENDANT_LIMIT,
  TRUC_MAX_VSIZE,
  TRUC_VERSION,
} from './constants.js';

/**
 * BIP431 topologically restricted until confirmation (TRUC, "version 3") transactions, as Core's
 * SingleTRUCChecks (policy/truc_policy.cpp). A TRUC transaction is at most 10,000 vB, has at most one
 * unconfirmed parent and one unconfirmed child (of at most 1,000 vB), and TRUC and non-TRUC
 * transactions never depend on each other while unconfirmed, so pinning a TRUC package by attaching
 * a large low-fee descendant is impossible.
 */

/** What the checks need to know about a mempool transaction. */
export interface TrucPoolTx {
  readonly tx: Transaction;
  readonly parentCount: number;
  readonly children: readonly TrucPoolTx[];
}

export interface TrucViolation {
  /** Core's debug message (reason is TRUC-violation). */
  readonly message: string;
  /** A sibling that may be evicted instead, under the replacement rules (Core's sibling eviction). */
  readonly sibling?: TrucPoolTx;
}

const describe = (tx: Transaction): string => `${tx.txidHex()} (wtxid=${tx.wtxidHex()})`;

/**
 * @param parents the transaction's direct in-mempool parents
 * @param isDirectConflict whether a mempool transaction is one this transaction directly replaces
 */
export function checkTruc(
  tx: Transaction,
  vsize: number,
  parents: readonly TrucPoolTx[],
  isDirectConflict: (tx: Transaction) => boolean,
): TrucViolation | undefined {
  const isTruc = (tx.version | 0) === TRUC_VERSION;
  for (const parent of parents) {
    const parentTruc = (parent.tx.version | 0) === TRUC_VERSION;
    if (!isTruc && parentTruc) {
      return {
        message: `non-version=3 tx ${describe(tx)} cannot spend from version=3 tx ${describe(parent.tx)}`,
      };
    }
    if (isTruc && !parentTruc) {
      return {
        message: `version=3 tx ${describe(tx)} cannot spend from non-version=3 tx ${describe(parent.tx)}`,
      };
    }
  }
  if (!isTruc) return undefined;

  if (vsize > TRUC_MAX_VSIZE) {
    return { message: `version=3 tx ${describe(tx)} is too big: ${vsize} > ${TRUC_MAX_VSIZE} virtual bytes` };
  }
  if (parents.length + 1 > TRUC_ANCESTOR_LIMIT) {
    return { message: `tx ${describe(tx)} would have too many ancestors` };
  }
  const parent = parents[0];
  if (parent === undefined) return undefined;

  if (vsize > TRUC_CHILD_MAX_VSIZE) {
    return {
      message: `version=3 child tx ${describe(tx)} is too big: ${vsize} > ${TRUC_CHILD_MAX_VSIZE} virtual bytes`,
    };
  }
  // The single parent may not have parents of its own: the package would have three generations.
  if (parent.parentCount > 0) return { message: `tx ${describe(tx)} would have too many ancestors` };

  const children = parent.children;
  // A child this transaction replaces anyway does not count (it is leaving).
  const childWillBeReplaced = children.some((child) => isDirectConflict(child.tx));
  if (children.length + 2 > TRUC_DESCENDANT_LIMIT && !childWillBeReplaced) {
    // Sibling eviction: with exactly one childless sibling, the caller may try to replace it.
    const only = children.length === 1 ? children[0] : undefined;
    const sibling = only !== undefined && only.children.length === 0 ? only : undefined;
    const message = `tx ${describe(parent.tx)} would exceed descendant count limit`;
    return sibling === undefined ? { message } : { message, sibling };
  }
  return undefined;
}
