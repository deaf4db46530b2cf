import { merkleParent } from '../primitives/merkle.js';

/**
 * The coinbase's Merkle branch: the sibling hashes on the path from leaf 0 to the root. Every
 * extraNonce roll changes only the coinbase txid, so the root is then log2(n) hashes away instead of
 * the n of a full recomputation (the branch Stratum sends to miners for the same reason).
 *
 * `others` are the txids of the block's other transactions, in block order. The hashes on the
 * coinbase's own path are never needed, so they are left out of each level (null below); the odd-level
 * duplication rule is the one of computeMerkleRoot, so foldMerkleBranch gives the same root.
 */
export function coinbaseMerkleBranch(others: readonly Uint8Array[]): Uint8Array[] {
  const branch: Uint8Array[] = [];
  let level: (Uint8Array | null)[] = [null, ...others];
  while (level.length > 1) {
    branch.push(level[1]!);
    if (level.length & 1) level.push(level[level.length - 1]!);
    const next: (Uint8Array | null)[] = [null];
    for (let i = 2; i < level.length; i += 2) next.push(merkleParent(level[i]!, level[i + 1]!));
    level = next;
  }
  return branch;
}

/** The Merkle root of a block whose coinbase has `coinbaseTxid`, given the coinbase's branch. */
export function foldMerkleBranch(coinbaseTxid: Uint8Array, branch: readonly Uint8Array[]): Uint8Array {
  let hash = coinbaseTxid;
  for (const sibling of branch) hash = merkleParent(hash, sibling);
  return hash;
}
