import type { MempoolEntry } from '../../mempool/entry.js';
import type { ExplorerMempool } from './deps.js';
import { feeRate } from './tx-json.js';

export interface FeeRates {
  min: number;
  p10: number;
  p50: number;
  p90: number;
  max: number;
}

export interface MempoolStats {
  count: number;
  vsize: number;
  bytes: number;
  totalFee: number;
  feeRates: FeeRates;
}

/**
 * Fee-rate bucket floors (sat/vB) of the histogram, as Electrum's mempool.get_fee_histogram and
 * mempool.space group them: fine steps where fees usually sit, coarse ones above.
 */
const BUCKETS = [
  1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 125, 150, 200, 300, 500, 1000, 2000,
];

function rateOf(entry: MempoolEntry): number {
  return entry.fee / entry.vsize;
}

/** Quantiles are weighted by transaction (the fee a typical tx paid), not by vsize. */
function quantiles(rates: number[]): FeeRates {
  if (rates.length === 0) return { min: 0, p10: 0, p50: 0, p90: 0, max: 0 };
  rates.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(rates[Math.min(rates.length - 1, Math.floor(q * rates.length))]! * 1000) / 1000;
  return { min: at(0), p10: at(0.1), p50: at(0.5), p90: at(0.9), max: at(1) };
}

export function mempoolStats(mempool: ExplorerMempool | undefined): MempoolStats {
  if (mempool === undefined) return { count: 0, vsize: 0, bytes: 0, totalFee: 0, feeRates: quantiles([]) };
  let vsize = 0;
  let bytes = 0;
  let totalFee = 0;
  const rates: number[] = [];
  for (const entry of mempool.entries()) {
    vsize += entry.vsize;
    bytes += entry.tx.totalSize();
    totalFee += entry.fee;
    rates.push(rateOf(entry));
  }
  return { count: rates.length, vsize, bytes, totalFee, feeRates: quantiles(rates) };
}

/** `[[feeRate floor, total vsize], ...]`, highest fee rate first, empty buckets left out. */
export function feeHistogram(mempool: ExplorerMempool | undefined): [number, number][] {
  if (mempool === undefined) return [];
  const sizes = new Map<number, number>();
  for (const entry of mempool.entries()) {
    const rate = rateOf(entry);
    let floor = 0;
    for (const b of BUCKETS) if (rate >= b) floor = b;
    sizes.set(floor, (sizes.get(floor) ?? 0) + entry.vsize);
  }
  return [...sizes.entries()].sort((a, b) => b[0] - a[0]);
}

/** Mempool transactions, highest fee rate first (ties: earliest first). */
export function mempoolByFeeRate(mempool: ExplorerMempool | undefined): MempoolEntry[] {
  if (mempool === undefined) return [];
  return [...mempool.entries()].sort((a, b) => rateOf(b) - rateOf(a) || a.sequence - b.sequence);
}

export function mempoolTxItem(entry: MempoolEntry): Record<string, unknown> {
  return {
    txid: entry.tx.txidHex(),
    fee: entry.fee,
    vsize: entry.vsize,
    feeRate: feeRate(entry.fee, entry.vsize),
    time: entry.time,
  };
}
