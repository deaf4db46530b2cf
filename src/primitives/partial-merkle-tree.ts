import { equalBytes } from '../encoding/bytes.js';
import { DecodeError } from '../encoding/errors.js';
import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import { merkleParent } from './merkle.js';

/**
 * BIP37 partial Merkle tree (Core's CPartialMerkleTree): the part of a block's Merkle tree that proves
 * a chosen set of transactions is in the block, as carried in the `merkleblock` message.
 *
 * The tree is walked depth first. Each node visited contributes one flag bit: 1 if it is an ancestor
 * of (or is) a matched leaf, 0 otherwise. A node whose bit is 0, and every leaf, contributes its hash
 * and is not descended into; a node whose bit is 1 is recomputed from its children. Odd levels
 * duplicate their last node, as in the full tree.
 */

export interface MerkleMatch {
  /** txid in internal byte order. */
  hash: Uint8Array;
  /** The transaction's position in the block. */
  index: number;
}

/** Why extraction refused a tree; each one is a check in Core's ExtractMatches/TraverseAndExtract. */
export type PartialMerkleTreeError =
  | 'no-transactions'
  | 'too-many-transactions'
  | 'too-many-hashes'
  | 'too-few-bits'
  | 'bits-overflow'
  | 'hashes-overflow'
  | 'duplicate-child'
  | 'bits-not-consumed'
  | 'hashes-not-consumed';

export type PartialMerkleTreeResult =
  | { ok: true; root: Uint8Array; matches: MerkleMatch[] }
  | { ok: false; error: PartialMerkleTreeError };

/**
 * No block holds more transactions than MAX_BLOCK_WEIGHT / MIN_TRANSACTION_WEIGHT = 4,000,000 / 240
 * (a transaction is at least 60 bytes of weight 4 each). Core refuses larger counts before walking,
 * which also bounds the tree's height (15) and so the recursion depth here.
 */
export const MAX_PARTIAL_TREE_TRANSACTIONS = Math.floor(4_000_000 / 240);

/** Width of the level `height` steps above the leaves (Core's CalcTreeWidth). */
function treeWidth(total: number, height: number): number {
  const span = 2 ** height;
  return Math.floor((total + span - 1) / span);
}

function treeHeight(total: number): number {
  let height = 0;
  while (treeWidth(total, height) > 1) height++;
  return height;
}

export class PartialMerkleTree {
  /**
   * @param totalTransactions the number of transactions in the block (the tree's leaf count)
   * @param hashes the hashes of the nodes not descended into, in depth-first order
   * @param flags the flag bits packed least-significant bit first, as on the wire; the padding bits of
   *   the last byte are kept so that a decoded tree re-encodes byte for byte
   */
  constructor(
    readonly totalTransactions: number,
    readonly hashes: Uint8Array[],
    readonly flags: Uint8Array,
  ) {}

  /** The flag bit at depth-first position `i` (false past the end). */
  bit(i: number): boolean {
    return (((this.flags[i >>> 3] ?? 0) >>> (i & 7)) & 1) === 1;
  }

  /**
   * Builds the tree proving the transactions whose `matches` entry is true (Core's constructor
   * CPartialMerkleTree(vTxid, vMatch)). Throws RangeError on misuse: no txids, or mismatched lengths.
   */
  static build(txids: readonly Uint8Array[], matches: readonly boolean[]): PartialMerkleTree {
    const total = txids.length;
    if (total === 0) throw new RangeError('a partial Merkle tree needs at least one transaction');
    if (matches.length !== total) throw new RangeError('one match flag per transaction');
    // Prefix sums answer "is any leaf under this node matched" in O(1) instead of scanning the range.
    const matchedBefore = new Uint32Array(total + 1);
    for (let i = 0; i < total; i++) matchedBefore[i + 1] = matchedBefore[i]! + (matches[i] ? 1 : 0);
    const bits: boolean[] = [];
    const hashes: Uint8Array[] = [];

    const nodeHash = (height: number, pos: number): Uint8Array => {
      if (height === 0) return txids[pos]!;
      const left = nodeHash(height - 1, pos * 2);
      const right = pos * 2 + 1 < treeWidth(total, height - 1) ? nodeHash(height - 1, pos * 2 + 1) : left;
      return merkleParent(left, right);
    };
    const walk = (height: number, pos: number): void => {
      const first = pos * 2 ** height;
      const end = Math.min((pos + 1) * 2 ** height, total);
      const parentOfMatch = matchedBefore[end]! > matchedBefore[first]!;
      bits.push(parentOfMatch);
      if (height === 0 || !parentOfMatch) {
        hashes.push(nodeHash(height, pos));
        return;
      }
      walk(height - 1, pos * 2);
      if (pos * 2 + 1 < treeWidth(total, height - 1)) walk(height - 1, pos * 2 + 1);
    };
    walk(treeHeight(total), 0);

    const flags = new Uint8Array((bits.length + 7) >>> 3);
    for (let i = 0; i < bits.length; i++) if (bits[i]) flags[i >>> 3]! |= 1 << (i & 7);
    return new PartialMerkleTree(total, hashes, flags);
  }

