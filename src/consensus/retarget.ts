import { type ConsensusParams, difficultyAdjustmentInterval } from './params.js';
import { compactToTarget, mulUint256, targetToCompact } from './pow.js';

export type RetargetParams = Pick<
  ConsensusParams,
  | 'powLimit'
  | 'powTargetTimespan'
  | 'powTargetSpacing'
  | 'powAllowMinDifficultyBlocks'
  | 'powNoRetargeting'
  | 'enforceBIP94'
>;

/** The facts about one header that retargeting reads. */
export interface HeaderFacts {
  readonly height: number;
  readonly bits: number;
  readonly time: number;
}

/** What nextWorkRequired needs to know, passed as data rather than a chain object. */
export interface NextWorkInput {
  /** The block the new block builds on. */
  readonly last: HeaderFacts;
  /** The timestamp of the new block (read only by testnet's min-difficulty rule). */
  readonly blockTime: number;
  /**
   * The ancestor of `last` (or `last` itself) at a height <= last.height on the same chain. Called
   * for the first block of the period at a retarget, and by testnet's walk back to the last block that
   * did not use the min-difficulty exception. Never called on mainnet between retargets.
   */
  readonly ancestor: (height: number) => HeaderFacts;
}

/**
 * Core's CalculateNextWorkRequired: scale the last target by how long the period took, clamped to a
 * factor of 4 either way, capped at powLimit. The product wraps at 2^256 exactly as arith_uint256 does
 * (it cannot on the real networks: Core asserts powLimit * 4 * timespan < 2^256 in pow_tests).
 */
export function calculateNextWorkRequired(
  lastBits: number,
  lastTime: number,
  firstTime: number,
  params: RetargetParams,
): number {
  if (params.powNoRetargeting) return lastBits;
  const timespan = params.powTargetTimespan;
  let actual = lastTime - firstTime;
  // Integer division, as in Core's int64 arithmetic (both spans are multiples of 4).
  const minSpan = Math.trunc(timespan / 4);
  const maxSpan = timespan * 4;
  if (actual < minSpan) actual = minSpan;
  if (actual > maxSpan) actual = maxSpan;
  let target = mulUint256(compactToTarget(lastBits).target, BigInt(actual)) / BigInt(timespan);
  if (target > params.powLimit) target = params.powLimit;
  return targetToCompact(target);
}

/**
 * testnet: the bits of the last block that was not mined under the 20-minute exception, walking back
 * from `last` but never past the first block of a period (Core's loop in GetNextWorkRequired).
 */
export function lastNonMinDifficultyBits(
  last: HeaderFacts,
  ancestor: (height: number) => HeaderFacts,
  params: RetargetParams,
): number {
  const interval = difficultyAdjustmentInterval(params);
  const limitBits = targetToCompact(params.powLimit);
  let block = last;
  while (block.height > 0 && block.height % interval !== 0 && block.bits === limitBits) {
    block = ancestor(block.height - 1);
  }
  return block.bits;
}

/**
 * Core's GetNextWorkRequired: the bits the block after `last` must carry.
 *
 * Between retargets the bits do not change, except on testnet (powAllowMinDifficultyBlocks): a block
 * more than twice the target spacing after its parent may use powLimit, and otherwise the bits are
 * those of the last block not mined under that exception.
 *
 * At a retarget the period is measured from the block interval - 1 before `last`, not interval: the
 * famous off-by-one, so each period's time covers 2015 block intervals while the target assumes 2016.
 */
export function nextWorkRequired(input: NextWorkInput, params: RetargetParams): number {
  const { last } = input;
  const interval = difficultyAdjustmentInterval(params);
  if ((last.height + 1) % interval !== 0) {
    if (params.powAllowMinDifficultyBlocks) {
      if (input.blockTime > last.time + params.powTargetSpacing * 2) return targetToCompact(params.powLimit);
      return lastNonMinDifficultyBits(last, input.ancestor, params);
    }
    return last.bits;
  }
  const first = input.ancestor(last.height - (interval - 1));
  // BIP94 (testnet4) scales the first block's bits, which cannot use the min-difficulty exception.
  return calculateNextWorkRequired(
    params.enforceBIP94 ? first.bits : last.bits,
    last.time,
    first.time,
    params,
  );
}

/**
 * Core's PermittedDifficultyTransition: whether `newBits` at `height` could follow `oldBits` under the
 * retarget rules, judged without the chain (used to sanity-check header chains cheaply). Networks with
 * min-difficulty blocks allow anything.
 */
export function permittedDifficultyTransition(
  params: RetargetParams,
  height: number,
  oldBits: number,
  newBits: number,
): boolean {
  if (params.powAllowMinDifficultyBlocks) return true;
  if (height % difficultyAdjustmentInterval(params) === 0) {
    const timespan = BigInt(params.powTargetTimespan);
    const observed = compactToTarget(newBits).target;
    const old = compactToTarget(oldBits).target;
    const bound = (span: bigint): bigint => {
      let t = mulUint256(old, span) / timespan;
      if (t > params.powLimit) t = params.powLimit;
      // Round through the compact encoding, as the real retarget result is.
      return compactToTarget(targetToCompact(t)).target;
    };
    if (bound(timespan * 4n) < observed) return false;
    if (bound(timespan / 4n) > observed) return false;
    return true;
  }
  return oldBits === newBits;
}
