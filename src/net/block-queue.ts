import { hashMapKey } from '../chain/chain-entry.js';
import type { BlockResult } from '../chain/types.js';
import type { Block } from '../primitives/block.js';
import type { NetChain } from './net-context.js';
import type { Peer } from './peer.js';

/** A block received from a peer, waiting for the chain. */
export interface QueuedBlock {
  readonly block: Block;
  readonly key: string;
  readonly peer: Peer;
  /** When it arrived (ms, the caller's clock). */
  readonly at: number;
  /** Estimated memory it holds (see `heldBytes`). */
  readonly bytes: number;
}

/**
 * Heap per transaction, input and output of a decoded block, besides the serialized bytes: the
 * objects, their script and hash views, the cached txid and wtxid (estimated from a heap snapshot
 * of the sync benchmark: ~1.5 kB per one-input, two-output transaction).
 */
const DECODED_OBJECT_BYTES = 400;

/** Estimated memory a decoded block holds while it waits here. */
export function heldBytes(block: Block): number {
  let objects = block.txs.length;
  for (const tx of block.txs) objects += tx.inputs.length + tx.outputs.length;
  return block.totalSize() + objects * DECODED_OBJECT_BYTES;
}

export interface BlockQueueDeps {
  readonly chain: Pick<NetChain, 'getEntry' | 'processBlock'>;
  /** Called with each block's result, in processing order. */
  readonly onResult: (item: QueuedBlock, result: BlockResult) => void;
  /** processBlock threw (the chain closed under us): the queue is cleared. */
  readonly onError: (err: unknown) => void;
}

interface Waiting {
  readonly parentHash: Uint8Array;
  readonly items: QueuedBlock[];
}

/**
 * Hands received blocks to the chain one at a time and parents first. Blocks requested from
 * several peers arrive out of order; a block whose parent we have the header of but not yet the
 * data waits here until the parent has been processed. Processing in order means each block's
 * result is its own, so the peer that sent an invalid block is the one punished (Core keeps a
 * block-source map for this; holding the block back gives the same attribution without one).
 *
 * Memory: only blocks we requested wait (BlockDownload bounds those by its window and by `bytes`,
 * the estimated memory held here); anything else goes straight to the chain, which holds true
 * orphans in its own bounded pool.
 */
export class BlockQueue {
  private readonly chain: BlockQueueDeps['chain'];
  private readonly onResult: BlockQueueDeps['onResult'];
  private readonly onError: BlockQueueDeps['onError'];
  /** Parent key → blocks waiting for it. */
  private readonly waiting = new Map<string, Waiting>();
  private readonly ready: QueuedBlock[] = [];
  /** Keys of every block held (waiting or ready), to drop duplicate deliveries. */
  private readonly held = new Set<string>();
  private waitingCount = 0;
  private heldByteCount = 0;
  private running: Promise<void> | undefined;
  /** A processBlock call is under way. */
  private processing = false;

  constructor(deps: BlockQueueDeps) {
    this.chain = deps.chain;
    this.onResult = deps.onResult;
    this.onError = deps.onError;
  }

  has(key: string): boolean {
    return this.held.has(key);
  }

  /** Blocks held here wait for the block `key`. */
  awaits(key: string): boolean {
    return this.waiting.has(key);
  }

  /** Blocks held because their parent has not been processed yet. */
  get waitingBlocks(): number {
    return this.waitingCount;
  }

  /** Estimated memory of the blocks held. */
  get bytes(): number {
    return this.heldByteCount;
  }

  /** Blocks held (waiting or about to be processed). */
  get size(): number {
    return this.held.size;
  }

  /** Blocks are being processed or are ready to be (waiting ones do not count). */
  get active(): boolean {
    return this.processing || this.ready.length > 0;
  }

  /** The peers whose blocks are waiting for a parent (stall detection asks). */
  waitingPeers(): Set<Peer> {
    const peers = new Set<Peer>();
    for (const w of this.waiting.values()) for (const item of w.items) peers.add(item.peer);
    return peers;
  }

