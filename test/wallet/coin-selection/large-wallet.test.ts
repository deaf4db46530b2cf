import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { p2wpkh } from '../../../src/script/templates.js';
import { fundTransaction } from '../../../src/wallet/coin-selection/fund.js';
import { seededRandom } from '../../../src/wallet/coin-selection/random.js';
import type { CoinCandidate } from '../../../src/wallet/coin-selection/types.js';
import { type SpendType, spendWeight } from '../../../src/wallet/fees/tx-size.js';
import { candidate } from './support.js';

/**
 * Funding from large wallets (1,000 and 10,000 UTXOs of four spend types): every payment is funded
 * with distinct coins of the wallet, pays its recipient, and settles a fee that meets the rate for the
 * estimated size. Selection speed is measured by `npm run bench` (bench/wallet.ts), not here.
 */

const SPENDS: SpendType[] = [
  { kind: 'p2wpkh' },
  { kind: 'p2wpkh' },
  { kind: 'p2tr-keypath' },
  { kind: 'p2pkh' },
];
/** Core's OutputType of each: the first eligibility pass tries each type on its own. */
const OUTPUT_TYPES = ['bech32', 'bech32', 'bech32m', 'legacy'];

function wallet(size: number, seed: number): CoinCandidate[] {
  const rng = seededRandom(seed);
  return Array.from({ length: size }, (_, i) =>
    candidate(
      // Log-uniform between 1,000 sat and 0.1 BTC: many small coins, a few large ones.
      Math.round(10 ** (3 + 4 * (rng.nextUint32() / 2 ** 32))),
      {
        ...spendWeight(SPENDS[i % SPENDS.length]!),
        outputType: OUTPUT_TYPES[i % SPENDS.length],
        confirmations: 1 + (i % 200),
        fromMe: i % 4 === 0,
      },
    ),
  );
}

/** Payments from small to large, at fee rates from 1 to 60 sat/vB (CoinGrinder joins above 30). */
const CASES: [feeRate: number, amount: number][] = [
  [1000, 50_000],
  [2000, 1_000_000],
  [5000, 3_000_000],
  [12_000, 250_000],
  [35_000, 5_000_000],
  [60_000, 800_000],
];

function fundAll(size: number): void {
  const coins = wallet(size, size);
  const known = new Set(coins.map((c) => c.outpoint.key()));
  const changeScript = p2wpkh(new Uint8Array(20).fill(9));
  CASES.forEach(([feeRate, amount], k) => {
    const recipient = p2wpkh(new Uint8Array(20).fill(k));
    const f = fundTransaction(
      [{ scriptPubKey: recipient, value: amount }],
      coins,
      { feeRate, changeScript },
      seededRandom(size * 100 + k),
    );
    const keys = f.inputs.map((c) => c.outpoint.key());
    assert.equal(new Set(keys).size, keys.length, 'inputs are distinct');
    assert.ok(
      keys.every((key) => known.has(key)),
      'inputs are coins of the wallet',
    );
    const paid = f.outputs.find((o) => Buffer.from(o.scriptPubKey).equals(recipient));
    assert.equal(paid?.value, amount);
    const inSum = f.inputs.reduce((n, c) => n + c.value, 0);
    const outSum = f.outputs.reduce((n, o) => n + o.value, 0);
    assert.equal(f.fee, inSum - outSum);
    // feeRate is sat/kvB: the fee covers the estimated signed size at that rate.
    assert.ok(f.fee >= Math.ceil((feeRate * f.vsize) / 1000), `fee ${f.fee} for ${f.vsize} vB at ${feeRate}`);
  });
}

describe('funding from large wallets', () => {
  for (const size of [1000, 10_000]) {
    it(`funds payments at 1 to 60 sat/vB from ${size.toLocaleString('en')} UTXOs`, () => fundAll(size));
  }
});
