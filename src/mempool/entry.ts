import type { OutPoint } from '../primitives/outpoint.js';
import type { Transaction } from '../primitives/transaction.js';

/** A map key for a 32-byte hash: its bytes as latin1 characters (as OutPoint.key() uses). */
export function hashKey(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, 32).toString('latin1');
}

/**
 * hashKey(outpoint.hash), taken from the outpoint's cached key: OutPoint.key() is the same 32 latin1
 * characters followed by the index (a test pins this), so the hot paths that look up an input's
 * parent in the pool do no byte conversion at all.
 */
export function txKeyOf(outpoint: OutPoint): string {
  return outpoint.key().slice(0, 32);
}

/**
 * Rough bytes of memory one entry costs: the transaction's serialized bytes plus object and index
 * overhead. Core's getmempoolinfo `usage` and -maxmempool count allocator bytes (DynamicMemoryUsage);
 * a JS heap cannot be measured per object, so this estimate stands in. Calibrated with
 * process.memoryUsage() after a full GC: 4,000 one-input one-output P2WPKH entries (191 serialized
 * bytes each) took 2,480 heap bytes each (transaction objects, Uint8Arrays per script and witness
 * item, the entry, index and eviction-heap slots); this formula gives 2,477 for them.
 */
export function estimateMemoryUsage(tx: Transaction): number {
  let items = 0;
  for (const input of tx.inputs) items += 2 + input.witness.length;
  return 1750 + tx.totalSize() + tx.inputs.length * 160 + tx.outputs.length * 120 + items * 64;
}

/**
 * One transaction in the pool (Core's CTxMemPoolEntry) with its package statistics. Ancestor and
 * descendant figures include the entry itself, as Core's do; fees in them are modified fees (base
 * fee plus any prioritisetransaction delta), sizes are sigop-adjusted virtual sizes.
 */
export class MempoolEntry {
  readonly txid: Uint8Array;
  readonly wtxid: Uint8Array;
  /** hashKey(txid), the key of every index. */
  readonly key: string;
  readonly weight: number;
  /** Sigop-adjusted virtual size (-bytespersigop), what limits and fee rates use. */
  readonly vsize: number;
  readonly memoryUsage: number;
  /** Fee delta from prioritisetransaction. */
  feeDelta = 0;

  /** Direct in-pool parents and children. */
  readonly parents = new Set<MempoolEntry>();
  readonly children = new Set<MempoolEntry>();

  ancestorCount = 1;
  ancestorSize: number;
  ancestorFees: number;
  ancestorSigOpCost: number;
  descendantCount = 1;
  descendantSize: number;
  descendantFees: number;

  /** Bumped whenever the descendant score changes, so stale eviction-heap items can be skipped. */
  scoreVersion = 0;

  constructor(
    readonly tx: Transaction,
    /** Base fee: inputs minus outputs. */
    readonly fee: number,
    /** Unix seconds when it entered the pool. */
    readonly time: number,
    /** Chain height when it entered the pool. */
    readonly height: number,
    readonly sigOpCost: number,
    vsize: number,
    readonly spendsCoinbase: boolean,
    /** Order of entry: ties in eviction and selection go by it. */
    readonly sequence: number,
  ) {
    this.txid = tx.txid();
    this.wtxid = tx.wtxid();
    this.key = hashKey(this.txid);
    this.weight = tx.weight();
    this.vsize = vsize;
    this.memoryUsage = estimateMemoryUsage(tx);
    this.ancestorSize = vsize;
    this.ancestorFees = fee;
    this.ancestorSigOpCost = sigOpCost;
    this.descendantSize = vsize;
    this.descendantFees = fee;
  }

  get modifiedFee(): number {
    return this.fee + this.feeDelta;
  }

  /** Every in-pool ancestor (not the entry itself), found by walking parents. */
  ancestors(): Set<MempoolEntry> {
    const found = new Set<MempoolEntry>();
    const stack = [...this.parents];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (found.has(next)) continue;
      found.add(next);
      for (const p of next.parents) if (!found.has(p)) stack.push(p);
    }
    return found;
  }

  /** Every in-pool descendant (not the entry itself). */
  descendants(): Set<MempoolEntry> {
    const found = new Set<MempoolEntry>();
    const stack = [...this.children];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (found.has(next)) continue;
      found.add(next);
      for (const c of next.children) if (!found.has(c)) stack.push(c);
    }
    return found;
  }
}
