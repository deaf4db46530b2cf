import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import {
  checkStandardTx,
  DEFAULT_STANDARD_TX_OPTIONS,
  getDustThreshold,
  isDust,
  isStandardOutputScript,
} from '../../src/policy/standard.js';
import { Op } from '../../src/script/opcodes.js';
import {
  multisig,
  nullData,
  p2pkh,
  p2sh,
  p2tr,
  p2wpkh,
  p2wsh,
  witnessProgram,
} from '../../src/script/templates.js';

const hash20 = new Uint8Array(20).fill(0x11);
const hash32 = new Uint8Array(32).fill(0x22);
const key = (n: number) => Uint8Array.from({ length: 33 }, (_, i) => (i === 0 ? 2 : n));
const prevout = (n: number) => new OutPoint(new Uint8Array(32).fill(n), 0);

/** A standard one-input one-output transaction to edit. */
function baseTx(outputs: TxOut[] = [new TxOut(10_000, p2wpkh(hash20))]): Transaction {
  return new Transaction(2, [new TxIn(prevout(1), new Uint8Array(0), 0xfffffffd)], outputs, 0);
}

describe('policy: dust (GetDustThreshold at 3,000 sat/kvB)', () => {
  const cases: [string, Uint8Array, number][] = [
    ['P2PKH', p2pkh(hash20), 546],
    ['P2WPKH', p2wpkh(hash20), 294],
    ['P2SH', p2sh(hash20), 540],
    ['P2WSH', p2wsh(hash32), 330],
    ['P2TR', p2tr(hash32), 330],
    ['OP_RETURN (unspendable)', nullData(Uint8Array.of(1)), 0],
  ];
  for (const [name, script, threshold] of cases) {
    it(`${name}: ${threshold} sat`, () => {
      assert.equal(getDustThreshold(new TxOut(0, script), 3000), threshold);
      if (threshold > 0) {
        assert.equal(isDust(new TxOut(threshold - 1, script), 3000), true);
        assert.equal(isDust(new TxOut(threshold, script), 3000), false);
      }
    });
  }
  it('scales with the dust relay fee (rounded up, as CFeeRate::GetFee)', () => {
    // P2WPKH spends cost 98 vbytes: at 1,001 sat/kvB that is 98.098 -> 99 sat.
    assert.equal(getDustThreshold(new TxOut(0, p2wpkh(hash20)), 1001), 99);
    assert.equal(getDustThreshold(new TxOut(0, p2wpkh(hash20)), 0), 0);
  });
});

describe('policy: IsStandard output scripts', () => {
  it('accepts every standard template, unknown witness versions and pay-to-anchor', () => {
    for (const script of [
      p2pkh(hash20),
      p2sh(hash20),
      p2wpkh(hash20),
      p2wsh(hash32),
      p2tr(hash32),
      witnessProgram(2, hash32),
      Uint8Array.of(Op.OP_1, 2, 0x4e, 0x73),
      multisig(1, [key(1), key(2), key(3)]),
    ]) {
      assert.equal(isStandardOutputScript(script, 83).standard, true);
    }
  });
  it('refuses bare multisig above 3 keys, nonstandard scripts and oversized data', () => {
    assert.equal(isStandardOutputScript(multisig(1, [key(1), key(2), key(3), key(4)]), 83).standard, false);
    assert.equal(isStandardOutputScript(Uint8Array.of(Op.OP_TRUE), 83).standard, false);
    assert.equal(isStandardOutputScript(nullData(new Uint8Array(80)), 83).standard, true);
    assert.equal(isStandardOutputScript(nullData(new Uint8Array(81)), 83).standard, false);
    assert.equal(isStandardOutputScript(nullData(new Uint8Array(1)), null).standard, false);
  });
});

describe('policy: IsStandardTx reasons (Core v29 order and strings)', () => {
  it('a plain spend is standard', () => {
    assert.equal(checkStandardTx(baseTx()), undefined);
  });

  it('version: 1..3 are standard (3 is TRUC), 0, 4 and negative are not', () => {
    for (const [version, reason] of [
      [0, 'version'],
      [1, undefined],
      [2, undefined],
      [3, undefined],
      [4, 'version'],
      [0x80000002, 'version'],
    ] as const) {
      const tx = baseTx();
      tx.version = version;
      assert.equal(checkStandardTx(tx), reason, `version ${version}`);
    }
  });

  it('tx-size: weight above 400,000', () => {
    const tx = baseTx([new TxOut(10_000, p2wpkh(hash20)), new TxOut(0, new Uint8Array(0))]);
    // One big (nonstandard) output: the size rule comes first.
    tx.outputs[1] = new TxOut(1000, new Uint8Array(100_000));
    assert.equal(checkStandardTx(tx), 'tx-size');
  });

  it('scriptsig-size above 1,650 bytes; scriptsig-not-pushonly', () => {
    const big = baseTx();
    // PUSHDATA2 of 1,647 bytes: 1,650 in total is still fine, one more is not.
    big.inputs[0]!.scriptSig = Uint8Array.of(Op.OP_PUSHDATA2, 0x6f, 0x06, ...new Uint8Array(1647));
    assert.equal(checkStandardTx(big), undefined);
    big.inputs[0]!.scriptSig = Uint8Array.of(Op.OP_PUSHDATA2, 0x70, 0x06, ...new Uint8Array(1648));
    big.invalidate();
    assert.equal(checkStandardTx(big), 'scriptsig-size');
    const ops = baseTx();
    ops.inputs[0]!.scriptSig = Uint8Array.of(Op.OP_1, Op.OP_DUP);
    assert.equal(checkStandardTx(ops), 'scriptsig-not-pushonly');
  });

  it('scriptpubkey, bare-multisig (with permitbaremultisig=0)', () => {
    assert.equal(checkStandardTx(baseTx([new TxOut(10_000, Uint8Array.of(Op.OP_TRUE))])), 'scriptpubkey');
    const bare = baseTx([new TxOut(10_000, multisig(1, [key(1), key(2)]))]);
    assert.equal(checkStandardTx(bare), undefined);
    assert.equal(
      checkStandardTx(bare, { ...DEFAULT_STANDARD_TX_OPTIONS, permitBareMultisig: false }),
      'bare-multisig',
    );
  });

  it('dust: one dust output is allowed (ephemeral dust), two are not', () => {
    const one = baseTx([new TxOut(10_000, p2wpkh(hash20)), new TxOut(293, p2wpkh(hash20))]);
    assert.equal(checkStandardTx(one), undefined);
    const two = baseTx([new TxOut(293, p2wpkh(hash20)), new TxOut(545, p2pkh(hash20))]);
    assert.equal(checkStandardTx(two), 'dust');
  });

  it('multi-op-return: a second data carrier', () => {
    const tx = baseTx([
      new TxOut(10_000, p2wpkh(hash20)),
      new TxOut(0, nullData(Uint8Array.of(1))),
      new TxOut(0, nullData(Uint8Array.of(2))),
    ]);
    assert.equal(checkStandardTx(tx), 'multi-op-return');
    tx.outputs.pop();
    tx.invalidate();
    assert.equal(checkStandardTx(tx), undefined);
    assert.equal(
      checkStandardTx(tx, { ...DEFAULT_STANDARD_TX_OPTIONS, maxDatacarrierBytes: null }),
      'scriptpubkey',
    );
  });
});
