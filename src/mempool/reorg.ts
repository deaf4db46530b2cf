import { COINBASE_MATURITY } from '../consensus/constants.js';
import type { Block } from '../primitives/block.js';
import { OutPoint } from '../primitives/outpoint.js';
import type { Transaction } from '../primitives/transaction.js';
import { isFinalAtTip, type MempoolChain, sequenceLocksMetAtTip, type TipContext } from './chain-view.js';
import { hashKey, type MempoolEntry, txKeyOf } from './entry.js';
import type { PoolIndex } from './pool-index.js';

/**
 * Transactions of blocks disconnected during a reorganization, waiting to return to the pool (Core's
 * DisconnectedBlockTransactions). They are re-added only when the reorganization is over (the chain's
 * `tip` event): judged against an intermediate, lower tip, a time- or height-locked transaction could
 * be dropped although the new chain makes it final.
 */
export class DisconnectedTransactions {
  /** Blocks in disconnection order: the old tip first. */
  private readonly blocks: Transaction[][] = [];
  private readonly confirmed = new Set<string>();

  get isEmpty(): boolean {
    return this.blocks.length === 0;
  }

  add(block: Block): void {
    this.blocks.push(block.txs);
  }

  /** Transactions the new chain confirms do not come back (Core's removeForBlock on the buffer). */
  removeForBlock(block: Block): void {
    if (this.blocks.length === 0) return;
    for (const tx of block.txs) this.confirmed.add(hashKey(tx.txid()));
  }

  /**
   * Empties the buffer: the transactions in the order they were first confirmed (the oldest block
   * first, block order within it), so parents come before children.
   */
  take(): Transaction[] {
    const out: Transaction[] = [];
    for (let b = this.blocks.length - 1; b >= 0; b--) {
      for (const tx of this.blocks[b]!) if (!this.confirmed.has(hashKey(tx.txid()))) out.push(tx);
    }
    this.blocks.length = 0;
    this.confirmed.clear();
    return out;
  }
}

/**
 * Core's filter_final_and_mature (MaybeUpdateMempoolForReorg): whether a pool transaction can no
 * longer be in the next block on the new chain: not final, BIP68 locks unmet, a coin gone, or a
 * coinbase coin immature again.
 */
export function invalidAfterReorg(
  entry: MempoolEntry,
  chain: MempoolChain,
  tip: TipContext,
  pool: PoolIndex,
): boolean {
  const tx = entry.tx;
  if (!isFinalAtTip(tip, tx)) return true;
  const nextHeight = tip.height + 1;
  const heights: number[] = [];
  for (const input of tx.inputs) {
    if (pool.getByKey(txKeyOf(input.prevout)) !== undefined) {
      heights.push(nextHeight);
      continue;
    }
    const coin = chain.getCoin(input.prevout);
    if (coin === undefined) return true;
    if (coin.coinbase && nextHeight - coin.height < COINBASE_MATURITY) return true;
    heights.push(coin.height);
  }
  return !sequenceLocksMetAtTip(chain, tip, tx, heights);
}

/** Pool entries invalid on the new chain, with their descendants (Core's removeForReorg set). */
export function staleAfterReorg(pool: PoolIndex, chain: MempoolChain, tip: TipContext): Set<MempoolEntry> {
  const stale = new Set<MempoolEntry>();
  for (const entry of pool.entries()) {
    if (stale.has(entry) || !invalidAfterReorg(entry, chain, tip, pool)) continue;
    stale.add(entry);
    for (const d of entry.descendants()) stale.add(d);
  }
  return stale;
}

/**
 * Pool entries spending outputs of `tx`, or `tx`'s own entry if it is in the pool: what must go
 * (with descendants) when a disconnected transaction cannot return (Core's removeRecursive).
 */
export function spendersOf(pool: PoolIndex, tx: Transaction): MempoolEntry[] {
  const txid = tx.txid();
  const own = pool.get(txid);
  if (own !== undefined) return [own];
  const spenders: MempoolEntry[] = [];
  for (let i = 0; i < tx.outputs.length; i++) {
    const spender = pool.spender(new OutPoint(txid, i));
    if (spender !== undefined) spenders.push(spender);
  }
  return spenders;
}
