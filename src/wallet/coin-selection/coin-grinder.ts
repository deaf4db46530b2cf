import { BNB_TOTAL_TRIES } from './bnb.js';
import type { AlgorithmOutcome, SortedPool } from './types.js';

/**
 * CoinGrinder (Core 27, coinselection.cpp): the lightest input set that funds the target plus a
 * change budget. Core runs it only at fee rates above 3× the long-term rate, where every weight unit
 * saved now is worth more than it will cost to spend later.
 *
 * A depth-first walk of the include/omit tree over the pool (largest amount first, lighter first on
 * ties). Each step adds the next coin and judges the set:
 * - EXPLORE: not enough yet, and a lighter solution than the best is still possible: add the next coin;
 * - SHIFT: adding more cannot help (the set is funded, or already as heavy as the best): replace the
 *   last coin with its successor;
 * - CUT: neither adding nor shifting can help (even all the rest would not fund it, or the last coin
 *   was already the lightest left): drop the last two decisions and shift the one before.
 * After a shift, coins equal in amount to the one just omitted are skipped: being sorted lighter
 * first, they could only produce the same set or a heavier one.
 *
 * `pool` must hold positive amounts only. Returns the lightest set found (fewest funds tied up on a
 * tie) when the tree is exhausted or after `maxTries` nodes.
 */
export function selectCoinGrinder(
  pool: SortedPool,
  target: number,
  changeTarget: number,
  maxWeight: number,
  maxTries = BNB_TOTAL_TRIES,
): AlgorithmOutcome {
  const n = pool.length;
  const fail = (maxWeightExceeded: boolean): AlgorithmOutcome => ({
    ok: false,
    algorithm: 'coingrinder',
    maxWeightExceeded,
  });
  // after[i]: amount of the coins after i; lightestAfter[i]: the smallest weight among them.
  const amounts = new Float64Array(n);
  const weights = new Float64Array(n);
  const after = new Float64Array(n);
  const lightestAfter = new Float64Array(n);
  let available = 0;
  let lightest = Number.POSITIVE_INFINITY;
  for (let i = n - 1; i >= 0; i--) {
    amounts[i] = pool[i]!.amount;
    weights[i] = pool[i]!.weight;
    after[i] = available;
    lightestAfter[i] = lightest;
    available += amounts[i]!;
    lightest = Math.min(lightest, weights[i]!);
  }
  const goal = target + changeTarget;
  if (n === 0 || available < goal) return fail(false);

  const stack = new Int32Array(n);
  let depth = 0;
  let amount = 0;
  let weight = 0;
  let best: Int32Array | undefined;
  // Ties with maxWeight are allowed: a solution exactly at the limit is valid.
  let bestWeight = maxWeight;
  let bestAmount = Number.POSITIVE_INFINITY;
  let weightExceeded = false;
  let next = 0;
  let tries = 0;

  const dropLast = (): void => {
    const i = stack[--depth]!;
    amount -= amounts[i]!;
    weight -= weights[i]!;
  };

  for (;;) {
    const tail = next;
    amount += amounts[tail]!;
    weight += weights[tail]!;
    stack[depth++] = next++;
    tries++;

    let shift = false;
    let cut = false;
    const tailIsLightest = weights[tail]! <= lightestAfter[tail]!;
    if (amount + after[tail]! < goal) {
      cut = true;
    } else if (weight > bestWeight) {
      if (weight > maxWeight) weightExceeded = true;
      // More coins only add weight. If nothing lighter follows, shifting cannot help either.
      if (tailIsLightest) cut = true;
      else shift = true;
    } else if (amount >= goal) {
      shift = true;
      if (weight < bestWeight || (weight === bestWeight && amount < bestAmount)) {
        best = stack.slice(0, depth);
        bestWeight = weight;
        bestAmount = amount;
      }
    } else if (best !== undefined) {
      // Lower bound on what funding the rest costs: at least ⌈missing / this coin's amount⌉ more
      // coins (none later is larger), each at least as heavy as the lightest left.
      const missing = goal - amount;
      const coinsNeeded = Math.ceil(missing / amounts[tail]!);
      if (weight + lightestAfter[tail]! * coinsNeeded > bestWeight) {
        if (tailIsLightest) cut = true;
        else shift = true;
      }
    }

    if (tries >= maxTries) break;
    // The last coin of the pool: nothing left to add or shift to.
    if (next === n) cut = true;
    if (cut) {
      dropLast();
      shift = true;
    }
    while (shift) {
      if (depth === 0) {
        return best === undefined
          ? fail(weightExceeded)
          : { ok: true, algorithm: 'coingrinder', inputs: Array.from(best, (i) => pool[i]!), tries };
      }
      next = stack[depth - 1]! + 1;
      dropLast();
      shift = false;
      // Skip clones of the coin just omitted; at the end of the pool, shift once more instead.
      while (next < n && amounts[next - 1] === amounts[next]) {
        if (next >= n - 1) {
          shift = true;
          break;
        }
        next++;
      }
    }
  }
  if (best === undefined) return fail(weightExceeded);
  return { ok: true, algorithm: 'coingrinder', inputs: Array.from(best, (i) => pool[i]!), tries };
}