  /**
   * Recomputes the root and lists the matched txids with their positions (Core's ExtractMatches).
   * Never throws: a malformed tree from a peer is a result, not an exception. The caller compares
   * `root` with the block header's Merkle root.
   */
  extractMatches(): PartialMerkleTreeResult {
    const total = this.totalTransactions;
    if (total === 0) return { ok: false, error: 'no-transactions' };
    if (total > MAX_PARTIAL_TREE_TRANSACTIONS) return { ok: false, error: 'too-many-transactions' };
    // At most one hash per leaf, and every hash sits at a node that also has a flag bit.
    if (this.hashes.length > total) return { ok: false, error: 'too-many-hashes' };
    const bitCount = this.flags.length * 8;
    if (bitCount < this.hashes.length) return { ok: false, error: 'too-few-bits' };

    let bitsUsed = 0;
    let hashesUsed = 0;
    let error: PartialMerkleTreeError | undefined;
    const matches: MerkleMatch[] = [];
    const walk = (height: number, pos: number): Uint8Array | undefined => {
      if (bitsUsed >= bitCount) {
        error = 'bits-overflow';
        return undefined;
      }
      const parentOfMatch = this.bit(bitsUsed++);
      if (height === 0 || !parentOfMatch) {
        if (hashesUsed >= this.hashes.length) {
          error = 'hashes-overflow';
          return undefined;
        }
        const hash = this.hashes[hashesUsed++]!;
        if (height === 0 && parentOfMatch) matches.push({ hash, index: pos });
        return hash;
      }
      const left = walk(height - 1, pos * 2);
      if (left === undefined) return undefined;
      let right = left;
      if (pos * 2 + 1 < treeWidth(total, height - 1)) {
        const r = walk(height - 1, pos * 2 + 1);
        if (r === undefined) return undefined;
        // CVE-2012-2459: equal children would let a duplicated subtree stand in for real transactions;
        // txids are unique, so honest subtrees never hash alike.
        if (equalBytes(r, left)) {
          error = 'duplicate-child';
          return undefined;
        }
        right = r;
      }
      return merkleParent(left, right);
    };
    const root = walk(treeHeight(total), 0);
    if (error !== undefined) return { ok: false, error };
    if (root === undefined) return { ok: false, error: 'bits-overflow' };
    // Every bit must be used except the zero padding of the last byte: extra bytes are malleability.
    if ((bitsUsed + 7) >>> 3 !== this.flags.length) return { ok: false, error: 'bits-not-consumed' };
    if (hashesUsed !== this.hashes.length) return { ok: false, error: 'hashes-not-consumed' };
    return { ok: true, root, matches };
  }

  encode(): Uint8Array {
    const w = new BufferWriter(4 + 5 + this.hashes.length * 32 + 5 + this.flags.length);
    this.write(w);
    return w.finish();
  }

  /** Wire form: total transactions (u32), CompactSize-counted hashes, CompactSize-counted flag bytes. */
  write(w: BufferWriter): void {
    w.u32(this.totalTransactions).compactSize(this.hashes.length);
    for (const h of this.hashes) w.bytes(h);
    w.varBytes(this.flags);
  }

  static read(r: BufferReader): PartialMerkleTree {
    const total = r.u32();
    const count = r.compactSize();
    // Refuse a count the remaining bytes cannot hold before allocating for it.
    if (count * 32 > r.remaining) throw new DecodeError('truncated', 'hash count exceeds remaining bytes');
    const hashes = new Array<Uint8Array>(count);
    for (let i = 0; i < count; i++) hashes[i] = r.hash();
    return new PartialMerkleTree(total, hashes, r.varBytes());
  }

  static decode(bytes: Uint8Array): PartialMerkleTree {
    const r = new BufferReader(bytes);
    const tree = PartialMerkleTree.read(r);
    r.end();
    return tree;
  }
}
