/** How the explorer writes numbers: exact BTC from satoshis, SI hash rates, sizes, times. */

const SATS_PER_BTC = 100_000_000;

/** Satoshis as BTC with all eight decimals, exact (integer arithmetic, no float rounding). */
export function btc(sats: number): string {
  const sign = sats < 0 ? '-' : '';
  const abs = Math.abs(sats);
  const whole = Math.floor(abs / SATS_PER_BTC);
  const frac = String(abs % SATS_PER_BTC).padStart(8, '0');
  return `${sign}${whole.toLocaleString('en-US')}.${frac} BTC`;
}

export function signedBtc(sats: number): string {
  return sats > 0 ? `+${btc(sats)}` : btc(sats);
}

export function int(n: number): string {
  return n.toLocaleString('en-US');
}

const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z'];

export function hashRate(hs: number): string {
  let v = hs;
  let i = 0;
  while (v >= 1000 && i < SI.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${SI[i]}H/s`;
}

export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(2)} MB`;
}

export function vbytes(n: number): string {
  return `${int(n)} vB`;
}

export function feeRate(satPerVb: number | null): string {
  return satPerVb === null ? '—' : `${satPerVb.toFixed(satPerVb < 10 ? 2 : 1)} sat/vB`;
}

export function difficulty(d: number): string {
  // Regtest's minimum difficulty is 4.66e-10: show small values in exponent form.
  if (d < 0.001) return d.toExponential(3);
  if (d < 1000) return String(Number(d.toPrecision(6)));
  return d.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

export function utcTime(unix: number): string {
  return `${new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** "3 min ago" for a unix time, against `now` (ms). */
export function ago(unix: number, now = Date.now()): string {
  const s = Math.round(now / 1000 - unix);
  // Block times may run up to two hours ahead of the clock (Core's MAX_FUTURE_BLOCK_TIME): a
  // regtest miner making blocks faster than one a second is always a little ahead.
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A long hash shortened for narrow places: the start and the end. */
export function short(hash: string, keep = 8): string {
  return hash.length <= keep * 2 + 1 ? hash : `${hash.slice(0, keep)}…${hash.slice(-keep)}`;
}
