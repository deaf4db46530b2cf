import type { BlockValidationResult } from '../consensus/errors.js';
import { Reject } from '../consensus/reject.js';
import type { ChainEntry } from './chain-entry.js';

/** Where a confirmed transaction is (the tx index): its block, that block's height, its position. */
export interface TxLocation {
  readonly blockHash: Uint8Array;
  readonly height: number;
  readonly index: number;
}

/** An invalid block or header: Core's result and reason, and a message for logs. */
export interface Rejection {
  readonly status: 'invalid';
  readonly result: BlockValidationResult;
  readonly reason: string;
  readonly debug: string;
}

/** The outcome of Chain.processBlock. */
export type BlockResult =
  | {
      /**
       * connected: the block is on the active chain now (extending it, or after a reorg: reorganized);
       * stored: valid so far but on a branch with no more work than the active one; duplicate: known.
       */
      readonly status: 'connected' | 'reorganized' | 'stored' | 'duplicate';
      readonly entry: ChainEntry;
    }
  | { readonly status: 'orphan' }
  | Rejection;

/** The outcome of Chain.processHeaders: the entries of the headers accepted (or already known), in order. */
export type HeaderResult =
  | { readonly status: 'accepted'; readonly entries: ChainEntry[] }
  | (Rejection & { readonly entries: ChainEntry[] });

/** One tip of the block tree, as bitcoind's getchaintips reports it. */
export interface ChainTip {
  readonly height: number;
  readonly hash: Uint8Array;
  /** Blocks from the fork point with the active chain (0 for the active tip). */
  readonly branchlen: number;
  readonly status: 'active' | 'valid-fork' | 'valid-headers' | 'headers-only' | 'invalid';
}

/** bitcoind's gettxoutsetinfo (hash_type hash_serialized_3); amounts in satoshis, hashes in internal order. */
export interface UtxoDigest {
  readonly height: number;
  readonly bestblock: Uint8Array;
  /** Distinct txids with unspent outputs. */
  readonly transactions: number;
  readonly txouts: number;
  /** Core's database-independent size estimate: 50 bytes + script per coin. */
  readonly bogosize: number;
  readonly total_amount: number;
  readonly hash_serialized_3: Uint8Array;
}

/** Reject reasons the chain adds to consensus's (Core's AcceptBlockHeader / AcceptBlock). */
export const ChainReject = {
  /** The block is known and marked invalid: it is not validated again. */
  DUPLICATE_INVALID: 'duplicate-invalid',
  /** A block this one builds on is invalid. */
  BAD_PREVBLK: Reject.PREVBLK,
  /** The parent is unknown (a header message that does not connect). */
  PREV_BLK_NOT_FOUND: Reject.PREV_BLK_NOT_FOUND,
} as const;

/** A consensus failure as a Rejection. */
export function toRejection(check: {
  result: BlockValidationResult;
  reason: string;
  debug: string;
}): Rejection {
  return { status: 'invalid', result: check.result, reason: check.reason, debug: check.debug };
}
