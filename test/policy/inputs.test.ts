import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MapCoinView } from '../../src/consensus/coin-view.js';
import { Coin } from '../../src/primitives/coin.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import { areInputsStandard, isWitnessStandard } from '../../src/policy/inputs.js';
import { Op } from '../../src/script/opcodes.js';
import { pushData, ScriptBuilder } from '../../src/script/script.js';
import {
  p2pkh,
  p2shOfScript,
  p2tr,
  p2wpkh,
  p2wsh,
  p2wshOfScript,
  witnessProgram,
} from '../../src/script/templates.js';

const hash20 = new Uint8Array(20).fill(0x11);
const hash32 = new Uint8Array(32).fill(0x22);
const prevout = new OutPoint(new Uint8Array(32).fill(7), 0);

/** A one-input transaction spending `script`, with the view holding that coin. */
function spending(script: Uint8Array, scriptSig: Uint8Array = new Uint8Array(0), witness: Uint8Array[] = []) {
  const tx = new Transaction(
    2,
    [new TxIn(prevout, scriptSig, 0xffffffff, witness)],
    [new TxOut(1000, p2wpkh(hash20))],
  );
  const view = new MapCoinView([[prevout, new Coin(5000, script, 1, false)]]);
  return { tx, view };
}

/** A redeem script with `n` CHECKSIGs. */
function sigopScript(n: number): Uint8Array {
  const b = new ScriptBuilder();
  for (let i = 0; i < n; i++) b.op(Op.OP_DUP, Op.OP_CHECKSIG, Op.OP_DROP);
  return b.op(Op.OP_TRUE).build();
}

describe('policy: AreInputsStandard', () => {
  it('standard prevouts pass', () => {
    for (const script of [p2pkh(hash20), p2wpkh(hash20), p2wsh(hash32), p2tr(hash32)]) {
      const { tx, view } = spending(script);
      assert.equal(areInputsStandard(tx, view), true);
    }
  });
  it('nonstandard and unknown-witness-version prevouts fail', () => {
    assert.equal(
      areInputsStandard(spending(Uint8Array.of(Op.OP_TRUE)).tx, spending(Uint8Array.of(Op.OP_TRUE)).view),
      false,
    );
    const unknown = spending(witnessProgram(2, hash32));
    assert.equal(areInputsStandard(unknown.tx, unknown.view), false);
  });
  it('P2SH redeem scripts: at most 15 sigops (accurately counted)', () => {
    for (const [n, ok] of [
      [15, true],
      [16, false],
    ] as const) {
      const redeem = sigopScript(n);
      const { tx, view } = spending(p2shOfScript(redeem), pushData(redeem));
      assert.equal(areInputsStandard(tx, view), ok, `${n} sigops`);
    }
  });
  it('P2SH with an empty or failing scriptSig fails', () => {
    const empty = spending(p2shOfScript(sigopScript(1)));
    assert.equal(areInputsStandard(empty.tx, empty.view), false);
    const failing = spending(p2shOfScript(sigopScript(1)), Uint8Array.of(Op.OP_RETURN));
    assert.equal(areInputsStandard(failing.tx, failing.view), false);
  });
});

describe('policy: IsWitnessStandard', () => {
  const item = (n: number) => new Uint8Array(n);
  const wsh = (script: Uint8Array, stack: Uint8Array[]) =>
    spending(p2wshOfScript(script), new Uint8Array(0), [...stack, script]);
  const check = ({ tx, view }: ReturnType<typeof spending>) => isWitnessStandard(tx, view);

  it('P2WPKH and small P2WSH spends are standard', () => {
    assert.equal(check(spending(p2wpkh(hash20), new Uint8Array(0), [item(72), item(33)])), true);
    assert.equal(check(wsh(Uint8Array.of(Op.OP_TRUE), [item(80)])), true);
  });
  it('P2WSH: script ≤ 3,600 bytes, ≤ 100 items, items ≤ 80 bytes', () => {
    assert.equal(check(wsh(new Uint8Array(3600).fill(Op.OP_NOP), [])), true);
    assert.equal(check(wsh(new Uint8Array(3601).fill(Op.OP_NOP), [])), false);
    assert.equal(
      check(
        wsh(
          Uint8Array.of(Op.OP_TRUE),
          Array.from({ length: 100 }, () => item(1)),
        ),
      ),
      true,
    );
    assert.equal(
      check(
        wsh(
          Uint8Array.of(Op.OP_TRUE),
          Array.from({ length: 101 }, () => item(1)),
        ),
      ),
      false,
    );
    assert.equal(check(wsh(Uint8Array.of(Op.OP_TRUE), [item(81)])), false);
  });
  it('a witness on a non-witness input is witness stuffing', () => {
    assert.equal(check(spending(p2pkh(hash20), new Uint8Array(0), [item(1)])), false);
  });
  it('pay-to-anchor must be spent with an empty witness', () => {
    const anchor = Uint8Array.of(Op.OP_1, 2, 0x4e, 0x73);
    assert.equal(check(spending(anchor)), true);
    assert.equal(check(spending(anchor, new Uint8Array(0), [item(1)])), false);
  });
  it('P2SH-wrapped P2WSH is judged by its redeem script', () => {
    const script = Uint8Array.of(Op.OP_TRUE);
    const redeem = p2wshOfScript(script);
    assert.equal(check(spending(p2shOfScript(redeem), pushData(redeem), [item(80), script])), true);
    assert.equal(check(spending(p2shOfScript(redeem), pushData(redeem), [item(81), script])), false);
  });
  it('taproot: annex refused, tapscript items ≤ 80 bytes, other leaf versions unchecked', () => {
    const tr = p2tr(hash32);
    const control = (leaf: number) => Uint8Array.of(leaf, ...new Uint8Array(32));
    assert.equal(check(spending(tr, new Uint8Array(0), [item(64)])), true);
    assert.equal(check(spending(tr, new Uint8Array(0), [item(64), Uint8Array.of(0x50, 1)])), false);
    assert.equal(
      check(spending(tr, new Uint8Array(0), [item(80), Uint8Array.of(Op.OP_TRUE), control(0xc0)])),
      true,
    );
    assert.equal(
      check(spending(tr, new Uint8Array(0), [item(81), Uint8Array.of(Op.OP_TRUE), control(0xc0)])),
      false,
    );
    assert.equal(
      check(spending(tr, new Uint8Array(0), [item(81), Uint8Array.of(Op.OP_TRUE), control(0xc2)])),
      true,
    );
    assert.equal(
      check(spending(tr, new Uint8Array(0), [item(1), Uint8Array.of(Op.OP_TRUE), new Uint8Array(0)])),
      false,
    );
  });
});
