import { checkBlock } from '../consensus/check-block.js';
import { BlockValidationResult } from '../consensus/errors.js';
import type { ConsensusParams } from '../consensus/params.js';
import type { Block } from '../primitives/block.js';
import { hashMapKey } from './chain-entry.js';
import { type BlockResult, ChainReject, toRejection } from './types.js';

interface Orphan {
  readonly block: Block;
  readonly key: string;
  readonly prevKey: string;
  readonly bytes: number;
}

/**
 * Blocks whose parent is unknown, held until it arrives, bounded in count and bytes. When full the
 * oldest go first: an attacker can only push out orphans, never grow memory. (Core no longer keeps
 * orphan blocks at all and asks for headers instead; a node fed blocks out of order needs them.)
 */
export class OrphanPool {
  private readonly byHash = new Map<string, Orphan>();
  private readonly byPrev = new Map<string, Set<string>>();
  private totalBytes = 0;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.byHash.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  has(hash: Uint8Array): boolean {
    return this.byHash.has(hashMapKey(hash));
  }

  /** Holds the block; returns false if it alone exceeds the byte limit. */
  add(block: Block, size: number): boolean {
    const key = hashMapKey(block.hash());
    if (this.byHash.has(key)) return true;
    if (size > this.maxBytes) return false;
    const orphan = { block, key, prevKey: hashMapKey(block.header.prevBlock), bytes: size };
    this.byHash.set(key, orphan);
    const siblings = this.byPrev.get(orphan.prevKey);
    if (siblings === undefined) this.byPrev.set(orphan.prevKey, new Set([key]));
    else siblings.add(key);
    this.totalBytes += size;
    // Map iteration order is insertion order: the first key is the oldest orphan.
    while (this.byHash.size > this.maxCount || this.totalBytes > this.maxBytes) {
      this.remove(this.byHash.keys().next().value!);
    }
    return true;
  }

  /** Removes and returns the orphans whose parent is `hash`. */
  takeChildren(hash: Uint8Array): Block[] {
    const keys = this.byPrev.get(hashMapKey(hash));
    if (keys === undefined) return [];
    const blocks: Block[] = [];
    for (const key of [...keys]) {
      const orphan = this.byHash.get(key);
      if (orphan !== undefined) blocks.push(orphan.block);
      this.remove(key);
    }
    return blocks;
  }

  private remove(key: string): void {
    const orphan = this.byHash.get(key);
    if (orphan === undefined) return;
    this.byHash.delete(key);
    this.totalBytes -= orphan.bytes;
    const siblings = this.byPrev.get(orphan.prevKey);
    siblings?.delete(key);
    if (siblings?.size === 0) this.byPrev.delete(orphan.prevKey);
  }
}

/** A block whose parent is unknown: junk is refused first (its checks need no parent), else held. */
export function holdOrphan(pool: OrphanPool, block: Block, params: ConsensusParams): BlockResult {
  const check = checkBlock(block, params);
  if (!check.ok) return toRejection(check);
  if (!pool.add(block, block.totalSize())) {
    return {
      status: 'invalid',
      result: BlockValidationResult.MISSING_PREV,
      reason: ChainReject.PREV_BLK_NOT_FOUND,
      debug: 'orphan block larger than the orphan pool',
    };
  }
  return { status: 'orphan' };
}