  /**
   * Queues a block. `requested`: we asked this peer for it, so it may wait for its parent;
   * unsolicited blocks are processed at once (the chain decides, orphans included).
   */
  push(block: Block, peer: Peer, requested: boolean, at: number): void {
    const key = hashMapKey(block.hash());
    if (this.held.has(key)) return;
    const item: QueuedBlock = { block, key, peer, at, bytes: heldBytes(block) };
    this.held.add(key);
    this.heldByteCount += item.bytes;
    const parent = this.chain.getEntry(block.header.prevBlock);
    const parentPending = parent !== undefined && !parent.hasData() && !parent.isFailed();
    if (requested && parentPending) {
      const w = this.waiting.get(parent.key);
      if (w === undefined) this.waiting.set(parent.key, { parentHash: parent.hash, items: [item] });
      else w.items.push(item);
      this.waitingCount++;
      return;
    }
    this.ready.push(item);
    this.run();
  }

  /**
   * Releases blocks whose parent got its data some other way (a block submitted over RPC or mined
   * here), which this queue did not see. Called from the download's periodic tick.
   */
  recheck(): void {
    for (const [key, w] of this.waiting) {
      if (this.chain.getEntry(w.parentHash)?.hasData() === true) this.release(key);
    }
    if (this.ready.length > 0) this.run();
  }

  /**
   * Drops blocks that have waited since before `cutoff` for a parent nobody delivered (its sender
   * left and no peer announced it again): they are requested afresh if a peer offers them later.
   */
  dropStale(cutoff: number): number {
    let dropped = 0;
    for (const [key, w] of this.waiting) {
      const keep = w.items.filter((item) => item.at >= cutoff);
      if (keep.length === w.items.length) continue;
      for (const item of w.items) if (item.at < cutoff) this.forget(item);
      dropped += w.items.length - keep.length;
      this.waitingCount -= w.items.length - keep.length;
      if (keep.length === 0) this.waiting.delete(key);
      else this.waiting.set(key, { parentHash: w.parentHash, items: keep });
    }
    return dropped;
  }

  /** Resolves when nothing is being processed. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /** Forgets every held block (shutdown). */
  clear(): void {
    this.ready.length = 0;
    this.waiting.clear();
    this.held.clear();
    this.waitingCount = 0;
    this.heldByteCount = 0;
  }

  private run(): void {
    if (this.running !== undefined) return;
    this.running = this.drain()
      .catch((err: unknown) => {
        this.clear();
        this.onError(err);
      })
      .finally(() => {
        this.running = undefined;
        // A block pushed between the loop's end and this callback would otherwise wait forever.
        if (this.ready.length > 0) this.run();
      });
  }

  private async drain(): Promise<void> {
    for (let item = this.ready.shift(); item !== undefined; item = this.ready.shift()) {
      let result: BlockResult;
      this.processing = true;
      try {
        result = await this.chain.processBlock(item.block, { peerId: item.peer.id });
      } finally {
        this.processing = false;
        this.forget(item);
      }
      if (result.status === 'invalid') this.dropDescendants(item.key);
      else this.release(item.key);
      this.onResult(item, result);
    }
  }

  /** The blocks waiting for `key` can go now. */
  private release(key: string): void {
    const w = this.waiting.get(key);
    if (w === undefined) return;
    this.waiting.delete(key);
    this.waitingCount -= w.items.length;
    this.ready.push(...w.items);
  }

  /**
   * Blocks built on an invalid one are invalid too (the chain marks them FAILED_CHILD); they are
   * dropped rather than processed, so their senders are not punished a second time for one block.
   */
  private dropDescendants(key: string): void {
    const stack = [key];
    for (let k = stack.pop(); k !== undefined; k = stack.pop()) {
      const w = this.waiting.get(k);
      if (w === undefined) continue;
      this.waiting.delete(k);
      this.waitingCount -= w.items.length;
      for (const child of w.items) {
        this.forget(child);
        stack.push(child.key);
      }
    }
  }

  private forget(item: QueuedBlock): void {
    if (this.held.delete(item.key)) this.heldByteCount -= item.bytes;
  }
}
