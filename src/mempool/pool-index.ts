import { OutPoint } from '../primitives/outpoint.js';
import { compareFeeRates } from '../policy/fee-rate.js';
import { hashKey, type MempoolEntry, txKeyOf } from './entry.js';
import { BinaryHeap } from './heap.js';

/** A frozen descendant score for the eviction heap (see BinaryHeap). */
interface EvictionItem {
  readonly entry: MempoolEntry;
  readonly version: number;
  readonly fee: number;
  readonly size: number;
}

/**
 * Core's descendant score (CompareTxMemPoolEntryByDescendantScore): the higher of the entry's own
 * fee rate and its fee rate with descendants. Eviction removes the lowest first, so a parent kept
 * alive by a high-fee child is evicted only with that child's fee taken into account.
 */
function evictionItem(entry: MempoolEntry): EvictionItem {
  const own = entry.modifiedFee;
  const withDescendants = entry.descendantFees;
  const useDescendants = compareFeeRates(withDescendants, entry.descendantSize, own, entry.vsize) > 0;
  return {
    entry,
    version: entry.scoreVersion,
    fee: useDescendants ? withDescendants : own,
    size: useDescendants ? entry.descendantSize : entry.vsize,
  };
}

/** Lowest score first; equal scores evict the newer entry first, as Core does. */
function evictsFirst(a: EvictionItem, b: EvictionItem): boolean {
  const c = compareFeeRates(a.fee, a.size, b.fee, b.size);
  if (c !== 0) return c < 0;
  return a.entry.sequence > b.entry.sequence;
}

/**
 * The pool's indexes and package bookkeeping (Core's mapTx and mapNextTx with the ancestor and
 * descendant state of CTxMemPoolEntry), with no chain and no policy: callers decide what enters and
 * leaves; this keeps every entry's ancestor and descendant counts, sizes and fees exact.
 */
export class PoolIndex {
  private readonly byTxid = new Map<string, MempoolEntry>();
  private readonly byWtxid = new Map<string, MempoolEntry>();
  /** OutPoint.key() → the entry spending it. */
  private readonly spenders = new Map<string, MempoolEntry>();
  private readonly evictionHeap = new BinaryHeap<EvictionItem>(evictsFirst);

  /** Sum of sigop-adjusted virtual sizes (getmempoolinfo `bytes`). */
  totalVsize = 0;
  /** Sum of base fees (getmempoolinfo `total_fee`). */
  totalFee = 0;
  /** Estimated memory (getmempoolinfo `usage`, compared with -maxmempool). */
  usage = 0;

  get size(): number {
    return this.byTxid.size;
  }

  get(txid: Uint8Array): MempoolEntry | undefined {
    return this.byTxid.get(hashKey(txid));
  }

  getByKey(key: string): MempoolEntry | undefined {
    return this.byTxid.get(key);
  }

  getByWtxid(wtxid: Uint8Array): MempoolEntry | undefined {
    return this.byWtxid.get(hashKey(wtxid));
  }

  spender(outpoint: OutPoint): MempoolEntry | undefined {
    return this.spenders.get(outpoint.key());
  }

  entries(): IterableIterator<MempoolEntry> {
    return this.byTxid.values();
  }

  /** Direct in-pool parents of a transaction's inputs (before it is added). */
  parentsOf(tx: MempoolEntry['tx']): Set<MempoolEntry> {
    const parents = new Set<MempoolEntry>();
    for (const input of tx.inputs) {
      const parent = this.byTxid.get(txKeyOf(input.prevout));
      if (parent !== undefined) parents.add(parent);
    }
    return parents;
  }

  /**
   * Adds an entry whose in-pool ancestors are `ancestors` (computed by the caller under the chain
   * limits). Children already in the pool (a transaction returning from a disconnected block, whose
   * descendants stayed) are linked too, and every affected package figure is recomputed.
   */
  add(entry: MempoolEntry, ancestors: ReadonlySet<MempoolEntry>): void {
    this.byTxid.set(entry.key, entry);
    this.byWtxid.set(hashKey(entry.wtxid), entry);
    for (const input of entry.tx.inputs) {
      this.spenders.set(input.prevout.key(), entry);
      const parent = this.byTxid.get(txKeyOf(input.prevout));
      if (parent !== undefined) {
        entry.parents.add(parent);
        parent.children.add(entry);
      }
    }
    const fee = entry.modifiedFee;
    entry.ancestorCount = 1 + ancestors.size;
    entry.ancestorSize = entry.vsize;
    entry.ancestorFees = fee;
    entry.ancestorSigOpCost = entry.sigOpCost;
    for (const a of ancestors) {
      entry.ancestorSize += a.vsize;
      entry.ancestorFees += a.modifiedFee;
      entry.ancestorSigOpCost += a.sigOpCost;
      a.descendantCount += 1;
      a.descendantSize += entry.vsize;
      a.descendantFees += fee;
      this.touch(a);
    }
    this.totalVsize += entry.vsize;
    this.totalFee += entry.fee;
    this.usage += entry.memoryUsage;

    // Outputs already spent in the pool: only after a reorg, when this transaction comes back below
    // descendants that never left (Core's UpdateTransactionsFromBlock).
    let hasChildren = false;
    for (let i = 0; i < entry.tx.outputs.length; i++) {
      const child = this.spenders.get(new OutPoint(entry.txid, i).key());
      if (child !== undefined) {
        entry.children.add(child);
        child.parents.add(entry);
        hasChildren = true;
      }
    }
    if (hasChildren) this.recomputeAround(entry);
    this.touch(entry);
    this.compactEvictionHeap();
  }

