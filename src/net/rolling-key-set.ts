/**
 * A set of string keys that forgets its oldest entries beyond a capacity: the per-peer "known
 * inventory" and the recent-rejects set (Core keeps these in CRollingBloomFilter, which forgets in
 * generations). Exact rather than probabilistic: a false positive in Core's filter only costs a
 * missed announcement, but here memory is bounded by the capacity just as well, and exactness keeps
 * tests deterministic. 50,000 keys of 32 latin1 characters cost about 5 MB per peer at worst.
 */
export class RollingKeySet {
  private readonly keys = new Set<string>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`bad capacity ${capacity}`);
  }

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Adds (or refreshes) a key, evicting the oldest ones beyond the capacity. */
  add(key: string): void {
    if (this.keys.has(key)) this.keys.delete(key);
    this.keys.add(key);
    // A Set iterates in insertion order, so the first key is the oldest.
    while (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest === undefined) break;
      this.keys.delete(oldest);
    }
  }

  delete(key: string): boolean {
    return this.keys.delete(key);
  }

  clear(): void {
    this.keys.clear();
  }
}
