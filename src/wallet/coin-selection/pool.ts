import { feeForSize } from '../../policy/fee-rate.js';
import { WITNESS_SCALE_FACTOR } from '../../primitives/transaction.js';
import type { CoinCandidate, PricedCoin, SortedPool } from './types.js';

/**
 * Prices a candidate as Core's COutput and OutputGroup::Insert do: the input is rounded up to whole
 * vbytes (Core's input_bytes) and priced with CFeeRate::GetFee at the effective and the long-term rate.
 */
export function priceCoin(
  coin: CoinCandidate,
  effectiveFeeRate: number,
  longTermFeeRate: number,
  subtractFeeOutputs: boolean,
): PricedCoin {
  const vsize = Math.ceil(coin.inputWeight / WITNESS_SCALE_FACTOR);
  const fee = feeForSize(effectiveFeeRate, vsize) + (coin.ancestorBumpFee ?? 0);
  const effectiveValue = coin.value - fee;
  return {
    coin,
    fee,
    longTermFee: feeForSize(longTermFeeRate, vsize),
    effectiveValue,
    amount: subtractFeeOutputs ? coin.value : effectiveValue,
    weight: vsize * WITNESS_SCALE_FACTOR,
  };
}

function byAmountThenWeight(a: PricedCoin, b: PricedCoin): number {
  return b.amount - a.amount || a.weight - b.weight;
}

const RADIX_BITS = 13;
const RADIX = 1 << RADIX_BITS;
const DIGIT_MASK = RADIX - 1;
const TWO_26 = 2 ** 26;

/** One stable counting pass of an LSD radix sort: `order` by digit `shift` of `digits`, into `out`. */
function radixPass(
  digits: Uint32Array,
  shift: number,
  order: Uint32Array,
  out: Uint32Array,
  count: Uint32Array,
): void {
  const n = order.length;
  count.fill(0);
  for (let j = 0; j < n; j++) count[(digits[order[j]!]! >>> shift) & DIGIT_MASK]!++;
  let sum = 0;
  for (let d = 0; d < RADIX; d++) {
    const c = count[d]!;
    count[d] = sum;
    sum += c;
  }
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    out[count[(digits[i]! >>> shift) & DIGIT_MASK]!++] = i;
  }
}

/**
 * Sorts once; every later pool is a filtered view that keeps the order (no re-sorting per pass).
 *
 * Measured on 10,000 coins: a comparator sort 1.9 ms, a native Float64Array sort 0.7 ms, this LSD
 * radix sort 0.6 ms, of a 5 ms budget for all of sendtoaddress. Each coin's key is
 * (largest amount − amount) × (distinct weights) + its weight's rank, an integer whose order is the
 * wanted one; it is split into two 26-bit halves and sorted 13 bits a pass, skipping the passes above the
 * largest key (two or three for typical wallets). Keys beyond 2^53 fall back to a comparator sort.
 */
export function sortPool(coins: readonly PricedCoin[]): SortedPool {
  const n = coins.length;
  const weights: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const c = coins[i]!;
    if (c.amount > max) max = c.amount;
    if (c.amount < min) min = c.amount;
    if (weights.length <= 64 && !weights.includes(c.weight)) weights.push(c.weight);
  }
  const r = weights.length;
  if (n < 256 || r > 64 || (max - min + 1) * r >= Number.MAX_SAFE_INTEGER) {
    return [...coins].sort(byAmountThenWeight) as unknown as SortedPool;
  }
  weights.sort((a, b) => a - b);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  let keyMax = 0;
  for (let i = 0; i < n; i++) {
    const c = coins[i]!;
    const key = (max - c.amount) * r + (r === 1 ? 0 : weights.indexOf(c.weight));
    if (key > keyMax) keyMax = key;
    const h = Math.floor(key / TWO_26);
    hi[i] = h;
    lo[i] = key - h * TWO_26;
  }
  let order = new Uint32Array(n);
  let out = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const count = new Uint32Array(RADIX);
  const passes: [Uint32Array, number, number][] = [
    [lo, 0, 0],
    [lo, RADIX_BITS, RADIX],
    [hi, 0, TWO_26],
    [hi, RADIX_BITS, TWO_26 * RADIX],
    [hi, 2 * RADIX_BITS, TWO_26 * RADIX * RADIX],
  ];
  for (const [digits, shift, needed] of passes) {
    if (keyMax < needed) break;
    radixPass(digits, shift, order, out, count);
    const t = order;
    order = out;
    out = t;
  }
  const sorted = new Array<PricedCoin>(n);
  for (let j = 0; j < n; j++) sorted[j] = coins[order[j]!]!;
  return sorted as unknown as SortedPool;
}

/** The coins of `pool` that pass `keep`, still sorted. */
export function filterPool(pool: SortedPool, keep: (coin: PricedCoin, index: number) => boolean): SortedPool {
  return pool.filter(keep) as unknown as SortedPool;
}

/**
 * Coins with a positive amount: a prefix, since the pool is sorted largest first. BnB, CoinGrinder
 * and SRD use only these (Core's positive_group); Knapsack takes them all (mixed_group).
 */
export function positivePart(pool: SortedPool): SortedPool {
  let end = pool.length;
  while (end > 0 && pool[end - 1]!.amount <= 0) end--;
  return (end === pool.length ? pool : pool.slice(0, end)) as SortedPool;
}

export function totalAmount(coins: readonly PricedCoin[]): number {
  let sum = 0;
  for (const c of coins) sum += c.amount;
  return sum;
}
