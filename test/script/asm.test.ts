import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/encoding/index.js';
import { AsmParseError, Op, opcodeName, parseAsm, pushInt, toAsm } from '../../src/script/index.js';

describe('parseAsm (Core ParseScript)', () => {
  it("matches Core's script_parse_tests table", () => {
    const table: [string, string][] = [
      ['', ''],
      ['0', '00'],
      ['1', '51'],
      ['2', '52'],
      ['10', '5a'],
      ['16', '60'],
      ['17', '0111'],
      ['-9', '0189'],
      ['-1', '4f'],
      ['0x17', '17'],
      ["'17'", '023137'],
      ['ELSE', '67'],
      ['NOP10', 'b9'],
      ['OP_NOP10', 'b9'],
      ['CHECKLOCKTIMEVERIFY', 'b1'],
      ['OP_CHECKSEQUENCEVERIFY', 'b2'],
      ['RESERVED', '50'],
    ];
    let allIn = '';
    let allOut = '';
    for (const [text, hex] of table) {
      assert.equal(toHex(parseAsm(text)), hex, text);
      allIn += ` ${text} `;
      allOut += hex;
    }
    assert.equal(toHex(parseAsm(allIn)), allOut);
  });

  it('splits on spaces, tabs and newlines, and pushes quoted strings with the right opcode', () => {
    assert.equal(toHex(parseAsm('1\t2\n 3')), '515253');
    assert.equal(toHex(parseAsm("''")), '00');
    assert.equal(toHex(parseAsm(`'${'a'.repeat(76)}'`)), `4c4c${'61'.repeat(76)}`);
  });

  it('accepts the int64 range the pinned vectors use, with exact encodings', () => {
    assert.equal(toHex(parseAsm('9223372036854775807')), '08ffffffffffffff7f');
    assert.equal(toHex(parseAsm('-9223372036854775807')), '08ffffffffffffffff');
    assert.equal(toHex(parseAsm('549755813888')), '06000000008000');
  });

  it('throws AsmParseError on what Core rejects', () => {
    for (const bad of ['OP_DOESNOTEXIST', '99999999999999999999', '0x', '0x1', '0xzz', "'", '-', 'NOP11']) {
      assert.throws(() => parseAsm(bad), AsmParseError, bad);
    }
  });
});

describe('toAsm (Core ScriptToAsmStr)', () => {
  it('prints P2PKH and small numbers like decodescript', () => {
    const hash = '1d0f172a0ecb48aee1be1f2687d2963ae33f71a1';
    assert.equal(toAsm(fromHex(`76a914${hash}88ac`)), `OP_DUP OP_HASH160 ${hash} OP_EQUALVERIFY OP_CHECKSIG`);
    assert.equal(toAsm(fromHex('004f5160')), '0 -1 1 16');
    // Pushes of up to 4 bytes are numbers (even non-minimal ones); longer ones are hex.
    assert.equal(toAsm(fromHex('0101')), '1');
    assert.equal(toAsm(fromHex('04ffffffff')), '-2147483647');
    assert.equal(toAsm(fromHex('050000000080')), '0000000080');
    assert.equal(toAsm(fromHex('b1b2ba')), 'OP_CHECKLOCKTIMEVERIFY OP_CHECKSEQUENCEVERIFY OP_CHECKSIGADD');
    assert.equal(toAsm(fromHex('bbff')), 'OP_UNKNOWN OP_INVALIDOPCODE');
  });

  it('prints [error] at a truncated push and stops', () => {
    assert.equal(toAsm(fromHex('514c')), '1 [error]');
    assert.equal(toAsm(fromHex('0aff')), '[error]');
  });

  it('decodes a signature hashtype only when asked, and never in OP_RETURN outputs', () => {
    const der =
      '3044022079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817980220' +
      '1b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f';
    const script = fromHex(`47${der}81`);
    assert.equal(toAsm(script, true), `${der}[ALL|ANYONECANPAY]`);
    assert.equal(toAsm(script), `${der}81`);
    // An undefined hashtype is not decoded.
    assert.equal(toAsm(fromHex(`47${der}04`), true), `${der}04`);
    const nulldata = fromHex(`6a47${der}01`);
    assert.equal(toAsm(nulldata, true), `OP_RETURN ${der}01`);
  });

  it('round-trips scripts of named opcodes and numbers through parseAsm (property)', () => {
    const named = Array.from({ length: 256 }, (_, op) => op).filter(
      (op) => op > Op.OP_16 && opcodeName(op) !== 'OP_UNKNOWN',
    );
    const part = fc.oneof(
      fc.constantFrom(...named).map((op) => Uint8Array.of(op)),
      fc.integer({ min: -0x7fffffff, max: 0x7fffffff }).map(pushInt),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 20 }), (parts) => {
        const script = Uint8Array.from(parts.flatMap((p) => [...p]));
        assert.equal(toHex(parseAsm(toAsm(script))), toHex(script));
      }),
    );
  });
});
