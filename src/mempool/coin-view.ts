import type { CoinView } from '../consensus/coin-view.js';
import { Coin } from '../primitives/coin.js';
import type { OutPoint } from '../primitives/outpoint.js';
import { txKeyOf } from './entry.js';
import type { PoolIndex } from './pool-index.js';

/**
 * Core's MEMPOOL_HEIGHT: the height reported for outputs of unconfirmed transactions by getCoin.
 * Validation uses the next block's height instead (see PoolCoinView).
 */
export const MEMPOOL_HEIGHT = 0x7fffffff;

/** The chain's UTXO set, as the mempool reads it. */
export interface UtxoSource {
  getCoin(outpoint: OutPoint): Coin | undefined;
}

/** An unconfirmed output as a Coin at `height`. */
export function mempoolCoin(pool: PoolIndex, outpoint: OutPoint, height: number): Coin | undefined {
  const parent = pool.getByKey(txKeyOf(outpoint));
  if (parent === undefined) return undefined;
  const output = parent.tx.outputs[outpoint.index];
  return output === undefined ? undefined : new Coin(output.value, output.scriptPubKey, height, false);
}

/**
 * The coins one validation sees (Core's CCoinsViewMemPool over the tip's cache): outputs of pool
 * transactions first (they can never conflict with the UTXO set), then the chain's UTXO set. Coins
 * are memoised for the life of the view, because one acceptance reads each input's coin in several
 * steps (inputs, sigops, standardness, scripts). Unconfirmed outputs get height `nextHeight`, the
 * block they could at the earliest be mined in, which is what BIP68 and CheckTxInputs need.
 *
 * Whether an output is already spent by another pool transaction is not this view's concern: the
 * conflict check handles it, as in Core.
 */
export class PoolCoinView implements CoinView {
  private readonly memo = new Map<string, Coin | undefined>();

  constructor(
    private readonly chain: UtxoSource,
    private readonly pool: PoolIndex,
    private readonly nextHeight: number,
  ) {}

  getCoin(outpoint: OutPoint): Coin | undefined {
    const key = outpoint.key();
    if (this.memo.has(key)) return this.memo.get(key);
    const coin = mempoolCoin(this.pool, outpoint, this.nextHeight) ?? this.chain.getCoin(outpoint);
    this.memo.set(key, coin);
    return coin;
  }

  /** Whether the coin comes from a pool transaction (not the UTXO set). */
  isUnconfirmed(outpoint: OutPoint): boolean {
    return this.pool.getByKey(txKeyOf(outpoint)) !== undefined;
  }
}
