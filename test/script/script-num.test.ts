import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/encoding/index.js';
import { castToBool, decodeScriptNum, encodeScriptNum } from '../../src/script/index.js';

describe('CScriptNum', () => {
  it('encodes minimally, with the sign in the top bit', () => {
    const cases: [number, string][] = [
      [0, ''],
      [1, '01'],
      [-1, '81'],
      [127, '7f'],
      [128, '8000'],
      [-128, '8080'],
      [255, 'ff00'],
      [256, '0001'],
      [-256, '0081'],
      [0x7fffffff, 'ffffff7f'],
      [-0x7fffffff, 'ffffffff'],
      [0x80000000, '0000008000'],
      [2 ** 32 - 2, 'feffffff00'],
      [2 ** 39 - 1, 'ffffffff7f'],
    ];
    for (const [n, hex] of cases) {
      assert.equal(toHex(encodeScriptNum(n)), hex, `encode ${n}`);
      assert.equal(decodeScriptNum(fromHex(hex), true, 5), n, `decode ${hex}`);
    }
  });

  it('round-trips every value an operation can produce (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 39) + 1, max: 2 ** 39 - 1 }), (n) => {
        const bytes = encodeScriptNum(n);
        assert.ok(bytes.length <= 5);
        assert.equal(decodeScriptNum(bytes, true, 5), n);
      }),
    );
  });

  it('refuses operands longer than the limit (4 bytes, 5 for lock times)', () => {
    assert.equal(decodeScriptNum(fromHex('0000008000'), false), undefined);
    assert.equal(decodeScriptNum(fromHex('0000008000'), false, 5), 0x80000000);
    assert.equal(decodeScriptNum(fromHex('000000000001'), false, 5), undefined);
  });

  it('refuses non-minimal encodings only when asked to (MINIMALDATA)', () => {
    for (const hex of ['00', '80', '0000', '0080', '0100', '7f00', 'ff0000']) {
      assert.equal(decodeScriptNum(fromHex(hex), true), undefined, hex);
      assert.notEqual(decodeScriptNum(fromHex(hex), false), undefined, hex);
    }
    // A padding byte is minimal when the byte below it has its top bit set.
    assert.equal(decodeScriptNum(fromHex('ff00'), true), 255);
    assert.equal(decodeScriptNum(fromHex('ff80'), true), -255);
    // Negative zero decodes to 0 when allowed.
    assert.equal(decodeScriptNum(fromHex('80'), false), 0);
  });

  it('casts to bool as Core does (negative zero is false)', () => {
    assert.equal(castToBool(new Uint8Array(0)), false);
    assert.equal(castToBool(fromHex('00')), false);
    assert.equal(castToBool(fromHex('0000')), false);
    assert.equal(castToBool(fromHex('80')), false);
    assert.equal(castToBool(fromHex('000080')), false);
    assert.equal(castToBool(fromHex('8000')), true);
    assert.equal(castToBool(fromHex('0001')), true);
    assert.equal(castToBool(fromHex('01')), true);
  });
});
