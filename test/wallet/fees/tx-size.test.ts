import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Transaction } from '../../../src/primitives/transaction.js';
import { TxOut } from '../../../src/primitives/txout.js';
import {
  ECDSA_MAX_SIGNATURE_SIZE,
  estimateTransactionVsize,
  estimateTransactionWeight,
  inputSize,
  inputVsize,
  outputSize,
  SCHNORR_SIGNATURE_SIZE,
  type SpendType,
  selectionOverheadVsize,
  spendWeight,
} from '../../../src/wallet/fees/tx-size.js';
import { dummySignedInput } from './dummy-signed.js';

const SPENDS: SpendType[] = [
  { kind: 'p2pkh' },
  { kind: 'p2sh-p2wpkh' },
  { kind: 'p2wpkh' },
  { kind: 'p2tr-keypath' },
  { kind: 'p2sh-multisig', m: 2, n: 3 },
  { kind: 'p2wsh-multisig', m: 2, n: 3 },
  { kind: 'p2sh-p2wsh-multisig', m: 3, n: 5 },
  { kind: 'p2wsh-multisig', m: 15, n: 20 },
];

describe('input sizes derived from the serialization', () => {
  it('give the familiar vbyte figures', () => {
    const vsize = (s: SpendType) => inputVsize(inputSize(s));
    // Core's wallet figures: P2PKH 148, nested P2WPKH 91 (DUMMY_NESTED_P2WPKH_INPUT_SIZE), P2WPKH 68,
    // taproot key path 57.5 → 58, 2-of-3 P2WSH 104.
    assert.equal(vsize({ kind: 'p2pkh' }), 148);
    assert.equal(vsize({ kind: 'p2sh-p2wpkh' }), 91);
    assert.equal(vsize({ kind: 'p2wpkh' }), 68);
    assert.equal(vsize({ kind: 'p2tr-keypath' }), 58);
    assert.equal(vsize({ kind: 'p2wsh-multisig', m: 2, n: 3 }), 104);
  });

  it('grow with larger signatures', () => {
    const sigs = { ecdsa: ECDSA_MAX_SIGNATURE_SIZE, schnorr: SCHNORR_SIGNATURE_SIZE + 1 };
    assert.equal(inputVsize(inputSize({ kind: 'p2pkh' }, sigs)), 149);
    assert.equal(inputVsize(inputSize({ kind: 'p2tr-keypath' }, sigs)), 58);
    assert.equal(inputSize({ kind: 'p2tr-keypath' }, sigs).witnessSize, 67);
  });

  it('mark witness-less inputs (147 stripped bytes and the empty witness of a segwit transaction)', () => {
    assert.deepEqual(spendWeight({ kind: 'p2pkh' }), { inputWeight: 147 * 4 + 1, witness: false });
    assert.equal(spendWeight({ kind: 'p2wpkh' }).witness, true);
    assert.equal(spendWeight({ kind: 'p2sh-multisig', m: 2, n: 3 }).witness, false);
  });

  it('match Transaction.weight() for transactions of dummy-signed inputs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...SPENDS), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 5 }),
        (spends, scriptLengths) => {
          const tx = new Transaction(
            2,
            spends.map((s, i) => dummySignedInput(s, i)),
            scriptLengths.map((n) => new TxOut(1000, new Uint8Array(n))),
          );
          const sizes = spends.map((s) => inputSize(s));
          assert.equal(estimateTransactionWeight(sizes, scriptLengths), tx.weight());
          assert.equal(estimateTransactionVsize(sizes, scriptLengths), tx.vsize());
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('count 253 and more inputs with a three-byte count', () => {
    const spends = Array.from({ length: 253 }, (): SpendType => ({ kind: 'p2wpkh' }));
    const tx = new Transaction(
      2,
      spends.map((s, i) => dummySignedInput(s, i)),
      [new TxOut(1, new Uint8Array(22))],
    );
    assert.equal(
      estimateTransactionWeight(
        spends.map((s) => inputSize(s)),
        [22],
      ),
      tx.weight(),
    );
  });
});

describe('outputs and the fixed part', () => {
  it('output sizes', () => {
    assert.equal(outputSize(25), 34); // P2PKH
    assert.equal(outputSize(22), 31); // P2WPKH
    assert.equal(outputSize(34), 43); // P2WSH, P2TR
    assert.equal(outputSize(300), 311);
  });
  it('Core’s tx_noinputs_size: 10 bytes + output count + outputs', () => {
    assert.equal(selectionOverheadVsize([22]), 10 + 1 + 31);
    assert.equal(selectionOverheadVsize([22, 34]), 10 + 1 + 31 + 43);
  });
});
