/** Satoshis to BTC as bitcoind's JSON shows them (a number with at most 8 decimals). */
export function satsToBtc(sats: number): number {
  return Number((sats / 1e8).toFixed(8));
}

/** Core's ValueFromAmount text: always 8 decimals ("50.00000000", "-0.00000001"). */
export function formatBtc(sats: number): string {
  const sign = sats < 0 ? '-' : '';
  const abs = Math.abs(sats);
  return `${sign}${Math.floor(abs / 1e8)}.${String(abs % 1e8).padStart(8, '0')}`;
}

/**
 * A BTC amount in a JSON result. bitcoind writes amounts with exactly 8 decimals (50.00000000, not 50),
 * and scripts that compare bitcoin-cli output byte for byte notice; writeJson prints this class that
 * way, while JSON.stringify (the CLI's `tx decode`) still sees a plain number through toJSON.
 */
export class Amount {
  constructor(readonly sats: number) {}

  toJSON(): number {
    return satsToBtc(this.sats);
  }

  toString(): string {
    return formatBtc(this.sats);
  }
}
