import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { feeForSize } from '../../../src/policy/fee-rate.js';
import { getDustThreshold } from '../../../src/policy/standard.js';
import { Transaction } from '../../../src/primitives/transaction.js';
import { TxOut } from '../../../src/primitives/txout.js';
import { nullData, p2pkh, p2tr, p2wpkh } from '../../../src/script/templates.js';
import { CoinSelectionError } from '../../../src/wallet/coin-selection/errors.js';
import {
  type FundOptions,
  fundTransaction,
  type Recipient,
} from '../../../src/wallet/coin-selection/fund.js';
import { seededRandom } from '../../../src/wallet/coin-selection/random.js';
import type { CoinCandidate } from '../../../src/wallet/coin-selection/types.js';
import { type SpendType, spendWeight } from '../../../src/wallet/fees/tx-size.js';
import { dummySignedInput } from '../fees/dummy-signed.js';
import { CENT, candidate } from './support.js';

const payee = p2wpkh(new Uint8Array(20).fill(1));
const changeScript = p2wpkh(new Uint8Array(20).fill(2));
const P2WPKH = spendWeight({ kind: 'p2wpkh' });
const options: FundOptions = { feeRate: 2000, changeScript, changeSpendWeight: P2WPKH.inputWeight };

const coin = (value: number, fields: Partial<CoinCandidate> = {}): CoinCandidate =>
  candidate(value, { ...P2WPKH, confirmations: 10, ...fields });
const pay = (value: number, fields: Partial<Recipient> = {}): Recipient => ({
  scriptPubKey: payee,
  value,
  ...fields,
});
const sum = (xs: readonly { value: number }[]): number => xs.reduce((s, x) => s + x.value, 0);

function throwsCode(f: () => unknown, code: string, message: string): void {
  assert.throws(
    f,
    (e: unknown) => e instanceof CoinSelectionError && e.code === code && e.message === message,
  );
}

describe('fundTransaction', () => {
  it('pays the recipient, returns change, and pays exactly the fee its size needs', () => {
    const wallet = [coin(5 * CENT), coin(3 * CENT), coin(20_000)];
    const f = fundTransaction([pay(4 * CENT)], wallet, options, seededRandom(1));
    assert.equal(f.fee, sum(f.inputs) - sum(f.outputs));
    assert.notEqual(f.changeIndex, undefined);
    assert.equal(f.outputs.length, 2);
    assert.equal(f.fee, feeForSize(options.feeRate, f.vsize));
    assert.equal(f.outputs.filter((o) => o.scriptPubKey === payee)[0]!.value, 4 * CENT);
  });

  it('makes no change when Branch and Bound finds a changeless set', () => {
    const rate = options.feeRate;
    // One coin worth exactly the payment plus the fee of a one-input, one-output transaction:
    // 41 stripped bytes without the input, the segwit marker and flag, the input (110 vB in all).
    const vsize = Math.ceil((41 * 4 + 2 + P2WPKH.inputWeight) / 4);
    const exact = coin(CENT + feeForSize(rate, 42) + feeForSize(rate, Math.ceil(P2WPKH.inputWeight / 4)));
    const f = fundTransaction([pay(CENT)], [exact, coin(7 * CENT)], options, seededRandom(2));
    assert.equal(f.selection.algorithm, 'bnb');
    assert.equal(f.changeIndex, undefined);
    assert.deepEqual(f.inputs, [exact]);
    assert.equal(f.vsize, vsize);
    assert.ok(f.fee >= feeForSize(rate, f.vsize));
  });

  it('drops change below the viable minimum into the fee', () => {
    // Change would be ~400 sat: under the dust threshold at the discard rate, so it goes to the miner.
    const f = fundTransaction(
      [pay(CENT)],
      [coin(CENT + 900)],
      { ...options, feeRate: 1000 },
      seededRandom(3),
    );
    assert.equal(f.changeIndex, undefined);
    assert.equal(f.outputs.length, 1);
    assert.equal(f.fee, 900);
  });

  it('never makes dust change', () => {
    for (let extra = 0; extra < 3000; extra += 37) {
      const f = fundTransaction(
        [pay(CENT)],
        [coin(CENT + 2000 + extra)],
        { ...options, feeRate: 1000 },
        seededRandom(extra),
      );
      if (f.changeIndex === undefined) continue;
      const change = f.outputs[f.changeIndex]!;
      assert.ok(change.value >= getDustThreshold(change, 10_000), `change ${change.value}`);
    }
  });

  it('estimates the size of the signed transaction exactly', () => {
    const kinds: SpendType[] = [
      { kind: 'p2pkh' },
      { kind: 'p2sh-p2wpkh' },
      { kind: 'p2wpkh' },
      { kind: 'p2tr-keypath' },
      { kind: 'p2wsh-multisig', m: 2, n: 3 },
    ];
    const wallet = kinds.map((k) => coin(CENT, spendWeight(k)));
    const spendOf = new Map(wallet.map((c, i) => [c, kinds[i]!]));
    const f = fundTransaction([pay(4.5 * CENT)], wallet, {
      ...options,
      changeScript: p2tr(new Uint8Array(32)),
    });
    const tx = new Transaction(
      2,
      f.inputs.map((c, i) => dummySignedInput(spendOf.get(c)!, i)),
      f.outputs.map((o) => new TxOut(o.value, o.scriptPubKey)),
    );
    assert.equal(f.weight, tx.weight());
    // A transaction of legacy inputs only has no marker, flag or empty witnesses.
    const legacy = [coin(3 * CENT, spendWeight({ kind: 'p2pkh' }))];
    const g = fundTransaction([pay(CENT)], legacy, options, seededRandom(4));
    const legacyTx = new Transaction(2, [dummySignedInput({ kind: 'p2pkh' }, 0)], [...g.outputs]);
    assert.equal(g.weight, legacyTx.weight());
  });

  it('puts change where asked, and refuses a position past the end', () => {
    const wallet = [coin(5 * CENT)];
    const f = fundTransaction([pay(CENT), pay(CENT)], wallet, { ...options, changePosition: 0 });
    assert.equal(f.changeIndex, 0);
    assert.equal(f.outputs[0]!.scriptPubKey, changeScript);
    throwsCode(
      () => fundTransaction([pay(CENT)], wallet, { ...options, changePosition: 2 }),
      'change-index-out-of-range',
      'Transaction change output index out of range',
    );
  });

  it('is deterministic for a seed', () => {
    const wallet = Array.from({ length: 200 }, (_, i) => coin(10_000 + ((i * 7919) % 500_000)));
    const a = fundTransaction([pay(3 * CENT)], wallet, options, seededRandom(9));
    const b = fundTransaction([pay(3 * CENT)], wallet, options, seededRandom(9));
    assert.deepEqual(
      a.inputs.map((c) => c.outpoint.toString()),
      b.inputs.map((c) => c.outpoint.toString()),
    );
    assert.deepEqual(a.outputs, b.outputs);
  });

  it('spends preset inputs first, in order', () => {
    const first = coin(CENT);
    const second = coin(CENT);
    const f = fundTransaction([pay(3 * CENT)], [coin(10 * CENT)], { ...options, preset: [first, second] });
    assert.equal(f.inputs[0], first);
    assert.equal(f.inputs[1], second);
    assert.equal(f.inputs.length, 3);
  });
});

