import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hmac } from '@noble/hashes/hmac.js';
import { ripemd160 as nobleRipemd160, sha1 as nobleSha1 } from '@noble/hashes/legacy.js';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import {
  hash160,
  hash256,
  hmacSha256,
  hmacSha512,
  ripemd160,
  sha1,
  sha256,
  taggedHash,
} from '../../src/crypto/hash.js';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/encoding/index.js';

/** Outputs are plain Uint8Arrays (not Buffers), so deepEqual compares them with noble's directly. */
const same = (a: Uint8Array, b: Uint8Array): void => {
  assert.equal(Object.getPrototypeOf(a), Uint8Array.prototype);
  assert.deepEqual(a, b);
};

/** Sizes around the 64-byte block boundary matter most: padding bugs live there. */
const data = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 55, maxLength: 129 }));

describe('hash functions (node:crypto) against @noble/hashes', () => {
  it('sha256, sha1, ripemd160 (property)', () => {
    fc.assert(
      fc.property(data, (d) => {
        same(sha256(d), nobleSha256(d));
        same(sha1(d), nobleSha1(d));
        same(ripemd160(d), nobleRipemd160(d));
      }),
      { numRuns: 2000 },
    );
  });

  it('hash256 = sha256(sha256) and hash160 = ripemd160(sha256) (property)', () => {
    fc.assert(
      fc.property(data, (d) => {
        same(hash256(d), nobleSha256(nobleSha256(d)));
        same(hash160(d), nobleRipemd160(nobleSha256(d)));
      }),
      { numRuns: 2000 },
    );
  });

  it('taggedHash is BIP340 sha256(sha256(tag) || sha256(tag) || msgs) (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(data, { maxLength: 4 }), (tag, msgs) => {
        const t = nobleSha256(utf8(tag));
        same(taggedHash(tag, ...msgs), nobleSha256(concatBytes(t, t, ...msgs)));
        same(taggedHash(tag, ...msgs), taggedHash(tag, concatBytes(...msgs))); // cached tag
      }),
      { numRuns: 500 },
    );
  });

  it('hmacSha256 and hmacSha512 (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), data, (key, d) => {
        same(hmacSha256(key, d), hmac(nobleSha256, key, d));
        same(hmacSha512(key, d), hmac(nobleSha512, key, d));
      }),
      { numRuns: 500 },
    );
  });

  it('matches published digests', () => {
    assert.equal(
      toHex(sha256(utf8('abc'))),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    assert.equal(toHex(ripemd160(utf8(''))), '9c1185a5c5e9fc54612808977ee8f548b2258d31');
    assert.equal(toHex(sha1(utf8('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    // hash256 of the mainnet genesis block header is its block hash (shown reversed).
    const genesis = fromHex(
      '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e' +
        '67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c',
    );
    assert.equal(
      toHex(hash256(genesis).reverse()),
      '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
    );
  });
});
