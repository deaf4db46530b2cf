import { checkBlockHeader } from '../consensus/check-block.js';
import { checkBlockHeaderContextual } from '../consensus/contextual.js';
import { type BlockCheck, BlockValidationResult, invalidBlock } from '../consensus/errors.js';
import type { ConsensusParams } from '../consensus/params.js';
import { Reject } from '../consensus/reject.js';
import type { BlockHeader } from '../primitives/block-header.js';
import type { BlockIndex } from './block-index.js';
import type { ChainEntry } from './chain-entry.js';

/**
 * Core's AcceptBlockHeader checks for a header not yet in the index: proof of work, a known parent
 * that is not invalid, then the contextual rules against the parent (difficulty, MTP, future time
 * against the caller's adjusted clock, obsolete versions).
 */
export function checkNewHeader(
  header: BlockHeader,
  index: BlockIndex,
  adjustedTime: number,
  params: ConsensusParams,
): BlockCheck<{ prev: ChainEntry }> {
  const pow = checkBlockHeader(header, params);
  if (!pow.ok) return pow;
  const prev = index.get(header.prevBlock);
  if (prev === undefined) {
    return invalidBlock(
      BlockValidationResult.MISSING_PREV,
      Reject.PREV_BLK_NOT_FOUND,
      'prev block not found',
    );
  }
  if (prev.isFailed()) {
    return invalidBlock(BlockValidationResult.INVALID_PREV, Reject.PREVBLK, 'previous block is invalid');
  }
  const contextual = checkBlockHeaderContextual(
    header,
    {
      height: prev.height + 1,
      expectedBits: index.nextWorkRequired(prev, header.time),
      prevMedianTimePast: index.medianTimePast(prev),
      prevTime: prev.time,
      adjustedTime,
    },
    params,
  );
  if (!contextual.ok) return contextual;
  return { ok: true, prev };
}
