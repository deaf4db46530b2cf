import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash256 } from '../../src/crypto/hash.js';
import { fromHex, toHex } from '../../src/encoding/index.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../src/primitives/index.js';
import {
  checkMinimalPush,
  encodeScript,
  findAndDelete,
  isPayToScriptHash,
  isPushOnly,
  isUnspendable,
  isWitnessProgram,
  Op,
  parseScript,
  pushData,
  pushInt,
  signatureHashLegacy,
} from '../../src/script/index.js';

describe('parseScript / encodeScript', () => {
  it('parses pushes as views and keeps a truncated push as a marked final op', () => {
    const ops = parseScript(fromHex('0051024142ac4c'));
    assert.deepEqual(
      ops.map((o) => [o.op, o.data === undefined ? null : toHex(o.data), o.truncated ?? false]),
      [
        [0x00, '', false],
        [0x51, null, false],
        [0x02, '4142', false],
        [0xac, null, false],
        [0x4c, '', true],
      ],
    );
    assert.equal(toHex(encodeScript(ops)), '0051024142ac4c');
    assert.deepEqual(parseScript(fromHex('4d0100')).at(-1), {
      op: 0x4d,
      data: fromHex('0100'),
      truncated: true,
    });
  });

  it('keeps non-minimal push opcodes when encoding', () => {
    const script = fromHex('4c01074d0100084e0100000009');
    assert.equal(toHex(encodeScript(parseScript(script))), toHex(script));
    assert.throws(() => encodeScript([{ op: 2, data: fromHex('01') }]), RangeError);
  });
});

describe('push builders', () => {
  it("encode like Core's CScript << vector and << int64", () => {
    assert.equal(toHex(pushData(new Uint8Array(0))), '00');
    assert.equal(toHex(pushData(fromHex('05'))), '0105'); // not OP_5: `<< vector` never converts
    assert.equal(toHex(pushData(new Uint8Array(75))).slice(0, 2), '4b');
    assert.equal(toHex(pushData(new Uint8Array(76))).slice(0, 4), '4c4c');
    assert.equal(toHex(pushData(new Uint8Array(256))).slice(0, 6), '4d0001');
    assert.equal(toHex(pushData(new Uint8Array(65536))).slice(0, 10), '4e00000100');
    assert.equal(toHex(pushInt(0)), '00');
    assert.equal(toHex(pushInt(-1)), '4f');
    assert.equal(toHex(pushInt(16)), '60');
    assert.equal(toHex(pushInt(17)), '0111');
    assert.equal(toHex(pushInt(-2)), '0182');
  });

  it('checkMinimalPush follows Core', () => {
    assert.ok(checkMinimalPush(new Uint8Array(0), Op.OP_0));
    assert.ok(!checkMinimalPush(new Uint8Array(0), Op.OP_PUSHDATA1));
    assert.ok(!checkMinimalPush(fromHex('05'), 1));
    assert.ok(checkMinimalPush(fromHex('05'), Op.OP_5));
    assert.ok(!checkMinimalPush(fromHex('81'), 1));
    assert.ok(checkMinimalPush(fromHex('11'), 1));
    assert.ok(!checkMinimalPush(new Uint8Array(75), Op.OP_PUSHDATA1));
    assert.ok(checkMinimalPush(new Uint8Array(76), Op.OP_PUSHDATA1));
    assert.ok(!checkMinimalPush(new Uint8Array(255), Op.OP_PUSHDATA2));
    assert.ok(!checkMinimalPush(new Uint8Array(256), Op.OP_PUSHDATA4));
  });
});

describe('script predicates', () => {
  it('isPushOnly counts OP_RESERVED as a push and refuses truncated pushes', () => {
    assert.ok(isPushOnly(fromHex('00514f5060020102')));
    assert.ok(!isPushOnly(fromHex('0061')));
    assert.ok(!isPushOnly(fromHex('5102ff')));
    assert.ok(isPushOnly(fromHex('6a0102'), 1));
  });

  it('isPayToScriptHash is byte-exact', () => {
    assert.ok(isPayToScriptHash(fromHex(`a914${'00'.repeat(20)}87`)));
    assert.ok(!isPayToScriptHash(fromHex(`a94c14${'00'.repeat(20)}87`)));
  });

  it('isWitnessProgram takes a version opcode and one 2..40-byte direct push', () => {
    assert.deepEqual(isWitnessProgram(fromHex(`0014${'11'.repeat(20)}`)), {
      version: 0,
      program: fromHex('11'.repeat(20)),
    });
    assert.equal(isWitnessProgram(fromHex('60020102'))?.version, 16);
    assert.equal(isWitnessProgram(fromHex('4f020102')), null); // OP_1NEGATE is not a version
    assert.equal(isWitnessProgram(fromHex('0001ff')), null); // 1-byte program
    assert.equal(isWitnessProgram(fromHex(`0029${'00'.repeat(41)}`)), null); // 41 bytes
    assert.equal(isWitnessProgram(fromHex('00020102ff')), null); // trailing byte
  });

  it('isUnspendable: OP_RETURN first or more than 10,000 bytes', () => {
    assert.ok(isUnspendable(fromHex('6a')));
    assert.ok(!isUnspendable(fromHex('516a')));
    assert.ok(isUnspendable(new Uint8Array(10_001)));
    assert.ok(!isUnspendable(new Uint8Array(10_000)));
  });
});

describe('findAndDelete (Core FindAndDelete)', () => {
  const cases: [string, string, string, number][] = [
    ['0302ff03', '0302ff03', '', 1],
    ['0302ff030302ff03', '0302ff03', '', 2],
    // Only matches starting at instruction boundaries count.
    ['0302ff030302ff03', '02', '0302ff030302ff03', 0],
    ['0302ff030302ff03', 'ff', '0302ff030302ff03', 0],
    ['0302ff030302ff03', '03', '02ff0302ff03', 2],
    // After a removal the same position is tested again.
    ['515152', '51', '52', 2],
    // A match may cover a push that would itself be truncated.
    ['0003feed', '03feed', '00', 1],
    ['015151', '5151', '015151', 0],
    ['5152', '', '5152', 0],
  ];
  for (const [script, pattern, expected, found] of cases) {
    it(`${script} - ${pattern || '(empty)'}`, () => {
      const result = findAndDelete(fromHex(script), fromHex(pattern));
      assert.equal(toHex(result.script), expected);
      assert.equal(result.found, found);
    });
  }
});

describe('legacy sighash of a scriptCode ending in a truncated push', () => {
  it("hashes Core's inconsistent length prefix and the bytes up to where parsing stopped", () => {
    const tx = new Transaction(
      1,
      [new TxIn(new OutPoint(new Uint8Array(32).fill(1), 3), new Uint8Array(0), 0xfffffffe)],
      [new TxOut(5000, fromHex('51'))],
      7,
    );
    // 0x05 promises five bytes but one follows: the prefix says 2, and only 0x05 is written.
    const preimage = fromHex(
      `01000000` +
        `01${'01'.repeat(32)}03000000` +
        `0205` +
        `feffffff` +
        `01${'8813000000000000'}0151` +
        `07000000` +
        `01000000`,
    );
    const got = signatureHashLegacy(fromHex('05aa'), tx, 0, 1);
    assert.equal(toHex(got), toHex(hash256(preimage)));
  });
});
