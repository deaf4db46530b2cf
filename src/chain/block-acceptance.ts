import { checkBlock } from '../consensus/check-block.js';
import { contextualCheckBlock } from '../consensus/contextual.js';
import { type BlockCheck, BlockValidationResult } from '../consensus/errors.js';
import type { NetworkParams } from '../consensus/params.js';
import type { Block } from '../primitives/block.js';
import type { BlockHeader } from '../primitives/block-header.js';
import type { BlockIndex } from './block-index.js';
import type { ChainDB, DbOp } from './chain-db.js';
import { BlockStatus, type ChainEntry, FAILED_MASK } from './chain-entry.js';
import type { ChainState } from './chain-state.js';
import type { ForkChoice } from './fork-choice.js';
import { checkNewHeader } from './header-checks.js';
import { blockKey, entryKey } from './layout.js';
import { ChainReject, type Rejection, toRejection } from './types.js';

export interface AcceptanceDeps {
  readonly network: NetworkParams;
  readonly index: BlockIndex;
  readonly db: ChainDB;
  readonly state: ChainState;
  readonly forks: ForkChoice;
  readonly now: () => number;
}

/**
 * What happens to a header or block before it can be connected (Core's AcceptBlockHeader and
 * AcceptBlock): checks that need no coins, indexing, storage, and the validity marks that keep
 * invalid blocks and their descendants from being validated again.
 */
export class BlockAcceptance {
  /** The most-work header that is not known invalid. */
  bestHeader: ChainEntry;

  constructor(private readonly deps: AcceptanceDeps) {
    this.bestHeader = this.scanBestHeader();
  }

  /** The rejection for a block already known invalid (itself, or through an ancestor). */
  cachedInvalid(entry: ChainEntry): Rejection | undefined {
    if (entry.status & BlockStatus.FAILED) {
      return {
        status: 'invalid',
        result: BlockValidationResult.CACHED_INVALID,
        reason: ChainReject.DUPLICATE_INVALID,
        debug: `block ${entry.hashHex()} was previously marked invalid`,
      };
    }
    if (entry.status & BlockStatus.FAILED_CHILD) {
      return {
        status: 'invalid',
        result: BlockValidationResult.INVALID_PREV,
        reason: ChainReject.BAD_PREVBLK,
        debug: `block ${entry.hashHex()} descends from an invalid block`,
      };
    }
    return undefined;
  }

  /**
   * Checks a header against its parent and indexes it; the entry's record goes into `ops` for the
   * caller to write. A header that fails is not indexed (so it is not marked either): PoW, time and
   * difficulty failures say nothing about a block with that hash that could still be valid later.
   */
  acceptHeader(header: BlockHeader, ops: DbOp[]): { status: 'accepted'; entry: ChainEntry } | Rejection {
    const { index, network } = this.deps;
    const known = index.get(header.hash());
    if (known !== undefined) return this.cachedInvalid(known) ?? { status: 'accepted', entry: known };
    const check = checkNewHeader(header, index, this.deps.now(), network.consensus);
    if (!check.ok) return toRejection(check);
    const entry = index.add(header, check.prev, BlockStatus.VALID_TREE);
    ops.push({ type: 'put', key: entryKey(entry.hash), value: entry.encode() });
    if (entry.chainwork > this.bestHeader.chainwork) this.bestHeader = entry;
    return { status: 'accepted', entry };
  }

  /**
   * The block rules that need no coins (CheckBlock, ContextualCheckBlock), then storage. A block
   * that breaks them is marked FAILED, unless it is mutated: its data does not match its header
   * (CVE-2012-2459 duplication, a bad Merkle root, witness malleation), so the real block with this
   * hash may still come. Returns a rejection, or undefined once the block is stored.
   */
  async acceptBlock(block: Block, entry: ChainEntry): Promise<Rejection | undefined> {
    const { index, network, forks, state, db } = this.deps;
    const prev = entry.prev!;
    const params = network.consensus;
    let check: BlockCheck = checkBlock(block, params);
    if (check.ok) {
      const ctx = { height: entry.height, prevMedianTimePast: index.medianTimePast(prev) };
      check = contextualCheckBlock(block, ctx, params);
    }
    if (!check.ok) {
      if (check.result !== BlockValidationResult.MUTATED) this.markInvalid(entry);
      return toRejection(check);
    }
    entry.status |= BlockStatus.HAVE_DATA;
    const changed = forks.dataStored(entry);
    for (const e of changed) if (e !== entry) state.markEntry(e);
    // The raw bytes and the record saying we have them go first: a later connect batch refers to them.
    await db.write(
      [
        { type: 'put', key: blockKey(entry.hash), value: block.encode() },
        { type: 'put', key: entryKey(entry.hash), value: entry.encode() },
      ],
      false,
    );
    return undefined;
  }

  /** Marks the block FAILED and every descendant FAILED_CHILD (Core's InvalidBlockFound). */
  markInvalid(entry: ChainEntry): void {
    const { index, state, forks } = this.deps;
    entry.status |= BlockStatus.FAILED;
    state.markEntry(entry);
    forks.remove(entry);
    for (const d of index.descendants(entry)) {
      d.status |= BlockStatus.FAILED_CHILD;
      state.markEntry(d);
      forks.remove(d);
    }
    if (this.bestHeader.isFailed()) this.bestHeader = this.scanBestHeader();
  }

  /** Clears FAILED / FAILED_CHILD on the block, its ancestors and its descendants (reconsiderblock). */
  clearInvalid(entry: ChainEntry): void {
    const affected = this.deps.index.descendants(entry);
    for (let e: ChainEntry | undefined = entry; e !== undefined; e = e.prev) affected.push(e);
    for (const e of affected) {
      if (!e.isFailed()) continue;
      e.status &= ~FAILED_MASK;
      this.deps.state.markEntry(e);
    }
    this.bestHeader = this.scanBestHeader();
  }

  /** Recomputes the best header (after validity flags were cleared). */
  scanBestHeader(): ChainEntry {
    let best = this.deps.index.tip;
    for (const e of this.deps.index.entries()) {
      if (!e.isFailed() && e.chainwork > best.chainwork) best = e;
    }
    return best;
  }
}