describe('fundTransaction: subtracting the fee from the amount', () => {
  it('takes the fee from the recipient, splitting the remainder to the first', () => {
    const f = fundTransaction(
      [pay(CENT, { subtractFeeFromAmount: true }), pay(CENT, { subtractFeeFromAmount: true })],
      [coin(2 * CENT)],
      options,
      seededRandom(5),
    );
    assert.equal(f.changeIndex, undefined);
    assert.equal(f.fee, feeForSize(options.feeRate, f.vsize));
    assert.equal(sum(f.outputs), 2 * CENT - f.fee);
    const [a, b] = f.outputs;
    assert.equal(a!.value - b!.value, f.fee % 2);
  });

  it('sends the whole balance less the fee', () => {
    const wallet = [coin(CENT), coin(2 * CENT), coin(3 * CENT)];
    const f = fundTransaction([pay(6 * CENT, { subtractFeeFromAmount: true })], wallet, options);
    assert.equal(f.inputs.length, 3);
    assert.equal(f.outputs[0]!.value, 6 * CENT - f.fee);
  });

  it('tells an amount that cannot pay the fee from one left as dust (Core’s messages)', () => {
    throwsCode(
      () =>
        fundTransaction([pay(1000, { subtractFeeFromAmount: true })], [coin(1000)], {
          ...options,
          feeRate: 20_000,
        }),
      'amount-too-small-to-pay-fee',
      'The transaction amount is too small to pay the fee',
    );
    throwsCode(
      // 1,800 − 1,650 sat of fee leaves 150, under the 294-sat P2WPKH dust threshold.
      () =>
        fundTransaction([pay(1800, { subtractFeeFromAmount: true })], [coin(1800)], {
          ...options,
          feeRate: 15_000,
        }),
      'amount-too-small-after-fee',
      'The transaction amount is too small to send after the fee has been deducted',
    );
  });
});

describe('fundTransaction: refusals with Core’s messages', () => {
  const wallet = [coin(CENT)];
  it('insufficient funds', () => {
    throwsCode(
      () => fundTransaction([pay(2 * CENT)], wallet, options),
      'insufficient-funds',
      'Insufficient funds',
    );
    // Enough value, not enough once the fee is counted.
    throwsCode(
      () => fundTransaction([pay(CENT)], wallet, options),
      'insufficient-funds',
      'Insufficient funds',
    );
  });
  it('bad recipients', () => {
    throwsCode(
      () => fundTransaction([], wallet, options),
      'no-recipients',
      'Transaction must have at least one recipient',
    );
    throwsCode(
      () => fundTransaction([pay(-1)], wallet, options),
      'negative-amount',
      'Transaction amounts must not be negative',
    );
    throwsCode(
      () => fundTransaction([{ scriptPubKey: p2pkh(new Uint8Array(20)), value: 545 }], wallet, options),
      'amount-too-small',
      'Transaction amount too small',
    );
  });
  it('a zero-value data output at a zero fee rate', () => {
    throwsCode(
      () =>
        fundTransaction([{ scriptPubKey: nullData(Uint8Array.of(1)), value: 0 }], wallet, {
          ...options,
          feeRate: 0,
        }),
      'zero-target',
      'Transaction requires one destination of non-zero value, a non-zero feerate, or a pre-selected input',
    );
  });
  it('a fee above -maxtxfee', () => {
    throwsCode(
      () => fundTransaction([pay(CENT / 2)], wallet, { ...options, feeRate: 1_000_000, maxTxFee: 10_000 }),
      'max-fee-exceeded',
      'Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)',
    );
  });
});
