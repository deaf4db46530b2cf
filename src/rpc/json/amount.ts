/** Satoshis to BTC as bitcoind's JSON shows them (a number with at most 8 decimals). */
export function satsToBtc(sats: number): number {
  return Number((sats / 1e8).toFixed(8));
}
