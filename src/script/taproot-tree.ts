import { joinBytes } from './script.js';
import {
  TAPROOT_CONTROL_MAX_NODE_COUNT,
  TAPROOT_LEAF_MASK,
  TAPROOT_LEAF_TAPSCRIPT,
  tapbranchHash,
  tapleafHash,
  taprootTweakPublicKey,
} from './taproot.js';
import { p2tr } from './templates.js';

/**
 * Building taproot outputs from a script tree (BIP341's taproot_tree_helper and
 * taproot_output_script): what a wallet needs to pay to a tree and to spend one of its leaves.
 */

/** A leaf: a script and its version (0xc0, tapscript, unless given). */
export interface TapLeaf {
  readonly script: Uint8Array;
  readonly leafVersion?: number;
}

/** A binary tree of leaves; a pair is a branch. */
export type TapTree = TapLeaf | readonly [TapTree, TapTree];

/** A leaf as placed in its tree: its hash and the sibling hashes from the leaf up to the root. */
export interface TapLeafInfo {
  readonly script: Uint8Array;
  readonly leafVersion: number;
  readonly leafHash: Uint8Array;
  /** Concatenated 32-byte sibling hashes, bottom up: the control block's tail. */
  readonly path: Uint8Array;
}

function isBranch(tree: TapTree): tree is readonly [TapTree, TapTree] {
  return Array.isArray(tree);
}

function walk(
  tree: TapTree,
  depth: number,
): { leaves: { info: TapLeafInfo; path: Uint8Array[] }[]; hash: Uint8Array } {
  if (depth > TAPROOT_CONTROL_MAX_NODE_COUNT) throw new RangeError('taproot tree deeper than 128 levels');
  if (!isBranch(tree)) {
    const leafVersion = tree.leafVersion ?? TAPROOT_LEAF_TAPSCRIPT;
    if ((leafVersion & TAPROOT_LEAF_MASK) !== leafVersion) throw new RangeError('leaf version must be even');
    const leafHash = tapleafHash(leafVersion, tree.script);
    const info = { script: tree.script, leafVersion, leafHash, path: new Uint8Array(0) };
    return { leaves: [{ info, path: [] }], hash: leafHash };
  }
  const left = walk(tree[0], depth + 1);
  const right = walk(tree[1], depth + 1);
  // Each side's leaves gain the other side's hash as their next sibling.
  for (const leaf of left.leaves) leaf.path.push(right.hash);
  for (const leaf of right.leaves) leaf.path.push(left.hash);
  return { leaves: [...left.leaves, ...right.leaves], hash: tapbranchHash(left.hash, right.hash) };
}

/** The Merkle root of a script tree and every leaf with its path, in tree order (left first). */
export function buildTapTree(tree: TapTree): { merkleRoot: Uint8Array; leaves: TapLeafInfo[] } {
  const { leaves, hash } = walk(tree, 0);
  return {
    merkleRoot: hash,
    leaves: leaves.map(({ info, path }) => ({ ...info, path: joinBytes(path) })),
  };
}

/** A P2TR output for an internal key and an optional script tree, with what spending it needs. */
export interface TaprootOutput {
  readonly internalKey: Uint8Array;
  readonly outputKey: Uint8Array;
  /** Parity of the output key's y, stated in every control block. */
  readonly parity: number;
  readonly merkleRoot: Uint8Array | undefined;
  readonly scriptPubKey: Uint8Array;
  readonly leaves: readonly TapLeafInfo[];
}

/** BIP341 taproot_output_script. Throws RangeError for an invalid internal key. */
export function taprootOutput(internalKey: Uint8Array, tree?: TapTree): TaprootOutput {
  const built = tree === undefined ? undefined : buildTapTree(tree);
  const tweaked = taprootTweakPublicKey(internalKey, built?.merkleRoot);
  if (tweaked === null) throw new RangeError('internal key is not a valid x-only public key');
  return {
    internalKey,
    outputKey: tweaked.outputKey,
    parity: tweaked.parity,
    merkleRoot: built?.merkleRoot,
    scriptPubKey: p2tr(tweaked.outputKey),
    leaves: built?.leaves ?? [],
  };
}

/** The control block that spends `leaf` of `output`: version|parity, internal key, path. */
export function taprootControlBlock(output: TaprootOutput, leaf: TapLeafInfo): Uint8Array {
  return joinBytes([Uint8Array.of(leaf.leafVersion | output.parity), output.internalKey, leaf.path]);
}
