import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { testnet } from '../../../src/consensus/networks/testnet.js';
import { privateKeyVerify } from '../../../src/crypto/secp256k1.js';
import { base58CheckEncode } from '../../../src/encoding/base58.js';
import { DecodeError } from '../../../src/encoding/errors.js';
import { fromHex, toHex } from '../../../src/encoding/hex.js';
import { decodeWif, encodeWif, isZeroed, WifKey } from '../../../src/wallet/keys/index.js';

// [hex key, compressed, network, WIF]. Sources: the Bitcoin wiki "Wallet import format" example
// (uncompressed and compressed forms of one key); BIP49's test vector (testnet, compressed).
const VECTORS: [string, boolean, typeof mainnet, string][] = [
  [
    '0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d',
    false,
    mainnet,
    '5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ',
  ],
  [
    '0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d',
    true,
    mainnet,
    'KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617',
  ],
  [
    'c9bdb49cfbaedca21c4b1f3a7803c34636b1d7dc55a717132443fc3f4c5867e8',
    true,
    testnet,
    'cULrpoZGXiuC19Uhvykx7NugygA3k86b3hmdCeyvHYQZSxojGyXJ',
  ],
];

const N = fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

/** A WIF string from raw parts, bypassing encodeWif's checks, to build malformed inputs. */
function rawWif(prefix: number, key: Uint8Array, suffix: number[] = []): string {
  return base58CheckEncode(Uint8Array.from([prefix, ...key, ...suffix]));
}

describe('WIF', () => {
  it('encodes and decodes the known vectors', () => {
    for (const [hex, compressed, network, wif] of VECTORS) {
      assert.equal(encodeWif(fromHex(hex), compressed, network), wif);
      const key = decodeWif(wif, network);
      assert.equal(toHex(key.privateKey), hex);
      assert.equal(key.compressed, compressed);
      assert.equal(key.publicKey().length, compressed ? 33 : 65);
    }
    // Testnet and regtest share the prefix (0xef), as in Core.
    assert.equal(decodeWif(VECTORS[2]![3], regtest).compressed, true);
  });

  it('round-trips random keys on every network, compressed or not', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter(privateKeyVerify),
        fc.boolean(),
        fc.constantFrom(mainnet, testnet, regtest),
        (key, compressed, network) => {
          const decoded = decodeWif(encodeWif(key, compressed, network), network);
          assert.deepEqual(decoded.privateKey, key);
          assert.equal(decoded.compressed, compressed);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects bad checksums, other networks, bad lengths, bad flags and out-of-range keys', () => {
    const key = fromHex(VECTORS[0]![0]);
    const wif = VECTORS[1]![3];
    const badChecksum = wif.slice(0, -1) + (wif.endsWith('7') ? '8' : '7');
    assert.throws(
      () => decodeWif(badChecksum, mainnet),
      (e: unknown) => e instanceof DecodeError && e.code === 'bad-checksum',
    );
    assert.throws(
      () => decodeWif(`${wif}0`, mainnet),
      (e: unknown) => e instanceof DecodeError && e.code === 'bad-base58',
    );
    assert.throws(() => decodeWif(wif, testnet), /key is for main, not this network/);
    assert.throws(() => decodeWif(VECTORS[2]![3], mainnet), /key is for testnet\/regtest/);
    assert.throws(() => decodeWif(rawWif(0x42, key), mainnet), /unknown version byte/);
    assert.throws(() => decodeWif(rawWif(0x80, key, [0x02]), mainnet), /flag byte must be 0x01/);
    assert.throws(() => decodeWif(rawWif(0x80, key.subarray(1)), mainnet), /32-byte payload/);
    assert.throws(() => decodeWif(rawWif(0x80, key, [1, 1]), mainnet), /35-byte payload/);
    assert.throws(() => decodeWif(rawWif(0x80, new Uint8Array(32), [1]), mainnet), /not in 1\.\.n-1/);
    assert.throws(() => decodeWif(rawWif(0x80, N, [1]), mainnet), /not in 1\.\.n-1/);
    assert.throws(() => encodeWif(N, true, mainnet), RangeError);
    assert.throws(() => encodeWif(new Uint8Array(31), true, mainnet), RangeError);
  });

  it('redacts the key in logs and wipes it on request', () => {
    const key = decodeWif(VECTORS[1]![3], mainnet);
    for (const text of [inspect(key), JSON.stringify(key)]) {
      assert.ok(!text.includes(VECTORS[1]![0]), text);
      assert.match(text, /redacted/);
    }
    const view = key.privateKey;
    key.wipe();
    assert.ok(isZeroed(view));
    assert.throws(() => key.privateKey, /wiped/);
    assert.throws(() => new WifKey(new Uint8Array(32), true), RangeError);
  });
});
