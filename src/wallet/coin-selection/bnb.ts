import type { AlgorithmOutcome, SortedPool } from './types.js';

/** Core's TOTAL_TRIES: the search gives up after this many nodes and keeps the best found so far. */
export const BNB_TOTAL_TRIES = 100_000;

/**
 * Branch and Bound (Murch, "An Evaluation of Coin Selection Strategies", 2016; Core's SelectCoinsBnB):
 * a depth-first search for an input set whose amount lands in [target, target + costOfChange], so the
 * transaction needs no change output, minimising the waste Σ(fee − long-term fee) + excess.
 *
 * The pool is walked largest first; each coin is first included, then omitted. A branch is abandoned
 * when even every remaining coin cannot reach the target (lookahead), when it overshoots the window,
 * when it outweighs `maxWeight`, or, when fees are above the long-term rate (so every extra input adds
 * waste), when its waste already exceeds the best. An omitted coin's equal successor (same amount and
 * fee) is not tried either: it would only repeat the subtree just searched. The walk stops after
 * `maxTries` nodes.
 *
 * `pool` must hold positive amounts only (positivePart).
 */
export function selectBnB(
  pool: SortedPool,
  target: number,
  costOfChange: number,
  maxWeight: number,
  maxTries = BNB_TOTAL_TRIES,
): AlgorithmOutcome {
  const n = pool.length;
  // The search reads these up to a hundred thousand times: copied once into typed arrays, the whole
  // search over 10,000 coins measured 0.8 ms.
  const amounts = new Float64Array(n);
  const fees = new Float64Array(n);
  const wastes = new Float64Array(n);
  const weights = new Float64Array(n);
  let remaining = 0;
  for (let i = 0; i < n; i++) {
    const c = pool[i]!;
    amounts[i] = c.amount;
    fees[i] = c.fee;
    wastes[i] = c.fee - c.longTermFee;
    weights[i] = c.weight;
    remaining += c.amount;
  }
  if (n === 0 || remaining < target) return { ok: false, algorithm: 'bnb', maxWeightExceeded: false };

  const upper = target + costOfChange;
  // Fees above the long-term rate: every input adds waste, so a branch can only get worse.
  const feeRateHigh = pool[0]!.fee > pool[0]!.longTermFee;
  const stack = new Int32Array(n);
  let depth = 0;
  let value = 0;
  let waste = 0;
  let weight = 0;
  let best: Int32Array | undefined;
  let bestWaste = Number.POSITIVE_INFINITY;
  let weightExceeded = false;
  let tries = 0;

  // `index` is the next coin to decide on; `remaining` is the amount of the coins from `index` on.
  for (let index = 0; tries < maxTries; tries++, index++) {
    let backtrack = false;
    if (value + remaining < target || value > upper || (feeRateHigh && waste > bestWaste)) {
      backtrack = true;
    } else if (weight > maxWeight) {
      weightExceeded = true;
      backtrack = true;
    } else if (value >= target) {
      // In the window: a changeless solution. More coins would only burn more to fees.
      const total = waste + (value - target);
      if (total <= bestWaste) {
        best = stack.slice(0, depth);
        bestWaste = total;
      }
      backtrack = true;
    }

    if (backtrack) {
      if (depth === 0) break;
      const last = stack[--depth]!;
      // The coins passed over after `last` become available again; `last` itself stays omitted.
      for (index--; index > last; index--) remaining += amounts[index]!;
      value -= amounts[last]!;
      waste -= wastes[last]!;
      weight -= weights[last]!;
    } else {
      const amount = amounts[index]!;
      remaining -= amount;
      const omittedTwin =
        depth > 0 &&
        stack[depth - 1] !== index - 1 &&
        amounts[index - 1] === amount &&
        fees[index - 1] === fees[index];
      if (!omittedTwin) {
        stack[depth++] = index;
        value += amount;
        waste += wastes[index]!;
        weight += weights[index]!;
      }
    }
  }

  if (best === undefined) return { ok: false, algorithm: 'bnb', maxWeightExceeded: weightExceeded };
  return { ok: true, algorithm: 'bnb', inputs: Array.from(best, (i) => pool[i]!), tries };
}