  /**
   * Removes `stage` (Core's RemoveStaged). Entries outside the set that counted a removed entry as
   * an ancestor or descendant have it subtracted; the caller decides whether the set is closed
   * under descendants (eviction, conflicts) or not (transactions confirmed by a block, whose
   * children stay).
   */
  remove(stage: ReadonlySet<MempoolEntry>): void {
    // All relationships are read before any link is cut: a chain a → r1 → r2 with r1 and r2 both
    // removed must still subtract r2 from a.
    const plans = [...stage].map((r) => ({ r, ancestors: r.ancestors(), descendants: r.descendants() }));
    for (const { r, ancestors, descendants } of plans) {
      const fee = r.modifiedFee;
      for (const a of ancestors) {
        if (stage.has(a)) continue;
        a.descendantCount -= 1;
        a.descendantSize -= r.vsize;
        a.descendantFees -= fee;
        this.touch(a);
      }
      for (const d of descendants) {
        if (stage.has(d)) continue;
        d.ancestorCount -= 1;
        d.ancestorSize -= r.vsize;
        d.ancestorFees -= fee;
        d.ancestorSigOpCost -= r.sigOpCost;
      }
    }
    for (const r of stage) {
      for (const p of r.parents) p.children.delete(r);
      for (const c of r.children) c.parents.delete(r);
      r.parents.clear();
      r.children.clear();
      this.byTxid.delete(r.key);
      this.byWtxid.delete(hashKey(r.wtxid));
      for (const input of r.tx.inputs) {
        const key = input.prevout.key();
        if (this.spenders.get(key) === r) this.spenders.delete(key);
      }
      this.totalVsize -= r.vsize;
      this.totalFee -= r.fee;
      this.usage -= r.memoryUsage;
      r.scoreVersion++;
    }
    this.compactEvictionHeap();
  }

  /** Changes an entry's fee delta (prioritisetransaction) and every package figure that includes it. */
  applyFeeDelta(entry: MempoolEntry, delta: number): void {
    entry.feeDelta += delta;
    entry.ancestorFees += delta;
    entry.descendantFees += delta;
    this.touch(entry);
    for (const a of entry.ancestors()) {
      a.descendantFees += delta;
      this.touch(a);
    }
    for (const d of entry.descendants()) d.ancestorFees += delta;
  }

  /** The entry eviction would remove first (lowest descendant score), or undefined if empty. */
  lowestDescendantScore(): MempoolEntry | undefined {
    for (;;) {
      const top = this.evictionHeap.peek();
      if (top === undefined) return undefined;
      if (top.version === top.entry.scoreVersion && this.byTxid.get(top.entry.key) === top.entry) {
        return top.entry;
      }
      this.evictionHeap.pop();
    }
  }

  clear(): void {
    this.byTxid.clear();
    this.byWtxid.clear();
    this.spenders.clear();
    this.evictionHeap.clear();
    this.totalVsize = 0;
    this.totalFee = 0;
    this.usage = 0;
  }

  /** Records that an entry's descendant score may have changed. */
  private touch(entry: MempoolEntry): void {
    entry.scoreVersion++;
    this.evictionHeap.push(evictionItem(entry));
  }

  /**
   * Every change to an entry's score pushes a new item (a chain of 25 pushes 25 per addition), so
   * stale items are dropped by rebuilding once they outnumber live entries: amortised O(1) per push.
   */
  private compactEvictionHeap(): void {
    if (this.evictionHeap.size <= 2 * this.byTxid.size + 1024) return;
    this.evictionHeap.rebuild([...this.byTxid.values()].map(evictionItem));
  }

  /** Recomputes descendant figures of `entry` and its ancestors, ancestor figures of its descendants. */
  private recomputeAround(entry: MempoolEntry): void {
    const ancestors = entry.ancestors();
    const descendants = entry.descendants();
    for (const e of [entry, ...ancestors]) {
      const set = e.descendants();
      e.descendantCount = 1 + set.size;
      e.descendantSize = e.vsize;
      e.descendantFees = e.modifiedFee;
      for (const d of set) {
        e.descendantSize += d.vsize;
        e.descendantFees += d.modifiedFee;
      }
      this.touch(e);
    }
    for (const e of [entry, ...descendants]) {
      const set = e.ancestors();
      e.ancestorCount = 1 + set.size;
      e.ancestorSize = e.vsize;
      e.ancestorFees = e.modifiedFee;
      e.ancestorSigOpCost = e.sigOpCost;
      for (const a of set) {
        e.ancestorSize += a.vsize;
        e.ancestorFees += a.modifiedFee;
        e.ancestorSigOpCost += a.sigOpCost;
      }
    }
  }
}
