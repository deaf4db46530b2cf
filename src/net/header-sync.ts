import type { ChainEntry } from '../chain/chain-entry.js';
import { hashMapKey } from '../chain/chain-entry.js';
import type { BlockHeader } from '../primitives/block-header.js';
import { blockLocator } from './block-locator.js';
import type { NetContext } from './net-context.js';
import type { Peer } from './peer.js';
import { MAX_HEADERS_RESULTS, PROTOCOL_VERSION } from './wire/constants.js';

/** BIP130 announcements carry at most this many headers (Core's MAX_BLOCKS_TO_ANNOUNCE). */
export const MAX_BLOCKS_TO_ANNOUNCE = 8;
/** Core's HEADERS_RESPONSE_TIME: a peer that leaves `getheaders` unanswered this long is dropped. */
export const HEADERS_RESPONSE_MS = 2 * 60_000;

export interface HeaderSyncOptions {
  readonly responseTimeoutMs?: number;
}

const ZERO_HASH = new Uint8Array(32);

/**
 * Headers-first sync, the header half (Core's net_processing: getheaders/headers handling). We ask
 * each new peer for headers after our best header; the chain checks and indexes them
 * (processHeaders), and every peer's best known header is recorded, which is what BlockDownload
 * fetches blocks towards. A full batch (2,000) means the peer has more: we ask again, but only the
 * peer whose batch advanced our best header, so two peers serving the same chain do not both send
 * all of it. A periodic tick restarts the sync with another peer if that one goes quiet.
 */
export class HeaderSync {
  private readonly ctx: NetContext;
  private readonly responseTimeoutMs: number;
  private readonly onPeerHeaders: (peer: Peer) => void;

  constructor(options: HeaderSyncOptions, ctx: NetContext, onPeerHeaders: (peer: Peer) => void) {
    this.ctx = ctx;
    this.responseTimeoutMs = options.responseTimeoutMs ?? HEADERS_RESPONSE_MS;
    this.onPeerHeaders = onPeerHeaders;
  }

  /**
   * A peer finished its handshake: ask what it has beyond our best header. The locator starts one
   * block back (as Core does), so a peer on the same chain answers with at least our best header
   * and we learn what it has: block download needs that to use it.
   */
  onReady(peer: Peer): void {
    const best = this.ctx.chain.bestHeader;
    this.requestHeaders(peer, best.prev ?? best);
  }

  /** Sends `getheaders` with a locator from `from` (Core's MaybeSendGetHeaders). */
  requestHeaders(peer: Peer, from: ChainEntry): void {
    peer.headersRequestedAt = this.ctx.nowMs();
    peer.send({
      command: 'getheaders',
      version: PROTOCOL_VERSION,
      locator: blockLocator(this.ctx.chain, from),
      hashStop: ZERO_HASH,
    });
  }

  async onHeaders(peer: Peer, headers: readonly BlockHeader[]): Promise<void> {
    const { chain } = this.ctx;
    peer.headersRequestedAt = undefined;
    const wanted = peer.headersWanted;
    peer.headersWanted = false;
    if (headers.length === 0) {
      peer.headersExhausted = true;
      // The answer predates the announcement we are waiting for.
      if (wanted) this.requestHeaders(peer, chain.bestHeader);
      return;
    }
    const first = headers[0]!;
    if (chain.getEntry(first.prevBlock) === undefined && headers.length <= MAX_BLOCKS_TO_ANNOUNCE) {
      // A BIP130 announcement that does not connect: blocks in between were never announced to
      // us (we were offline, or they came in a burst). Ask for the gap instead of punishing, as
      // Core's HandleUnconnectingHeaders does; a longer batch that does not connect is the chain's
      // MISSING_PREV, and penaltyFor discourages it.
      this.requestHeaders(peer, chain.bestHeader);
      return;
    }
    const bestBefore = chain.bestHeader;
    const result = await chain.processHeaders(headers);
    const last = result.entries[result.entries.length - 1];
    if (last !== undefined) peer.noteHasBlock(last);
    if (result.status === 'invalid') {
      this.ctx.punish(peer, { kind: 'block', result: result.result, inbound: peer.inbound }, result.reason);
      return;
    }
    peer.headersExhausted = false;
    if (headers.length === MAX_HEADERS_RESULTS && last !== undefined && chain.bestHeader !== bestBefore) {
      this.requestHeaders(peer, last);
    } else if (wanted) {
      this.requestHeaders(peer, chain.bestHeader);
    }
    this.onPeerHeaders(peer);
  }

  /** `inv` of blocks: known ones tell us what the peer has; an unknown one means headers to fetch. */
  onBlockInv(peer: Peer, hashes: readonly Uint8Array[]): void {
    const { chain } = this.ctx;
    let unknown = false;
    for (const hash of hashes) {
      const entry = chain.getEntry(hash);
      if (entry !== undefined) peer.noteHasBlock(entry);
      else {
        peer.knownBlocks.add(hashMapKey(hash));
        unknown = true;
      }
    }
    // Core asks for headers from the best header rather than requesting the block: the block
    // can only be validated once its header chain is known.
    if (unknown && peer.headersRequestedAt === undefined) this.requestHeaders(peer, chain.bestHeader);
    else if (unknown) peer.headersWanted = true;
    this.onPeerHeaders(peer);
  }

  /** Drops peers that leave `getheaders` unanswered; restarts the sync when no request is out. */
  tick(): void {
    const now = this.ctx.nowMs();
    const bestHeight = this.ctx.chain.bestHeader.height;
    let outstanding = false;
    let candidate: Peer | undefined;
    for (const peer of this.ctx.readyPeers()) {
      if (peer.headersRequestedAt !== undefined) {
        if (now - peer.headersRequestedAt > this.responseTimeoutMs) {
          peer.conn.disconnect('headers request timed out');
        } else {
          outstanding = true;
        }
        continue;
      }
      const height = peer.remote?.version.startHeight ?? 0;
      if (peer.headersExhausted || height <= bestHeight) continue;
      if (candidate === undefined || height > (candidate.remote?.version.startHeight ?? 0)) candidate = peer;
    }
    if (!outstanding && candidate !== undefined) this.requestHeaders(candidate, this.ctx.chain.bestHeader);
  }
}
