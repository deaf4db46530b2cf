import { EventEmitter } from 'node:events';
import type { Block } from '../primitives/block.js';
import type { Coin } from '../primitives/coin.js';
import type { ChainEntry } from './chain-entry.js';

export interface ReorgInfo {
  readonly oldTip: ChainEntry;
  readonly newTip: ChainEntry;
  /** The last block both chains share. */
  readonly fork: ChainEntry;
}

/**
 * What the chain announces, in this order for a reorganization: `block-disconnected` for each
 * block from the old tip down to the fork, `block-connected` for each new block upwards, then
 * `reorg`, then `tip`. Each fires after the block's changes are applied to the chain state (so
 * getCoin and tip already reflect it) and after any flush that block triggered. Listeners run
 * synchronously; one that throws is logged and skipped (the chain has already moved).
 */
export interface ChainEvents {
  /** spentCoins: for each non-coinbase transaction, the coins its inputs spent (undo data). */
  'block-connected': [block: Block, entry: ChainEntry, spentCoins: readonly (readonly Coin[])[]];
  'block-disconnected': [block: Block, entry: ChainEntry];
  tip: [entry: ChainEntry];
  reorg: [info: ReorgInfo];
}

export class ChainEmitter extends EventEmitter<ChainEvents> {}
