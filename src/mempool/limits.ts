import { toDisplayHex } from '../encoding/hex.js';
import type { MempoolEntry } from './entry.js';

/** Core's CTxMemPool::Limits: counts include the transaction itself; sizes are virtual bytes. */
export interface PackageLimits {
  readonly ancestorCount: number;
  readonly ancestorSizeVbytes: number;
  readonly descendantCount: number;
  readonly descendantSizeVbytes: number;
}

export type AncestorResult =
  | { readonly ok: true; readonly ancestors: Set<MempoolEntry> }
  | { readonly ok: false; readonly error: string };

/** The smallest staged entry by txid in internal byte order (Core's std::set order by hash). */
function takeFirst(staged: Map<string, MempoolEntry>): MempoolEntry {
  let bestKey: string | undefined;
  for (const key of staged.keys()) if (bestKey === undefined || key < bestKey) bestKey = key;
  const entry = staged.get(bestKey!)!;
  staged.delete(bestKey!);
  return entry;
}

/**
 * Core's CalculateMemPoolAncestors with CalculateAncestorsAndCheckLimits (v29): walks the in-pool
 * ancestors of a new transaction of `vsize` vbytes with direct parents `parents`, failing with
 * Core's message as soon as a limit would be exceeded. The walk visits staged ancestors in txid
 * order as Core's set does, so when several limits are broken the same one is reported.
 */
export function calculateAncestors(
  parents: Iterable<MempoolEntry>,
  vsize: number,
  limits: PackageLimits,
): AncestorResult {
  const staged = new Map<string, MempoolEntry>();
  for (const parent of parents) {
    staged.set(parent.key, parent);
    if (staged.size + 1 > limits.ancestorCount) {
      return { ok: false, error: `too many unconfirmed parents [limit: ${limits.ancestorCount}]` };
    }
  }
  const ancestors = new Set<MempoolEntry>();
  let totalSize = vsize;
  while (staged.size > 0) {
    const stage = takeFirst(staged);
    ancestors.add(stage);
    totalSize += stage.vsize;
    if (stage.descendantSize + vsize > limits.descendantSizeVbytes) {
      return {
        ok: false,
        error: `exceeds descendant size limit for tx ${toDisplayHex(stage.txid)} [limit: ${limits.descendantSizeVbytes}]`,
      };
    }
    if (stage.descendantCount + 1 > limits.descendantCount) {
      return {
        ok: false,
        error: `too many descendants for tx ${toDisplayHex(stage.txid)} [limit: ${limits.descendantCount}]`,
      };
    }
    if (totalSize > limits.ancestorSizeVbytes) {
      return { ok: false, error: `exceeds ancestor size limit [limit: ${limits.ancestorSizeVbytes}]` };
    }
    for (const parent of stage.parents) {
      if (!ancestors.has(parent)) staged.set(parent.key, parent);
      if (staged.size + ancestors.size + 1 > limits.ancestorCount) {
        return { ok: false, error: `too many unconfirmed ancestors [limit: ${limits.ancestorCount}]` };
      }
    }
  }
  return { ok: true, ancestors };
}
