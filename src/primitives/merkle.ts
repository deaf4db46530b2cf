import { hash256 } from '../crypto/hash.js';
import { equalBytes } from '../encoding/bytes.js';

/**
 * Bitcoin's Merkle root: pair hashes level by level, duplicating the last hash of an odd level.
 *
 * `mutated` reports CVE-2012-2459: because of the duplication, a list whose level contains two equal
 * adjacent hashes at an even position has the same root as a shorter list, so an attacker can add
 * duplicate transactions to a valid block without changing its hash. Core's ComputeMerkleRoot flags
 * this and the block is rejected as "bad-txns-duplicate" (without caching it as invalid).
 */
export function computeMerkleRoot(leaves: readonly Uint8Array[]): { root: Uint8Array; mutated: boolean } {
  if (leaves.length === 0) return { root: new Uint8Array(32), mutated: false };
  let level = leaves.slice();
  let mutated = false;
  const pair = new Uint8Array(64);
  while (level.length > 1) {
    for (let i = 0; i + 1 < level.length; i += 2) {
      if (equalBytes(level[i]!, level[i + 1]!)) mutated = true;
    }
    if (level.length & 1) level.push(level[level.length - 1]!);
    const next: Uint8Array[] = new Array(level.length >> 1);
    for (let i = 0; i < level.length; i += 2) {
      pair.set(level[i]!, 0);
      pair.set(level[i + 1]!, 32);
      next[i >> 1] = hash256(pair);
    }
    level = next;
  }
  return { root: level[0]!, mutated };
}

/** Hash of two child nodes. */
export function merkleParent(left: Uint8Array, right: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  pair.set(left, 0);
  pair.set(right, 32);
  return hash256(pair);
}
