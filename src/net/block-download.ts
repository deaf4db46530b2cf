import type { ChainEntry } from '../chain/chain-entry.js';
import { hashMapKey } from '../chain/chain-entry.js';
import type { Block } from '../primitives/block.js';
import { lastCommonAncestor } from './block-locator.js';
import type { BlockQueue } from './block-queue.js';
import type { NetContext } from './net-context.js';
import type { Peer } from './peer.js';
import { ServiceFlags } from './wire/constants.js';
import { type InvItem, InvType } from './wire/inventory.js';

/**
 * Core's values (net_processing.cpp): blocks in flight per peer, how far past the last common block
 * we fetch, and the adaptive stalling timeout (2 s, doubled after each stall disconnect up to 64 s,
 * shrunk again by 15% per block connected).
 */
export const MAX_BLOCKS_IN_TRANSIT_PER_PEER = 16;
export const BLOCK_DOWNLOAD_WINDOW = 1024;
/**
 * Estimated memory of received blocks waiting for the chain above which we stop requesting more
 * (except the first blocks above our tip). Core writes each block to disk as it arrives, so its
 * window costs disk; we hold them decoded until the chain takes them in order, and on the sync
 * benchmark a fast peer parked ~400 decoded blocks (~40 MB of heap) ahead of a busy validator.
 */
export const MAX_QUEUED_BLOCK_BYTES = 16 * 1024 * 1024;
export const BLOCK_STALLING_TIMEOUT_MS = 2_000;
export const BLOCK_STALLING_TIMEOUT_MAX_MS = 64_000;
/** A requested block that has not arrived after this long ends the connection (Core: 10 min base). */
export const BLOCK_DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export interface BlockDownloadOptions {
  readonly maxInFlightPerPeer?: number;
  readonly window?: number;
  readonly maxQueuedBytes?: number;
  readonly stallTimeoutMs?: number;
  readonly maxStallTimeoutMs?: number;
  readonly blockTimeoutMs?: number;
}

interface InFlight {
  readonly peer: Peer;
  readonly entry: ChainEntry;
  readonly at: number;
}

/**
 * Headers-first sync, the block half (Core's FindNextBlocksToDownload and the stalling logic in
 * SendMessages). For every peer whose best known header has more work than our tip, we walk from
 * the last block we share with it towards that header and request blocks we lack with
 * `getdata MSG_WITNESS_BLOCK`, at most 16 in flight per peer and never further than 1,024 blocks
 * past the last common block, so blocks spread across peers and arrive close to the order the
 * BlockQueue processes them in.
 *
 * Stalls: when later blocks are waiting on one that a peer has held in flight past the stalling
 * timeout while another peer has delivered, that peer is disconnected and its blocks are
 * requested elsewhere. Any request older than the download timeout also ends its connection.
 */
export class BlockDownload {
  private readonly ctx: NetContext;
  private readonly queue: BlockQueue;
  private readonly maxInFlight: number;
  private readonly window: number;
  private readonly maxQueuedBytes: number;
  private readonly baseStallMs: number;
  private readonly maxStallMs: number;
  private readonly blockTimeoutMs: number;
  private readonly inFlight = new Map<string, InFlight>();
  private stallMs: number;

  constructor(options: BlockDownloadOptions, ctx: NetContext, queue: BlockQueue) {
    this.ctx = ctx;
    this.queue = queue;
    this.maxInFlight = options.maxInFlightPerPeer ?? MAX_BLOCKS_IN_TRANSIT_PER_PEER;
    this.window = options.window ?? BLOCK_DOWNLOAD_WINDOW;
    this.maxQueuedBytes = options.maxQueuedBytes ?? MAX_QUEUED_BLOCK_BYTES;
    this.baseStallMs = options.stallTimeoutMs ?? BLOCK_STALLING_TIMEOUT_MS;
    this.maxStallMs = options.maxStallTimeoutMs ?? BLOCK_STALLING_TIMEOUT_MAX_MS;
    this.blockTimeoutMs = options.blockTimeoutMs ?? BLOCK_DOWNLOAD_TIMEOUT_MS;
    this.stallMs = this.baseStallMs;
  }

  /** Blocks requested and not yet received. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Heights of the blocks in flight from `peer` (getpeerinfo's `inflight`). */
  inFlightHeights(peer: Peer): number[] {
    const heights: number[] = [];
    for (const key of peer.blocksInFlight) {
      const f = this.inFlight.get(key);
      if (f !== undefined) heights.push(f.entry.height);
    }
    return heights.sort((a, b) => a - b);
  }

  /**
   * True while blocks are being fetched or processed: we are catching up. Blocks parked for a
   * missing parent do not count, so a parent nobody delivers cannot silence announcements.
   */
  get busy(): boolean {
    return this.inFlight.size > 0 || this.queue.active;
  }

  /** Requests what every peer can give us now. */
  schedule(): void {
    for (const peer of this.ctx.readyPeers()) this.fill(peer);
  }

  /** A `block` message: hand it to the queue and keep the pipeline full. */
  onBlock(peer: Peer, block: Block): void {
    const key = hashMapKey(block.hash());
    // Whoever delivers a block we asked for ends the request (Core's MarkBlockAsReceived).
    const flight = this.inFlight.get(key);
    const requested = flight !== undefined;
    if (flight !== undefined) this.release(key, flight);
    const entry = this.ctx.chain.getEntry(block.hash());
    if (entry !== undefined) peer.noteHasBlock(entry);
    else peer.knownBlocks.add(key);
    this.queue.push(block, peer, requested, this.ctx.nowMs());
    this.fill(peer);
  }

