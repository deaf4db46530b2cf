import type { BlockIndex } from './block-index.js';
import { BlockStatus, type ChainEntry } from './chain-entry.js';
import type { ChainTip } from './types.js';

/**
 * bitcoind's getchaintips: every block without children, plus the active tip, with its branch
 * length from the active chain and Core's status words, most recent first by height.
 */
export function chainTips(index: BlockIndex): ChainTip[] {
  const active = index.tip;
  const tips: ChainEntry[] = [];
  for (const e of index.entries()) {
    if ((e.children === undefined || e.children.length === 0) && e !== active) tips.push(e);
  }
  tips.push(active);
  tips.sort((a, b) => b.height - a.height);
  return tips.map((tip) => {
    const fork = index.findFork(tip, active);
    return {
      height: tip.height,
      hash: tip.hash,
      branchlen: tip.height - fork.height,
      status: tipStatus(index, tip),
    };
  });
}

function tipStatus(index: BlockIndex, tip: ChainEntry): ChainTip['status'] {
  if (index.contains(tip)) return 'active';
  if (tip.isFailed()) return 'invalid';
  if (!tip.dataChain) return 'headers-only';
  if (tip.status & BlockStatus.VALID_SCRIPTS) return 'valid-fork';
  return 'valid-headers';
}
