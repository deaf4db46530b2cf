import { equalBytes } from '../encoding/bytes.js';
import { toDisplayHex } from '../encoding/hex.js';
import type { Block } from '../primitives/block.js';
import type { BlockHeader } from '../primitives/block-header.js';
import { pushInt } from '../script/script.js';
import { checkBlockWeight } from './check-block.js';
import { MAX_FUTURE_BLOCK_TIME, MAX_TIMEWARP, MEDIAN_TIME_SPAN } from './constants.js';
import { type BlockCheck, BlockValidationResult, invalidBlock, VALID } from './errors.js';
import { type ConsensusParams, difficultyAdjustmentInterval } from './params.js';
import { badVersionReason, hex32, Reject } from './reject.js';
import { isFinalTx } from './sequence-locks.js';
import { checkWitnessCommitment } from './witness-commitment.js';

/**
 * Core's CBlockIndex::GetMedianTimePast: the median of the timestamps of a block and up to 10 of its
 * ancestors. `times` lists them oldest first (a chain's order); only the last 11 are used. With an
 * even count (fewer than 11 blocks) Core takes the upper middle element, and so do we. An empty list
 * has no median: 0.
 */
export function medianTimePast(times: readonly number[]): number {
  if (times.length === 0) return 0;
  const window = times.slice(-MEDIAN_TIME_SPAN).sort((a, b) => a - b);
  return window[Math.floor(window.length / 2)]!;
}

/** What the chain knows about the new header's position, passed as data. */
export interface HeaderContext {
  /** Height of the new block (its parent's height + 1). */
  readonly height: number;
  /** The bits nextWorkRequired() demands for this block. */
  readonly expectedBits: number;
  /** Median time past of the parent block. */
  readonly prevMedianTimePast: number;
  /** Timestamp of the parent (read only under BIP94). */
  readonly prevTime?: number;
  /**
   * The caller's idea of "now" (network-adjusted time, in seconds). Consensus never reads a clock:
   * a block too far in the future is TIME_FUTURE and may be accepted later.
   */
  readonly adjustedTime: number;
}

/**
 * Core's ContextualCheckBlockHeader: difficulty, timestamp bounds and obsolete versions. BIP34, BIP66
 * and BIP65 each made a block version obsolete from their activation height (v1, v2, v3).
 */
export function checkBlockHeaderContextual(
  header: BlockHeader,
  ctx: HeaderContext,
  params: Pick<
    ConsensusParams,
    'bip34Height' | 'bip66Height' | 'bip65Height' | 'enforceBIP94' | 'powTargetTimespan' | 'powTargetSpacing'
  >,
): BlockCheck {
  if (header.bits >>> 0 !== ctx.expectedBits >>> 0) {
    return invalidBlock(BlockValidationResult.INVALID_HEADER, Reject.DIFFBITS, 'incorrect proof of work');
  }
  if (header.time <= ctx.prevMedianTimePast) {
    return invalidBlock(
      BlockValidationResult.INVALID_HEADER,
      Reject.TIME_TOO_OLD,
      "block's timestamp is too early",
    );
  }
  // BIP94 timewarp rule (testnet4 only; no network defined here enables it).
  if (
    params.enforceBIP94 &&
    ctx.prevTime !== undefined &&
    ctx.height % difficultyAdjustmentInterval(params) === 0 &&
    header.time < ctx.prevTime - MAX_TIMEWARP
  ) {
    return invalidBlock(
      BlockValidationResult.INVALID_HEADER,
      Reject.TIME_TIMEWARP_ATTACK,
      "block's timestamp is too early on diff adjustment block",
    );
  }
  if (header.time > ctx.adjustedTime + MAX_FUTURE_BLOCK_TIME) {
    return invalidBlock(
      BlockValidationResult.TIME_FUTURE,
      Reject.TIME_TOO_NEW,
      'block timestamp too far in the future',
    );
  }
  const version = header.version | 0;
  if (
    (version < 2 && ctx.height >= params.bip34Height) ||
    (version < 3 && ctx.height >= params.bip66Height) ||
    (version < 4 && ctx.height >= params.bip65Height)
  ) {
    return invalidBlock(
      BlockValidationResult.INVALID_HEADER,
      badVersionReason(version),
      `rejected nVersion=${hex32(version)} block`,
    );
  }
  return VALID;
}

/**
 * BIP34: the coinbase scriptSig must start with the block height exactly as `CScript() << height`
 * writes it (OP_0, OP_1..OP_16, or a minimal CScriptNum push).
 */
export function checkCoinbaseHeight(block: Block, height: number): BlockCheck {
  const expected = pushInt(height);
  const scriptSig = block.txs[0]?.inputs[0]?.scriptSig;
  if (
    scriptSig === undefined ||
    scriptSig.length < expected.length ||
    !equalBytes(scriptSig.subarray(0, expected.length), expected)
  ) {
    return invalidBlock(
      BlockValidationResult.CONSENSUS,
      Reject.CB_HEIGHT,
      'block height mismatch in coinbase',
    );
  }
  return VALID;
}

/** What contextualCheckBlock needs to know about the block's position. */
export interface BlockContext {
  /** Height of the block. */
  readonly height: number;
  /** Median time past of the parent (unused for the genesis block). */
  readonly prevMedianTimePast: number;
}

/**
 * Core's ContextualCheckBlock: rules that need the block's height and its parent but not the UTXO set:
 * finality of every transaction (BIP113: against the parent's MTP once CSV is active), the height in
 * the coinbase (BIP34), the witness commitment (BIP141) and then the weight limit.
 */
export function contextualCheckBlock(
  block: Block,
  ctx: BlockContext,
  params: Pick<ConsensusParams, 'csvHeight' | 'bip34Height' | 'segwitHeight'>,
): BlockCheck {
  const cutoff = ctx.height >= params.csvHeight ? ctx.prevMedianTimePast : block.header.time;
  for (const tx of block.txs) {
    if (!isFinalTx(tx, ctx.height, cutoff)) {
      return invalidBlock(
        BlockValidationResult.CONSENSUS,
        Reject.TXNS_NONFINAL,
        `non-final transaction ${toDisplayHex(tx.txid())}`,
      );
    }
  }
  if (ctx.height >= params.bip34Height) {
    const cb = checkCoinbaseHeight(block, ctx.height);
    if (!cb.ok) return cb;
  }
  const witness = checkWitnessCommitment(block, ctx.height >= params.segwitHeight);
  if (!witness.ok) return witness;
  // Only now, with the coinbase witness bound by the commitment, can weight be judged (see checkBlockWeight).
  return checkBlockWeight(block);
}
