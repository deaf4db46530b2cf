import { hashMapKey } from '../chain/chain-entry.js';
import { TxValidationResult } from '../consensus/errors.js';
import { MAX_MONEY } from '../consensus/subsidy.js';
import type { MempoolEntry } from '../mempool/entry.js';
import type { Transaction } from '../primitives/transaction.js';
import type { NetContext, NetMempool } from './net-context.js';
import type { Peer } from './peer.js';
import { RollingKeySet } from './rolling-key-set.js';
import { MAX_INV_SIZE } from './wire/constants.js';
import { type InvItem, InvType } from './wire/inventory.js';

/** Core's GETDATA_TX_INTERVAL: a transaction requested from one peer is not asked of another sooner. */
export const TX_REQUEST_TIMEOUT_MS = 60_000;
/** Announcements per peer per round (Core trickles ~70 per 5 s, scaled with the queue; we favour throughput). */
export const MAX_TX_ANNOUNCE_PER_ROUND = 1_000;
/** Core's m_recent_rejects size. */
const RECENT_REJECTS = 120_000;
/** Core's MAX_PEER_TX_ANNOUNCEMENTS: outstanding requests per peer. */
const MAX_PEER_TX_REQUESTS = 5_000;

interface Request {
  readonly peer: Peer;
  readonly at: number;
}

/**
 * Transaction relay (Core's tx parts of net_processing): announce what enters our mempool to peers
 * that do not know it, fetch what peers announce, hand received transactions to the mempool, and
 * punish through penaltyFor what the mempool refuses.
 *
 * - Announcements name transactions by wtxid (MSG_WTX) to peers that negotiated BIP339, by txid
 *   (MSG_TX) to others; they respect the peer's BIP133 fee filter and its BIP37 relay flag, and go
 *   out in rounds (the trickle: batching hides which peer a transaction came from first).
 * - Each peer's known set (bounded) holds what it sent us or we announced to it, so nothing is
 *   announced back.
 * - A transaction with missing inputs is kept as an orphan by the mempool; we ask the peer that
 *   sent it for the parents, by txid, as Core does.
 * - Deviation: one outstanding request per transaction; if that peer never answers, the next
 *   announcement after 60 s asks again (Core's TxRequestTracker also remembers other announcers).
 */
export class TxRelay {
  private readonly ctx: NetContext;
  private readonly mempool: NetMempool;
  private readonly requested = new Map<string, Request>();
  private readonly recentRejects = new RollingKeySet(RECENT_REJECTS);

  constructor(ctx: NetContext, mempool: NetMempool) {
    this.ctx = ctx;
    this.mempool = mempool;
  }

  /**
   * The tip moved: a transaction refused before may be valid now (a locktime passed, a reorg
   * brought its inputs back), so the reject cache starts over (Core resets m_recent_rejects).
   */
  onNewTip(): void {
    this.recentRejects.clear();
  }

  /** A transaction entered our mempool: queue its announcement to every peer that wants it. */
  onMempoolTx(entry: MempoolEntry): void {
    for (const peer of this.ctx.readyPeers()) {
      if (!peer.relayTxs || peer.knownTxs.has(this.keyFor(peer, entry.tx))) continue;
      peer.txQueue.set(entry.key, entry.txid);
    }
  }

  /**
   * Core's RelayTransaction: announce a transaction already in our mempool (the wallet's periodic
   * rebroadcast) to every peer whose known set lacks it. False when it is not in the mempool.
   */
  relayTransaction(txid: Uint8Array): boolean {
    const entry = this.mempool.get(txid);
    if (entry === undefined) return false;
    this.onMempoolTx(entry);
    return true;
  }

  /** One announcement round: every peer's queue, still in the pool and above its fee filter. */
  flush(): void {
    for (const peer of this.ctx.readyPeers()) {
      if (peer.txQueue.size === 0) continue;
      const items: InvItem[] = [];
      for (const [key, txid] of peer.txQueue) {
        if (items.length >= MAX_TX_ANNOUNCE_PER_ROUND) break;
        peer.txQueue.delete(key);
        const entry = this.mempool.get(txid);
        if (entry === undefined) continue;
        // BIP133: the filter is in sat/kvB, compared with the fee rate including prioritisation.
        if (peer.feeFilter > 0 && (entry.modifiedFee * 1000) / entry.vsize < peer.feeFilter) continue;
        const known = this.keyFor(peer, entry.tx);
        if (peer.knownTxs.has(known)) continue;
        peer.knownTxs.add(known);
        items.push(
          peer.wtxidRelay ? { type: InvType.WTX, hash: entry.wtxid } : { type: InvType.TX, hash: entry.txid },
        );
      }
      if (items.length > 0) peer.send({ command: 'inv', items });
    }
  }

