import { equalBytes } from '../encoding/bytes.js';
import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import type { Block } from './block.js';
import { BlockHeader, HEADER_SIZE } from './block-header.js';
import { type MerkleMatch, PartialMerkleTree, type PartialMerkleTreeError } from './partial-merkle-tree.js';

export type MerkleBlockResult =
  | { ok: true; matches: MerkleMatch[] }
  | { ok: false; matches: []; reason: PartialMerkleTreeError | 'merkle-root-mismatch' };

/**
 * The payload of BIP37's `merkleblock` message (Core's CMerkleBlock): a block header and the partial
 * Merkle tree proving which of the block's transactions matched a filter. An SPV client trusts the
 * matches only after verify() ties the tree to the header, and the header to a chain by its work.
 */
export class MerkleBlock {
  constructor(
    public header: BlockHeader,
    public tree: PartialMerkleTree,
  ) {}

  /** The proof for the transactions of `block` that `isMatch` selects (by txid and position). */
  static fromBlock(block: Block, isMatch: (txid: Uint8Array, index: number) => boolean): MerkleBlock {
    const txids = block.txs.map((tx) => tx.txid());
    const matches = txids.map((txid, i) => isMatch(txid, i));
    return new MerkleBlock(block.header, PartialMerkleTree.build(txids, matches));
  }

  /** The matched txids and positions, if the tree is well formed and its root is the header's. */
  verify(): MerkleBlockResult {
    const extracted = this.tree.extractMatches();
    if (!extracted.ok) return { ok: false, matches: [], reason: extracted.error };
    if (!equalBytes(extracted.root, this.header.merkleRoot)) {
      return { ok: false, matches: [], reason: 'merkle-root-mismatch' };
    }
    return { ok: true, matches: extracted.matches };
  }

  encode(): Uint8Array {
    const w = new BufferWriter(HEADER_SIZE + 16 + this.tree.hashes.length * 32 + this.tree.flags.length);
    this.write(w);
    return w.finish();
  }

  write(w: BufferWriter): void {
    this.header.write(w);
    this.tree.write(w);
  }

  static read(r: BufferReader): MerkleBlock {
    return new MerkleBlock(BlockHeader.read(r), PartialMerkleTree.read(r));
  }

  static decode(bytes: Uint8Array): MerkleBlock {
    const r = new BufferReader(bytes);
    const mb = MerkleBlock.read(r);
    r.end();
    return mb;
  }
}
