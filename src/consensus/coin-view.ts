import type { Coin } from '../primitives/coin.js';
import type { OutPoint } from '../primitives/outpoint.js';

/**
 * Read access to unspent coins: all consensus needs of the UTXO set. The chain layer implements it
 * over its cache; tests use MapCoinView. `undefined` means missing or already spent.
 */
export interface CoinView {
  getCoin(outpoint: OutPoint): Coin | undefined;
}

/** A CoinView over a Map keyed by OutPoint.key(), for tests and for overlays within a block. */
export class MapCoinView implements CoinView {
  private readonly coins = new Map<string, Coin>();

  constructor(entries: Iterable<readonly [OutPoint, Coin]> = []) {
    for (const [outpoint, coin] of entries) this.add(outpoint, coin);
  }

  getCoin(outpoint: OutPoint): Coin | undefined {
    return this.coins.get(outpoint.key());
  }

  add(outpoint: OutPoint, coin: Coin): void {
    this.coins.set(outpoint.key(), coin);
  }

  /** Removes the coin; returns whether it was there. */
  spend(outpoint: OutPoint): boolean {
    return this.coins.delete(outpoint.key());
  }

  get size(): number {
    return this.coins.size;
  }
}
