import { BlockStatus, type ChainEntry } from '../chain/chain-entry.js';
import { equalBytes } from '../encoding/bytes.js';
import type { BlockHeader } from '../primitives/block-header.js';
import type { Transaction } from '../primitives/transaction.js';
import { findLocatorFork } from './block-locator.js';
import type { NetChain } from './net-context.js';
import type { Peer } from './peer.js';
import { MAX_HEADERS_RESULTS, MAX_INV_SIZE } from './wire/constants.js';
import { type InvItem, InvType, MSG_WITNESS_FLAG } from './wire/inventory.js';
import type { LocatorMessage } from './wire/locator.js';

/** Core answers `getblocks` with at most 500 block hashes. */
export const MAX_GETBLOCKS_RESULTS = 500;

/** Looks up a transaction a `getdata` item names (the mempool, through TxRelay). */
export type TxLookup = (peer: Peer, item: InvItem) => Transaction | undefined;

/**
 * Serves our chain to peers (Core's ProcessGetData and the getheaders/getblocks handlers): headers
 * and block hashes after the fork point a locator names, and blocks by hash, with witness data
 * when asked for MSG_WITNESS_BLOCK. Unknown items are answered with `notfound`.
 *
 * Deviation: Core does not answer `getheaders` while it is itself in initial block download (its
 * chain may be stale). Regtest chains built by tests have 2011 timestamps, so Core's test (tip
 * older than 24 hours) would keep every test node "in IBD" forever; we always answer from the
 * active chain, which is what we have validated.
 */
export class BlockServer {
  constructor(private readonly chain: NetChain) {}

  onGetHeaders(peer: Peer, m: LocatorMessage<'getheaders'>): void {
    const headers: BlockHeader[] = [];
    let last: ChainEntry | undefined;
    if (m.locator.length === 0) {
      // An empty locator asks for the one header named by hashStop (Core does the same).
      const entry = this.chain.getEntry(m.hashStop);
      if (entry === undefined || !this.canServe(entry)) return;
      headers.push(entry.header);
      last = entry;
    } else {
      const fork = findLocatorFork(this.chain, m.locator);
      for (let e = this.chain.getEntryAtHeight(fork.height + 1); e !== undefined; ) {
        headers.push(e.header);
        last = e;
        if (headers.length >= MAX_HEADERS_RESULTS || equalBytes(e.hash, m.hashStop)) break;
        e = this.chain.getEntryAtHeight(e.height + 1);
      }
    }
    // The peer knows these headers now, so announcements can build on them (pindexBestHeaderSent).
    if (last !== undefined) peer.bestHeaderSent = last;
    peer.send({ command: 'headers', headers });
  }

  onGetBlocks(peer: Peer, m: LocatorMessage<'getblocks'>): void {
    const fork = findLocatorFork(this.chain, m.locator);
    const items: InvItem[] = [];
    for (let e = this.chain.getEntryAtHeight(fork.height + 1); e !== undefined; ) {
      if (equalBytes(e.hash, m.hashStop)) break;
      items.push({ type: InvType.BLOCK, hash: e.hash });
      peer.knownBlocks.add(e.key);
      if (items.length >= MAX_GETBLOCKS_RESULTS) break;
      e = this.chain.getEntryAtHeight(e.height + 1);
    }
    if (items.length > 0) peer.send({ command: 'inv', items });
  }

  /**
   * Answers a `getdata` item by item, in order. Between blocks it waits while the peer's send
   * queue is over its soft limit, so one request for 1,000 blocks costs us one block of memory.
   */
  async onGetData(peer: Peer, items: readonly InvItem[], lookupTx: TxLookup): Promise<void> {
    const notFound: InvItem[] = [];
    for (const item of items) {
      if (!peer.isOpen) return;
      const base = item.type & ~MSG_WITNESS_FLAG;
      const witness = (item.type & MSG_WITNESS_FLAG) !== 0;
      if (base === InvType.BLOCK) {
        const entry = this.chain.getEntry(item.hash);
        const block =
          entry !== undefined && this.canServe(entry) ? await this.chain.getBlock(item.hash) : undefined;
        if (block === undefined) {
          notFound.push(item);
          continue;
        }
        peer.knownBlocks.add(entry!.key);
        if (!peer.send({ command: 'block', block }, { witness })) await peer.waitForDrain();
      } else if (base === InvType.TX || base === InvType.WTX) {
        const tx = lookupTx(peer, item);
        if (tx === undefined) notFound.push(item);
        // BIP339: a transaction asked for by wtxid is sent with its witness.
        else peer.send({ command: 'tx', tx }, { witness: witness || base === InvType.WTX });
      }
      // Filtered and compact blocks (BIP37, BIP152) are not served: we never advertise them.
    }
    for (let i = 0; i < notFound.length; i += MAX_INV_SIZE) {
      peer.send({ command: 'notfound', items: notFound.slice(i, i + MAX_INV_SIZE) });
    }
  }

  /**
   * Core's BlockRequestAllowed: blocks on the active chain, or fully validated ones. A stored
   * side-branch block we never validated is not served, so peers cannot probe which stale blocks
   * we hold (fingerprinting).
   */
  private canServe(entry: ChainEntry): boolean {
    if (!entry.hasData() || entry.isFailed()) return false;
    return this.chain.isOnActiveChain(entry) || (entry.status & BlockStatus.VALID_SCRIPTS) !== 0;
  }
}
