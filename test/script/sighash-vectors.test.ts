import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toDisplayHex, toHex } from '../../src/encoding/index.js';
import { Transaction } from '../../src/primitives/index.js';
import {
  PrecomputedTransactionData,
  SighashType,
  signatureHashLegacy,
  signatureHashWitnessV0,
} from '../../src/script/index.js';
import { readSharedJson } from '../support/shared.js';

/** Data rows in the pinned sighash.json (the header row excluded). */
const EXPECTED_CASES = 500;

type Row = [string, string, number, number, string];

const rows = readSharedJson<unknown[][]>('vectors', 'bitcoin-core', 'sighash.json').filter(
  (r): r is Row => r.length === 5,
);

describe('sighash.json (Bitcoin Core, legacy SignatureHash)', () => {
  it(`has the ${EXPECTED_CASES} cases we pin`, () => {
    assert.equal(rows.length, EXPECTED_CASES);
  });

  it('every case matches, with and without precomputed transaction data', () => {
    const failures: string[] = [];
    for (const [rawTx, script, inputIndex, hashType, expected] of rows) {
      const tx = Transaction.decode(fromHex(rawTx));
      const scriptCode = fromHex(script);
      // The expected value is uint256::GetHex(): display (byte-reversed) order.
      const plain = toDisplayHex(signatureHashLegacy(scriptCode, tx, inputIndex, hashType));
      const cached = toDisplayHex(
        signatureHashLegacy(scriptCode, tx, inputIndex, hashType, new PrecomputedTransactionData(tx)),
      );
      if (plain !== expected || cached !== expected) {
        failures.push(
          `${plain}/${cached} != ${expected}: ${rawTx.slice(0, 16)}.. in ${inputIndex} type ${hashType}`,
        );
      }
    }
    assert.deepEqual(failures, []);
  });

  it('SIGHASH_SINGLE without a matching output signs uint256 one (the 2012 bug, kept for consensus)', () => {
    const [rawTx] = rows[0]!;
    const tx = Transaction.decode(fromHex(rawTx));
    const beyond = tx.outputs.length; // an input index with no output of the same index
    if (beyond < tx.inputs.length) {
      const h = signatureHashLegacy(new Uint8Array(0), tx, beyond, SighashType.SINGLE);
      assert.equal(toDisplayHex(h), `${'0'.repeat(63)}1`);
    }
    assert.ok(beyond < tx.inputs.length, 'first vector should have more inputs than outputs');
  });
});

describe('BIP143 signature hash', () => {
  it('matches the BIP143 native P2WPKH example', () => {
    const tx = Transaction.decode(
      fromHex(
        '0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffff' +
          'ef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb2060000' +
          '00001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe' +
          '6a21b2d50ce2f0167faa815988ac11000000',
      ),
    );
    const scriptCode = fromHex('76a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac');
    const expected = 'c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670';
    // BIP143 prints the digest in hash order (not reversed).
    assert.equal(toHex(signatureHashWitnessV0(scriptCode, tx, 1, SighashType.ALL, 600_000_000)), expected);
    const txdata = new PrecomputedTransactionData(tx);
    assert.equal(
      toHex(signatureHashWitnessV0(scriptCode, tx, 1, SighashType.ALL, 600_000_000, txdata)),
      expected,
    );
    assert.equal(
      toHex(txdata.hashPrevouts),
      '96b827c8483d4e9b96712b6713a7b68d6e8003a781feba36c31143470b4efd37',
      'BIP143 hashPrevouts',
    );
    assert.equal(
      toHex(txdata.hashSequence),
      '52b0a642eea2fb7ae638c36f6252b6750293dbe574a806984b8e4d8548339a3b',
      'BIP143 hashSequence',
    );
  });

  it('commits to the amount and to every hashtype variant differently', () => {
    const [rawTx] = rows[1]!;
    const tx = Transaction.decode(fromHex(rawTx));
    const code = fromHex('76a914000000000000000000000000000000000000000088ac');
    const seen = new Set<string>();
    for (const type of [1, 2, 3, 0x81, 0x82, 0x83]) {
      seen.add(toHex(signatureHashWitnessV0(code, tx, 0, type, 1000)));
      seen.add(toHex(signatureHashWitnessV0(code, tx, 0, type, 1001)));
    }
    assert.equal(seen.size, 12);
  });
});
