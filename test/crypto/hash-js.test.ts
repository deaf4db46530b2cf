import assert from 'node:assert/strict';
import { hash as nodeHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ripemd160Into } from '../../src/crypto/ripemd160-js.js';
import { sha256Into } from '../../src/crypto/sha256-js.js';
import { toHex, utf8 } from '../../src/encoding/index.js';

/**
 * The allocation-free JS hashes that hash.ts uses for short inputs, checked against OpenSSL (through
 * node:crypto) directly, at every length across several block boundaries, at offsets, and in place.
 */

type Into = (data: Uint8Array, start: number, end: number, out: Uint8Array, outOff: number) => void;
const IMPLS: ReadonlyArray<[string, Into, number]> = [
  ['sha256', sha256Into, 32],
  ['ripemd160', ripemd160Into, 20],
];

const openssl = (algorithm: string, data: Uint8Array): string => nodeHash(algorithm, data, 'hex');

function js(into: Into, size: number, data: Uint8Array): string {
  const out = new Uint8Array(size);
  into(data, 0, data.length, out, 0);
  return toHex(out);
}

/** Deterministic bytes: i * 131 + 7 mod 256 (every byte value occurs). */
const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 0xff);

describe('JS SHA-256 and RIPEMD-160 against OpenSSL', () => {
  for (const [name, into, size] of IMPLS) {
    it(`${name}: every length from 0 to 300 bytes (padding at 55/56/63/64 and beyond)`, () => {
      for (let n = 0; n <= 300; n++) {
        const data = bytes(n);
        assert.equal(js(into, size, data), openssl(name, data), `length ${n}`);
      }
    });

    it(`${name}: random data at random offsets, into an output at an offset (property)`, () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 400 }),
          fc.nat(40),
          fc.nat(40),
          fc.nat(16),
          (data, cutStart, cutEnd, outOff) => {
            const start = Math.min(cutStart, data.length);
            const end = Math.max(start, data.length - cutEnd);
            const out = new Uint8Array(outOff + size + 3).fill(0xee);
            into(data, start, end, out, outOff);
            assert.equal(
              toHex(out.subarray(outOff, outOff + size)),
              openssl(name, data.subarray(start, end)),
            );
            // Nothing outside the digest is written.
            assert.ok(out.subarray(0, outOff).every((b) => b === 0xee));
            assert.ok(out.subarray(outOff + size).every((b) => b === 0xee));
          },
        ),
        { numRuns: 1000 },
      );
    });

    it(`${name}: the digest may overwrite its own input (SHA256d's second round does)`, () => {
      const data = bytes(64);
      const expected = openssl(name, data.subarray(0, 32));
      into(data, 0, 32, data, 0);
      assert.equal(toHex(data.subarray(0, size)), expected);
    });

    it(`${name}: one million 'a' (the standard long vector: 15,625 blocks, length > 2^22 bits)`, () => {
      const data = new Uint8Array(1_000_000).fill(0x61);
      assert.equal(js(into, size, data), openssl(name, data));
    });
  }

  it('matches the published vectors', () => {
    assert.equal(
      js(sha256Into, 32, utf8('abc')),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    assert.equal(
      js(sha256Into, 32, utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    assert.equal(js(ripemd160Into, 20, utf8('')), '9c1185a5c5e9fc54612808977ee8f548b2258d31');
    assert.equal(js(ripemd160Into, 20, utf8('message digest')), '5d0689ef49d2fae572b881b123a85ffa21595f36');
    assert.equal(
      js(
        ripemd160Into,
        20,
        utf8('12345678901234567890123456789012345678901234567890123456789012345678901234567890'),
      ),
      '9b752e45573d4b39f4dbd3323cab82bf63326bfb',
    );
  });
});
