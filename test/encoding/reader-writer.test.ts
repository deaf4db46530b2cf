import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BufferReader, BufferWriter, DecodeError, fromHex, toHex } from '../../src/encoding/index.js';

describe('BufferReader/BufferWriter', () => {
  it('bytesCopy owns its bytes even when reading a Node Buffer (no view pinning the source)', () => {
    const source = Buffer.alloc(8192, 7);
    const r = new BufferReader(source);
    r.bytes(100);
    const copy = r.bytesCopy(22);
    assert.equal(copy.buffer.byteLength, 22);
    source.fill(0);
    assert.deepEqual([...copy], new Array(22).fill(7));
  });

  it('round-trips CompactSize at every width boundary', () => {
    for (const n of [0, 1, 0xfc, 0xfd, 0xffff, 0x10000, 0x1ffffff]) {
      const bytes = new BufferWriter().compactSize(n).finish();
      assert.equal(new BufferReader(bytes).compactSize(), n);
    }
  });

  it('rejects non-canonical CompactSize like Core', () => {
    for (const hex of ['fdfc00', 'fe00ff0000', 'ffffffffff00000000']) {
      assert.throws(() => new BufferReader(fromHex(hex)).compactSize(), DecodeError);
    }
  });

  it('rejects sizes above MAX_SIZE', () => {
    assert.throws(() => new BufferReader(fromHex('fe01000002')).compactSize(), /size too large/);
  });

  it('round-trips integers (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n),
        (n, b) => {
          const bytes = new BufferWriter().i64num(n).i64(b).finish();
          const r = new BufferReader(bytes);
          assert.equal(r.i64num(), n);
          assert.equal(r.i64(), b);
          r.end();
        },
      ),
    );
  });

  it('throws DecodeError on truncation, never reads past the end', () => {
    const r = new BufferReader(fromHex('0102'));
    assert.throws(() => r.u32(), DecodeError);
    assert.throws(() => new BufferReader(fromHex('05aabb')).varBytes(), DecodeError);
  });

  it('hex is strict', () => {
    assert.equal(toHex(fromHex('00ff10')), '00ff10');
    assert.throws(() => fromHex('abc'), DecodeError);
    assert.throws(() => fromHex('zz'), DecodeError);
  });
});
