import type { BlockIndex } from './block-index.js';
import type { ChainEntry } from './chain-entry.js';

/**
 * The blocks that could become the tip and the choice among them (Core's setBlockIndexCandidates
 * and its comparator): a block is a candidate once it and all its ancestors are stored and none
 * is known invalid. The heaviest chain wins; among equal work, the one that became a candidate
 * first (lowest sequence), so the active chain never switches to a branch of merely equal work.
 */
export class ForkChoice {
  private readonly candidates = new Set<ChainEntry>();

  constructor(private nextSequence: number) {}

  /**
   * The block's data is stored. If its parent's chain is complete, it and every stored descendant
   * waiting for it become candidates, each taking the next sequence number. Returns the entries
   * whose sequence changed (their records must be rewritten).
   */
  dataStored(entry: ChainEntry): ChainEntry[] {
    if (entry.prev !== undefined && !entry.prev.dataChain) return [];
    const changed: ChainEntry[] = [];
    const queue = [entry];
    while (queue.length > 0) {
      const e = queue.shift()!;
      e.dataChain = true;
      e.sequence = this.nextSequence++;
      changed.push(e);
      if (!e.isFailed()) this.candidates.add(e);
      for (const child of e.children ?? []) if (child.hasData() && !child.dataChain) queue.push(child);
    }
    return changed;
  }

  remove(entry: ChainEntry): void {
    this.candidates.delete(entry);
  }

  /** The best candidate, if any has more work than `tip`. */
  best(tip: ChainEntry): ChainEntry | undefined {
    let best: ChainEntry | undefined;
    for (const e of this.candidates) {
      if (e.chainwork <= tip.chainwork) continue;
      if (
        best === undefined ||
        e.chainwork > best.chainwork ||
        (e.chainwork === best.chainwork && e.sequence < best.sequence)
      ) {
        best = e;
      }
    }
    return best;
  }

  /** Forgets candidates that can no longer beat the tip (work only grows from here). */
  prune(tip: ChainEntry): void {
    for (const e of this.candidates)
      if (e.chainwork < tip.chainwork || e.isFailed()) this.candidates.delete(e);
  }

  /** Recomputes the set from the index (after invalidateblock / reconsiderblock or on open). */
  rebuild(index: BlockIndex, tip: ChainEntry): void {
    this.candidates.clear();
    for (const e of index.entries()) {
      if (e.dataChain && !e.isFailed() && e.chainwork >= tip.chainwork) this.candidates.add(e);
    }
  }

  get size(): number {
    return this.candidates.size;
  }
}
