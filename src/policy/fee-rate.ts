/**
 * Fee rates in satoshis per 1,000 virtual bytes (sat/kvB), with Core's CFeeRate arithmetic: policy
 * thresholds must round exactly as Core's do, or a transaction one satoshi short of a limit would be
 * relayed by one node and refused by the next.
 */

/**
 * Core's CFeeRate::GetFee: the fee for `vsize` vbytes at `rate` sat/kvB, rounded up; a positive rate
 * never gives 0 for a non-empty size (so a rate of 1 sat/kvB still asks 1 sat of a 1-byte tx).
 */
export function feeForSize(rate: number, vsize: number): number {
  // Core computes this in doubles too. rate * vsize is exact below 2^53 (e.g. 1 BTC/kvB over a
  // 4 MvB block is 4e14), and the quotient is correctly rounded, so the ceiling is Core's.
  let fee = Math.ceil((rate * vsize) / 1000);
  if (fee === 0 && vsize !== 0) {
    if (rate > 0) fee = 1;
    else if (rate < 0) fee = -1;
  }
  return fee;
}

/** Core's CFeeRate(fee, size) constructor: sat/kvB truncated toward zero; 0 for an empty size. */
export function feeRateOf(fee: number, vsize: number): number {
  return vsize > 0 ? Math.trunc((fee * 1000) / vsize) : 0;
}

/** Core's CFeeRate::ToString(): "0.00001000 BTC/kvB". */
export function formatFeeRate(rate: number): string {
  const sign = rate < 0 ? '-' : '';
  const abs = Math.abs(rate);
  return `${sign}${Math.floor(abs / 1e8)}.${String(abs % 1e8).padStart(8, '0')} BTC/kvB`;
}

/** Core's FormatMoney: BTC with at least 2 decimals, trailing zeros beyond those trimmed. */
export function formatMoney(sats: number): string {
  const sign = sats < 0 ? '-' : '';
  const abs = Math.abs(sats);
  const frac = String(abs % 1e8)
    .padStart(8, '0')
    .replace(/0{1,6}$/, '');
  return `${sign}${Math.floor(abs / 1e8)}.${frac}`;
}

/**
 * Compares the fee rates fee1/size1 and fee2/size2 without dividing (Core cross-multiplies too):
 * negative if the first is lower, 0 if equal, positive if higher. Exact while fee * size < 2^53,
 * i.e. for packages of ≤ 101 kvB (the ancestor/descendant limits) paying under ~0.9 BTC; beyond
 * that the order is still right to within one part in 2^53.
 */
export function compareFeeRates(fee1: number, size1: number, fee2: number, size2: number): number {
  return fee1 * size2 - fee2 * size1;
}
