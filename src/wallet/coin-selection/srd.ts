import { randomRange, type RandomSource } from './random.js';
import type { AlgorithmOutcome, PricedCoin, SortedPool } from './types.js';

/** Core's CHANGE_LOWER: the smallest change SRD aims for, and the floor of the random change target. */
export const CHANGE_LOWER = 50_000;
/** Core's CHANGE_UPPER: the ceiling of the random change target. */
export const CHANGE_UPPER = 1_000_000;

/**
 * Single Random Draw (Core's SelectCoinsSRD): draw coins in random order until they cover the target
 * plus a change output and CHANGE_LOWER of change, so the change is never tiny. If the draw grows too
 * heavy, the smallest coins drawn are put back until it fits.
 *
 * The random order is drawn lazily (a Fisher–Yates step per coin taken), which picks the same
 * distribution as shuffling the whole pool first but costs only as many steps as coins drawn.
 * `pool` must hold positive amounts only.
 */
export function selectSrd(
  pool: SortedPool,
  target: number,
  changeFee: number,
  maxWeight: number,
  rng: RandomSource,
): AlgorithmOutcome {
  const goal = target + CHANGE_LOWER + changeFee;
  const order = new Int32Array(pool.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // A min-heap by amount of the coins held, so the least valuable goes back first.
  const heap: PricedCoin[] = [];
  let amount = 0;
  let weight = 0;
  let weightExceeded = false;
  for (let k = 0; k < order.length; k++) {
    const j = k + randomRange(rng, order.length - k);
    const pick = order[j]!;
    order[j] = order[k]!;
    order[k] = pick;
    const coin = pool[pick]!;
    heapPush(heap, coin);
    amount += coin.amount;
    weight += coin.weight;
    if (weight > maxWeight) {
      weightExceeded = true;
      while (heap.length > 0 && weight > maxWeight) {
        const dropped = heapPop(heap);
        amount -= dropped.amount;
        weight -= dropped.weight;
      }
    }
    if (amount >= goal) return { ok: true, algorithm: 'srd', inputs: heap };
  }
  return { ok: false, algorithm: 'srd', maxWeightExceeded: weightExceeded };
}

function heapPush(heap: PricedCoin[], coin: PricedCoin): void {
  let i = heap.push(coin) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]!.amount <= coin.amount) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = coin;
}

function heapPop(heap: PricedCoin[]): PricedCoin {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const child = r < heap.length && heap[r]!.amount < heap[l]!.amount ? r : l;
      if (heap[child]!.amount >= last.amount) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
  return top;
}
