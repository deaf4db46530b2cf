import { equalBytes } from '../encoding/bytes.js';
import { merkleParent } from './merkle.js';

/**
 * Merkle inclusion proofs (the "merkle branch" of Electrum servers and of Core's old GetMerkleBranch)
 * for Bitcoin's tree, where an odd level is completed by duplicating its last hash.
 *
 * A branch lists the sibling hashes from the leaf upwards, in internal byte order; bit k of the leaf's
 * index says whether the running hash is the right (1) or left (0) child at level k.
 *
 * The duplication lets the last node of an odd level pose as its own right sibling, so a bare
 * "hash up the branch" check would accept the last leaf at a phantom index one past the end. The
 * check here refuses a right child equal to its left sibling: an honest tree never has one (that is
 * exactly the CVE-2012-2459 mutation computeMerkleRoot reports), and so a proof verifies at one index
 * only. Proofs prove inclusion, not that a 32-byte leaf is a transaction rather than an inner node
 * (the 64-byte-transaction ambiguity); callers that care check the leaf against a known transaction.
 */

/** Sibling hashes from the leaf at `index` up to (not including) the root. */
export function buildMerkleBranch(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf index ${index} out of range for ${leaves.length} leaves`);
  }
  const branch: Uint8Array[] = [];
  let level = leaves.slice();
  let pos = index;
  while (level.length > 1) {
    if (level.length & 1) level.push(level[level.length - 1]!);
    branch.push(level[pos ^ 1]!);
    const next: Uint8Array[] = new Array(level.length >> 1);
    for (let i = 0; i < level.length; i += 2) next[i >> 1] = merkleParent(level[i]!, level[i + 1]!);
    level = next;
    pos >>>= 1;
  }
  return branch;
}

/**
 * The root the branch leads to from `leaf` at `index`, hashing with no checks: use it to compare
 * against a root only through verifyMerkleBranch, which also checks the index and the duplication.
 */
export function computeRootFromBranch(
  leaf: Uint8Array,
  branch: readonly Uint8Array[],
  index: number,
): Uint8Array {
  let hash = leaf;
  let pos = index;
  for (const sibling of branch) {
    hash = pos & 1 ? merkleParent(sibling, hash) : merkleParent(hash, sibling);
    pos = Math.floor(pos / 2);
  }
  return hash;
}

/** True when `leaf` sits at `index` of the tree whose root is `root`, by way of `branch`. */
export function verifyMerkleBranch(
  leaf: Uint8Array,
  branch: readonly Uint8Array[],
  index: number,
  root: Uint8Array,
): boolean {
  // A tree of 2^k leaves or fewer has a k-step branch: a larger index names no leaf. Bitcoin's trees
  // have at most 2^32 leaves (the index is a u32 in every message that carries one).
  if (!Number.isInteger(index) || index < 0 || branch.length > 32 || index >= 2 ** branch.length)
    return false;
  if (leaf.length !== 32 || root.length !== 32) return false;
  let hash = leaf;
  let pos = index;
  for (const sibling of branch) {
    if (sibling.length !== 32) return false;
    if (pos & 1) {
      // A right child equal to its left sibling is a duplicated last node posing as a real one.
      if (equalBytes(sibling, hash)) return false;
      hash = merkleParent(sibling, hash);
    } else {
      hash = merkleParent(hash, sibling);
    }
    pos = Math.floor(pos / 2);
  }
  return equalBytes(hash, root);
}
