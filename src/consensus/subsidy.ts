import type { ConsensusParams } from './params.js';

/** Satoshis per bitcoin. */
export const COIN = 100_000_000;

/**
 * No amount larger than this (in satoshis) is valid (Core's MAX_MONEY). It is a sanity bound, not the
 * supply: the real supply is slightly below 21 million because subsidies are rounded down. As a JS
 * number it is exact (2.1e15 < 2^53), so amount arithmetic stays exact.
 */
export const MAX_MONEY = 21_000_000 * COIN;

/** Core's MoneyRange: 0 <= value <= MAX_MONEY. Also false for non-integers and NaN. */
export function moneyRange(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_MONEY;
}

/**
 * The new coins a block at `height` may create (Core's GetBlockSubsidy): 50 BTC halved every
 * `subsidyHalvingInterval` blocks. C++ leaves a shift by >= 64 undefined, so Core forces 0 there; the
 * division below is exact for every smaller shift (a power-of-two divisor of an integer < 2^53).
 */
export function blockSubsidy(
  height: number,
  params: Pick<ConsensusParams, 'subsidyHalvingInterval'>,
): number {
  const halvings = Math.floor(height / params.subsidyHalvingInterval);
  if (halvings >= 64) return 0;
  return Math.floor((50 * COIN) / 2 ** halvings);
}
