import type { Block } from '../primitives/block.js';
import { OutPoint } from '../primitives/outpoint.js';
import type { Transaction } from '../primitives/transaction.js';
import {
  DEFAULT_MAX_ORPHAN_TRANSACTIONS,
  MAX_STANDARD_TX_WEIGHT,
  ORPHAN_TX_EXPIRE_INTERVAL,
  ORPHAN_TX_EXPIRE_TIME,
} from '../policy/constants.js';
import { hashKey } from './entry.js';

interface Orphan {
  readonly tx: Transaction;
  readonly wtxidKey: string;
  readonly expires: number;
  readonly peerId: number | undefined;
  /** Position in `list`, for O(1) random eviction. */
  index: number;
}

export interface OrphanageOptions {
  readonly maxOrphans?: number;
}

/**
 * Transactions whose parents we have not seen (Core's TxOrphanage): held so they can enter the pool
 * when a parent arrives, instead of being fetched again. Bounded because they cost memory and cannot
 * be validated: at most 100, each at most 400,000 weight (a standard transaction), each for at most
 * 20 minutes, and a random one is dropped when full so a peer cannot choose what gets evicted.
 */
export class Orphanage {
  private readonly byWtxid = new Map<string, Orphan>();
  /** OutPoint.key() of each input → the orphans spending it. */
  private readonly byPrevout = new Map<string, Set<Orphan>>();
  private readonly list: Orphan[] = [];
  private readonly maxOrphans: number;
  private nextSweep = 0;

  constructor(
    options: OrphanageOptions,
    private readonly deps: { readonly now: () => number; readonly random: () => number },
  ) {
    this.maxOrphans = options.maxOrphans ?? DEFAULT_MAX_ORPHAN_TRANSACTIONS;
  }

  get size(): number {
    return this.list.length;
  }

  has(wtxid: Uint8Array): boolean {
    return this.byWtxid.has(hashKey(wtxid));
  }

  /** Whether an orphan with this txid is held (any witness). */
  hasTxid(txid: Uint8Array): boolean {
    for (const orphan of this.list) if (orphan.tx.txid().every((b, i) => b === txid[i])) return true;
    return false;
  }

  transactions(): Transaction[] {
    return this.list.map((o) => o.tx);
  }

  /** Adds an orphan; false if already held or too heavy. Then enforces the limits. */
  add(tx: Transaction, peerId?: number): boolean {
    const wtxidKey = hashKey(tx.wtxid());
    if (this.byWtxid.has(wtxidKey)) return false;
    // A standard transaction is at most 400,000 weight; anything bigger cannot be relayed anyway, and
    // without this bound 100 orphans could cost 400 MB.
    if (tx.weight() > MAX_STANDARD_TX_WEIGHT) return false;
    const orphan: Orphan = {
      tx,
      wtxidKey,
      expires: this.deps.now() + ORPHAN_TX_EXPIRE_TIME,
      peerId,
      index: this.list.length,
    };
    this.byWtxid.set(wtxidKey, orphan);
    this.list.push(orphan);
    for (const input of tx.inputs) {
      const key = input.prevout.key();
      const set = this.byPrevout.get(key);
      if (set === undefined) this.byPrevout.set(key, new Set([orphan]));
      else set.add(orphan);
    }
    this.limit();
    return true;
  }

  /** Orphans spending any output of `tx` (candidates to retry now that it arrived). */
  childrenOf(tx: Transaction): Transaction[] {
    // Called for every accepted transaction: skip the outpoint keys when there is nothing to find.
    if (this.list.length === 0) return [];
    const found = new Set<Orphan>();
    const txid = tx.txid();
    for (let i = 0; i < tx.outputs.length; i++) {
      const set = this.byPrevout.get(new OutPoint(txid, i).key());
      if (set !== undefined) for (const orphan of set) found.add(orphan);
    }
    return [...found].map((o) => o.tx);
  }

  remove(tx: Transaction): boolean {
    const orphan = this.byWtxid.get(hashKey(tx.wtxid()));
    if (orphan === undefined) return false;
    this.erase(orphan);
    return true;
  }

  /** Drops every orphan a peer sent (Core's EraseForPeer, when the peer disconnects). */
  removeForPeer(peerId: number): number {
    const theirs = this.list.filter((o) => o.peerId === peerId);
    for (const orphan of theirs) this.erase(orphan);
    return theirs.length;
  }

  /** Drops orphans confirmed by a block or double-spending its inputs (Core's EraseForBlock). */
  removeForBlock(block: Block): void {
    const doomed = new Set<Orphan>();
    for (const tx of block.txs) {
      for (const input of tx.inputs) {
        const set = this.byPrevout.get(input.prevout.key());
        if (set !== undefined) for (const orphan of set) doomed.add(orphan);
      }
    }
    for (const orphan of doomed) this.erase(orphan);
  }

  clear(): void {
    this.byWtxid.clear();
    this.byPrevout.clear();
    this.list.length = 0;
  }

  /** Expiry (swept every 5 minutes at most) and then random eviction down to the maximum. */
  limit(): void {
    const now = this.deps.now();
    if (now >= this.nextSweep) {
      for (const orphan of [...this.list]) if (orphan.expires <= now) this.erase(orphan);
      this.nextSweep = now + ORPHAN_TX_EXPIRE_INTERVAL;
    }
    while (this.list.length > this.maxOrphans) {
      const victim = this.list[Math.floor(this.deps.random() * this.list.length)]!;
      this.erase(victim);
    }
  }

  private erase(orphan: Orphan): void {
    if (this.byWtxid.get(orphan.wtxidKey) !== orphan) return;
    this.byWtxid.delete(orphan.wtxidKey);
    for (const input of orphan.tx.inputs) {
      const key = input.prevout.key();
      const set = this.byPrevout.get(key);
      set?.delete(orphan);
      if (set?.size === 0) this.byPrevout.delete(key);
    }
    // Swap-remove keeps `list` dense for random picks.
    const last = this.list.pop()!;
    if (last !== orphan) {
      last.index = orphan.index;
      this.list[orphan.index] = last;
    }
  }
}
