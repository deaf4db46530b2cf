import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import { BlockHeader, HEADER_SIZE } from '../primitives/block-header.js';

/** Status bits of a block index entry (Core's BlockStatus, reduced to what Tally tracks). */
export const BlockStatus = {
  /** The header passed every header rule and its parent is known (Core's BLOCK_VALID_TREE). */
  VALID_TREE: 1 << 0,
  /** The block was connected once: every consensus rule, scripts included (BLOCK_VALID_SCRIPTS). */
  VALID_SCRIPTS: 1 << 1,
  /** The full block is stored (BLOCK_HAVE_DATA). */
  HAVE_DATA: 1 << 2,
  /** The block itself broke a consensus rule (BLOCK_FAILED_VALID). */
  FAILED: 1 << 3,
  /** An ancestor is FAILED (BLOCK_FAILED_CHILD). */
  FAILED_CHILD: 1 << 4,
} as const;

export const FAILED_MASK = BlockStatus.FAILED | BlockStatus.FAILED_CHILD;

/** A string key for maps of hashes: the 32 bytes as latin1 characters (cheaper than hex). */
export function hashMapKey(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('latin1');
}

/**
 * One block of the block index: a header we accepted, where it sits and what we know about it.
 * Entries form a tree through `prev`; chainwork is the sum of every ancestor's proof (Core's
 * nChainWork), the fork-choice measure.
 */
export class ChainEntry {
  readonly hash: Uint8Array;
  /** hashMapKey(hash), for the index's maps. */
  readonly key: string;
  /** An ancestor further back, for O(log n) getAncestor (see BlockIndex.buildSkip). */
  skip: ChainEntry | undefined;
  /**
   * This block and all its ancestors are stored (Core's HaveNumChainTxs): it could become the tip.
   */
  dataChain = false;
  /** Entries whose parent is this one (created on the first child). */
  children: ChainEntry[] | undefined;

  constructor(
    readonly header: BlockHeader,
    readonly height: number,
    readonly chainwork: bigint,
    readonly prev: ChainEntry | undefined,
    public status: number,
    /**
     * When the block became a candidate (dataChain), counting up; among chains of equal work the
     * earlier one wins (Core's nSequenceId). Persisted, so the choice survives a restart.
     */
    public sequence: number,
  ) {
    this.hash = header.hash();
    this.key = hashMapKey(this.hash);
  }

  get time(): number {
    return this.header.time;
  }

  get bits(): number {
    return this.header.bits;
  }

  hasData(): boolean {
    return (this.status & BlockStatus.HAVE_DATA) !== 0;
  }

  isFailed(): boolean {
    return (this.status & FAILED_MASK) !== 0;
  }

  hashHex(): string {
    return this.header.hashHex();
  }

  /** The stored record: header (80), height (u32), status (u32), sequence (u32). */
  encode(): Uint8Array {
    const w = new BufferWriter(HEADER_SIZE + 12);
    this.header.write(w);
    w.u32(this.height).u32(this.status).u32(this.sequence);
    return w.finish();
  }
}

export interface EntryRecord {
  readonly header: BlockHeader;
  readonly height: number;
  readonly status: number;
  readonly sequence: number;
}

export function decodeEntryRecord(bytes: Uint8Array): EntryRecord {
  const r = new BufferReader(bytes);
  const header = BlockHeader.read(r);
  const record = { header, height: r.u32(), status: r.u32(), sequence: r.u32() };
  r.end();
  return record;
}
