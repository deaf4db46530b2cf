import type { ChainEntry } from '../../chain/chain-entry.js';
import type { Block } from '../../primitives/block.js';
import type { Coin } from '../../primitives/coin.js';
import type { ExplorerChain } from './deps.js';
import { notFound } from './http-error.js';

export interface CachedBlock {
  readonly block: Block;
  /** Txids in internal byte order, in block order (the Merkle leaves). */
  readonly txids: readonly Uint8Array[];
}

/**
 * Reads blocks for the routes, keeping the most recent ones decoded with their txids: pages of a
 * block's transactions, a tx and then its proof, and the tip's neighbours are read again and again.
 * A miss costs one LevelDB read and a decode of the block (about 0.1 ms for 20 transactions).
 */
export class BlockReader {
  private readonly cache = new Map<string, CachedBlock>();

  constructor(
    private readonly chain: ExplorerChain,
    private readonly capacity = 64,
  ) {}

  /** The entry for a hash or a height on the active chain, or 404. */
  entry(id: { hash: Uint8Array } | { height: number }): ChainEntry {
    if ('height' in id) {
      const entry = this.chain.getEntryAtHeight(id.height);
      if (entry === undefined) {
        throw notFound(
          'block-not-found',
          `no block at height ${id.height}: the tip is at ${this.chain.height}`,
        );
      }
      return entry;
    }
    const entry = this.chain.getEntry(id.hash);
    if (entry === undefined) throw notFound('block-not-found', 'block not found');
    return entry;
  }

  /** The block of `entry`, or 404 when its data was never downloaded. */
  async read(entry: ChainEntry): Promise<CachedBlock> {
    const hit = this.cache.get(entry.key);
    if (hit !== undefined) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.cache.delete(entry.key);
      this.cache.set(entry.key, hit);
      return hit;
    }
    const block = await this.chain.getBlock(entry.hash);
    if (block === undefined) throw notFound('block-not-found', 'block data not available (header only)');
    const cached: CachedBlock = { block, txids: block.txs.map((tx) => tx.txid()) };
    this.cache.set(entry.key, cached);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return cached;
  }

  /** The coins the block's transactions spent, when the block was ever connected. */
  undo(entry: ChainEntry): Promise<readonly (readonly Coin[])[] | undefined> {
    return this.chain.getUndo(entry.hash);
  }
}