  /** Transaction items of an `inv`: request the ones we lack. */
  onInv(peer: Peer, items: readonly InvItem[]): void {
    const now = this.ctx.nowMs();
    const wanted: InvItem[] = [];
    let outstanding = this.requestsOf(peer);
    for (const item of items) {
      // BIP339: after negotiating wtxid relay, txid announcements are ignored, and vice versa.
      if (item.type !== (peer.wtxidRelay ? InvType.WTX : InvType.TX)) continue;
      const key = hashMapKey(item.hash);
      peer.knownTxs.add(key);
      if (this.alreadyHave(item)) continue;
      const pending = this.requested.get(key);
      if (pending?.peer.isOpen && now - pending.at < TX_REQUEST_TIMEOUT_MS) continue;
      if (outstanding >= MAX_PEER_TX_REQUESTS) break;
      outstanding++;
      this.requested.set(key, { peer, at: now });
      wanted.push(peer.wtxidRelay ? item : { type: InvType.WITNESS_TX, hash: item.hash });
    }
    for (let i = 0; i < wanted.length; i += MAX_INV_SIZE) {
      peer.send({ command: 'getdata', items: wanted.slice(i, i + MAX_INV_SIZE) });
    }
  }

  /** A `tx`: to the mempool; its verdict goes through penaltyFor. */
  async onTx(peer: Peer, tx: Transaction): Promise<void> {
    const txid = tx.txid();
    const wtxid = tx.wtxid();
    const txidKey = hashMapKey(txid);
    const wtxidKey = hashMapKey(wtxid);
    // Marked known before acceptance, so the 'tx' event's announcement skips the sender.
    peer.knownTxs.add(txidKey);
    peer.knownTxs.add(wtxidKey);
    this.requested.delete(txidKey);
    this.requested.delete(wtxidKey);
    if (this.mempool.has(txid) || this.recentRejects.has(wtxidKey)) return;
    const result = await this.mempool.accept(tx, { peerId: peer.id });
    if (result.ok) {
      peer.noteTransaction();
      return;
    }
    if (result.result === TxValidationResult.MISSING_INPUTS) {
      this.requestParents(peer, tx);
    } else if (result.result !== TxValidationResult.RECONSIDERABLE) {
      // Not asked for again (Core's m_recent_rejects); a fee-rate failure may pass later.
      this.recentRejects.add(wtxidKey);
    }
    this.ctx.punish(peer, { kind: 'tx', result: result.result }, result.reason);
  }

  /** Serves a `getdata` item from the mempool. */
  lookup(_peer: Peer, item: InvItem): Transaction | undefined {
    const entry =
      item.type === InvType.WTX ? this.mempool.getByWtxid(item.hash) : this.mempool.get(item.hash);
    return entry?.tx;
  }

  /** `notfound` for transactions: the request is over. */
  onNotFound(peer: Peer, hashes: readonly Uint8Array[]): void {
    for (const hash of hashes) {
      const key = hashMapKey(hash);
      if (this.requested.get(key)?.peer === peer) this.requested.delete(key);
    }
  }

  /** BIP133 `feefilter`; Core ignores values outside the money range. */
  onFeeFilter(peer: Peer, feeRate: bigint): void {
    if (feeRate >= 0n && feeRate <= BigInt(MAX_MONEY)) peer.feeFilter = Number(feeRate);
  }

  /**
   * BIP35 `mempool`: an `inv` of the whole pool (above the peer's fee filter). Deviation: Core
   * answers only peers with the bloom service or mempool permission; Tally answers everyone, which
   * leaks no more than the announcements each peer already gets.
   */
  onMempoolRequest(peer: Peer): void {
    if (!peer.relayTxs) return;
    for (const entry of this.mempool.entries()) {
      if (!peer.knownTxs.has(this.keyFor(peer, entry.tx))) peer.txQueue.set(entry.key, entry.txid);
    }
    this.flush();
  }

  onPeerClosed(peer: Peer): void {
    for (const [key, request] of this.requested) if (request.peer === peer) this.requested.delete(key);
  }

  private keyFor(peer: Peer, tx: Transaction): string {
    return hashMapKey(peer.wtxidRelay ? tx.wtxid() : tx.txid());
  }

  private alreadyHave(item: InvItem): boolean {
    const key = hashMapKey(item.hash);
    if (this.recentRejects.has(key)) return true;
    if (item.type === InvType.WTX)
      return this.mempool.getByWtxid(item.hash) !== undefined || this.mempool.hasOrphan(item.hash);
    return this.mempool.has(item.hash);
  }

  private requestsOf(peer: Peer): number {
    let n = 0;
    for (const r of this.requested.values()) if (r.peer === peer) n++;
    return n;
  }

  /** Asks the sender of an orphan for its missing parents, by txid (Core's orphan resolution). */
  private requestParents(peer: Peer, tx: Transaction): void {
    const now = this.ctx.nowMs();
    const items: InvItem[] = [];
    const seen = new Set<string>();
    for (const input of tx.inputs) {
      const parent = input.prevout.hash;
      const key = hashMapKey(parent);
      if (seen.has(key) || this.mempool.has(parent) || this.requested.has(key)) continue;
      seen.add(key);
      this.requested.set(key, { peer, at: now });
      items.push({ type: InvType.WITNESS_TX, hash: parent });
    }
    if (items.length > 0) peer.send({ command: 'getdata', items });
  }
}
