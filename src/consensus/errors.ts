import type { RejectReason } from './reject.js';

/**
 * What the network layer should do about an invalid block, kept apart from the reject reason
 * (Core's BlockValidationResult, consensus/validation.h). One function in net/ maps these to peer
 * penalties, as Core's MaybePunishNodeForBlock does.
 */
export const BlockValidationResult = {
  /** Invalid by consensus rules (excluding any below reasons). */
  CONSENSUS: 'BLOCK_CONSENSUS',
  /** We already know this block is invalid; the reason was not kept. */
  CACHED_INVALID: 'BLOCK_CACHED_INVALID',
  /** Invalid proof of work or time too old: the header itself is bad. */
  INVALID_HEADER: 'BLOCK_INVALID_HEADER',
  /**
   * The block's data does not match the header's commitments (Merkle root, witness commitment,
   * CVE-2012-2459 duplication). The header may still be valid with other data: never cache as invalid.
   */
  MUTATED: 'BLOCK_MUTATED',
  /** We do not have the previous block. */
  MISSING_PREV: 'BLOCK_MISSING_PREV',
  /** A block this one builds on is invalid. */
  INVALID_PREV: 'BLOCK_INVALID_PREV',
  /** Timestamp too far in the future: may become valid later. */
  TIME_FUTURE: 'BLOCK_TIME_FUTURE',
  /** The header chain has too little work to be worth storing. */
  HEADER_LOW_WORK: 'BLOCK_HEADER_LOW_WORK',
} as const;
export type BlockValidationResult = (typeof BlockValidationResult)[keyof typeof BlockValidationResult];

/** Core's TxValidationResult: what to do about an invalid transaction. */
export const TxValidationResult = {
  /** Invalid by consensus rules. */
  CONSENSUS: 'TX_CONSENSUS',
  /** Inputs failed policy rules (mempool only). */
  INPUTS_NOT_STANDARD: 'TX_INPUTS_NOT_STANDARD',
  /** Otherwise didn't meet our local policy rules. */
  NOT_STANDARD: 'TX_NOT_STANDARD',
  /** Transaction was missing some of its inputs (may be an orphan, not necessarily invalid). */
  MISSING_INPUTS: 'TX_MISSING_INPUTS',
  /** Spends a coinbase too early, or violates locktime/sequence locks: may become valid later. */
  PREMATURE_SPEND: 'TX_PREMATURE_SPEND',
  /** The witness may have been malleated; the transaction without it may still be valid. */
  WITNESS_MUTATED: 'TX_WITNESS_MUTATED',
  /** Witness stripped: cannot be valid as received, but the real transaction might be. */
  WITNESS_STRIPPED: 'TX_WITNESS_STRIPPED',
  /** Conflicts with the mempool or chain (double spend). */
  CONFLICT: 'TX_CONFLICT',
  /** Violated mempool fee, size, descendant or RBF rules. */
  MEMPOOL_POLICY: 'TX_MEMPOOL_POLICY',
  /** No mempool available. */
  NO_MEMPOOL: 'TX_NO_MEMPOOL',
  /** Fails only on fee rate and may pass as part of a package. */
  RECONSIDERABLE: 'TX_RECONSIDERABLE',
  /** Transaction was not validated because package failed. */
  UNKNOWN: 'TX_UNKNOWN',
} as const;
export type TxValidationResult = (typeof TxValidationResult)[keyof typeof TxValidationResult];

/** A rejection: what to do (result), which rule (reason, Core's string) and a human debug message. */
export interface Invalid<R extends string> {
  readonly ok: false;
  readonly result: R;
  readonly reason: RejectReason;
  readonly debug: string;
}

/** The outcome of a consensus check. Success may carry data (e.g. the fee), failure never throws. */
export type ValidationResult<R extends string = BlockValidationResult | TxValidationResult, T = object> =
  | ({ readonly ok: true } & T)
  | Invalid<R>;

export type BlockCheck<T = object> = ValidationResult<BlockValidationResult, T>;
export type TxCheck<T = object> = ValidationResult<TxValidationResult, T>;

export const VALID: { readonly ok: true } = Object.freeze({ ok: true as const });

export function invalidBlock(
  result: BlockValidationResult,
  reason: RejectReason,
  debug = '',
): Invalid<BlockValidationResult> {
  return { ok: false, result, reason, debug };
}

export function invalidTx(
  result: TxValidationResult,
  reason: RejectReason,
  debug = '',
): Invalid<TxValidationResult> {
  return { ok: false, result, reason, debug };
}

/**
 * A transaction failure seen while validating a block is a block consensus failure (Core does this in
 * CheckBlock and ConnectBlock), keeping the transaction's reason and adding which transaction failed.
 */
export function txFailureInBlock(
  failure: Invalid<TxValidationResult>,
  debug: string,
): Invalid<BlockValidationResult> {
  return invalidBlock(
    BlockValidationResult.CONSENSUS,
    failure.reason,
    failure.debug ? `${debug} ${failure.debug}` : debug,
  );
}