  /** A block we connected: the stall timeout relaxes towards its base again (Core: x0.85). */
  onBlockConnected(): void {
    if (this.stallMs > this.baseStallMs) this.stallMs = Math.max(this.baseStallMs, this.stallMs * 0.85);
  }

  /** `notfound` for blocks: the peer does not have them after all; ask someone else. */
  onNotFound(peer: Peer, hashes: readonly Uint8Array[]): void {
    for (const hash of hashes) {
      const key = hashMapKey(hash);
      const flight = this.inFlight.get(key);
      if (flight?.peer === peer) this.release(key, flight);
    }
    this.schedule();
  }

  /** The peer is gone: its requests go back to the pool. */
  onPeerClosed(peer: Peer): void {
    for (const key of [...peer.blocksInFlight]) {
      const flight = this.inFlight.get(key);
      if (flight !== undefined) this.release(key, flight);
    }
    peer.blocksInFlight.clear();
    this.schedule();
  }

  /** Timeouts and stall detection; then anything released is requested again. */
  tick(): void {
    const now = this.ctx.nowMs();
    const waitingPeers = this.queue.waitingBlocks > 0 ? [...this.queue.waitingPeers()] : [];
    for (const flight of this.inFlight.values()) {
      const age = now - flight.at;
      if (age > this.blockTimeoutMs) {
        this.ctx.log?.info({ peer: flight.peer.id, height: flight.entry.height }, 'block download timed out');
        flight.peer.conn.disconnect('block download timed out');
        continue;
      }
      // The block everything else waits for: its parent is in, and others have delivered later ones.
      const blocking = flight.entry.prev?.hasData() === true;
      const othersDelivered = waitingPeers.some((p) => p !== flight.peer);
      if (blocking && othersDelivered && age > this.stallMs) {
        this.ctx.log?.info(
          { peer: flight.peer.id, height: flight.entry.height, timeoutMs: this.stallMs },
          'peer is stalling block download, disconnecting',
        );
        flight.peer.conn.disconnect('stalling block download');
        this.stallMs = Math.min(this.maxStallMs, this.stallMs * 2);
      }
    }
    this.queue.recheck();
    const dropped = this.queue.dropStale(now - this.blockTimeoutMs);
    if (dropped > 0) this.ctx.log?.info({ dropped }, 'dropped downloaded blocks whose parent never came');
    this.schedule();
  }

  /** Forgets every request (shutdown). */
  clear(): void {
    for (const [key, flight] of this.inFlight) this.release(key, flight);
  }

  private release(key: string, flight: InFlight): void {
    this.inFlight.delete(key);
    flight.peer.blocksInFlight.delete(key);
  }

  /** Core's FindNextBlocksToDownload for one peer, then one `getdata` for the batch. */
  private fill(peer: Peer): void {
    if (!peer.isOpen || peer.blocksInFlight.size >= this.maxInFlight) return;
    const { chain } = this.ctx;
    const best = peer.bestKnown;
    const tip = chain.tip;
    // Core's test is `<`: a branch with as much work as ours is fetched too, so its blocks are at
    // hand should it pull ahead.
    if (best === undefined || best.chainwork < tip.chainwork || best.isFailed()) return;
    // Only peers that serve the full chain are asked (NODE_NETWORK).
    if (((peer.remote?.version.services ?? 0n) & ServiceFlags.NETWORK) === 0n) return;
    // Core starts from our active chain at the lower of the two heights, then finds the fork.
    let common = peer.lastCommon ?? chain.getEntryAtHeight(Math.min(best.height, tip.height));
    if (common === undefined) return;
    common = lastCommonAncestor(chain, common, best);
    if (common === best) {
      peer.lastCommon = common;
      return;
    }
    const top = chain.getAncestor(best, Math.min(best.height, common.height + this.window));
    if (top === undefined) return;
    const path: ChainEntry[] = [];
    for (let e: ChainEntry | undefined = top; e !== undefined && e !== common; e = e.prev) path.push(e);
    path.reverse();
    const items: InvItem[] = [];
    const now = this.ctx.nowMs();
    // Past the queue's budget we still request the blocks just above the tip and any block that
    // queued blocks wait for (its first request went to a peer that left), so a full queue can
    // never stop the sync: those are the blocks whose processing empties it.
    const alwaysUpTo = tip.height + this.maxInFlight;
    const queueFull = this.queue.bytes >= this.maxQueuedBytes;
    for (const entry of path) {
      if (peer.blocksInFlight.size >= this.maxInFlight) break;
      // A peer on a chain we found invalid has nothing more for us.
      if (entry.isFailed()) break;
      if (entry.hasData() || this.queue.has(entry.key)) {
        if (entry.dataChain) common = entry;
        continue;
      }
      if (this.inFlight.has(entry.key)) continue;
      if (queueFull && entry.height > alwaysUpTo && !this.queue.awaits(entry.key)) continue;
      this.inFlight.set(entry.key, { peer, entry, at: now });
      peer.blocksInFlight.add(entry.key);
      items.push({ type: InvType.WITNESS_BLOCK, hash: entry.hash });
    }
    peer.lastCommon = common;
    if (items.length > 0) peer.send({ command: 'getdata', items });
  }
}
