import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { privateKeyVerify } from '../../../src/crypto/secp256k1.js';
import { isZeroed } from '../../../src/wallet/keys/secret.js';
import {
  type ExtendedKeySecret,
  KeystoreCorruptError,
  KeystoreError,
  WalletSecrets,
} from '../../../src/wallet/keystore/index.js';
import { decodeSecrets, encodeSecrets } from '../../../src/wallet/keystore/secrets.js';

const privateKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter(privateKeyVerify);
const u32 = fc.integer({ min: 0, max: 0xffffffff });

const extendedKey: fc.Arbitrary<ExtendedKeySecret> = fc.record({
  originFingerprint: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  originPath: fc.array(u32, { maxLength: 6 }),
  depth: fc.integer({ min: 0, max: 255 }),
  parentFingerprint: u32,
  childNumber: u32,
  chainCode: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  privateKey,
});

function sample(): ExtendedKeySecret {
  return {
    originFingerprint: Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
    originPath: [0x80000054, 0x80000001, 0x80000000],
    depth: 3,
    parentFingerprint: 0x01020304,
    childNumber: 0x80000000,
    chainCode: new Uint8Array(32).fill(7),
    privateKey: new Uint8Array(32).fill(9),
  };
}

/** Version 1 as it was written before extended keys existed, built here byte by byte. */
function versionOne(seed: Uint8Array, mnemonic: Uint8Array, key: Uint8Array): Uint8Array {
  return Uint8Array.from([
    1,
    seed.length,
    ...seed,
    mnemonic.length >> 8,
    mnemonic.length & 0xff,
    ...mnemonic,
    0,
    1,
    ...key,
    1,
  ]);
}

describe('WalletSecrets with extended private keys (secrets version 2)', () => {
  it('reads version 1, and still writes secrets without extended keys as version 1, byte for byte', () => {
    const seed = new Uint8Array(64).fill(3);
    const mnemonic = new TextEncoder().encode('abandon about');
    const key = new Uint8Array(32).fill(5);
    const old = versionOne(seed, mnemonic, key);
    const secrets = decodeSecrets(old);
    assert.deepEqual(secrets.seed, seed);
    assert.equal(secrets.mnemonic(), 'abandon about');
    assert.deepEqual(
      secrets.importedKeys.map((k) => [k.privateKey, k.compressed]),
      [[key, true]],
    );
    assert.deepEqual(secrets.extendedKeys, []);
    assert.deepEqual(encodeSecrets(secrets), old);
  });

  it('round-trips extended keys beside the version 1 fields', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.array(fc.record({ privateKey, compressed: fc.boolean() }), { maxLength: 3 }),
        fc.array(extendedKey, { minLength: 1, maxLength: 4 }),
        (seed, importedKeys, extendedKeys) => {
          const encoded = encodeSecrets(new WalletSecrets({ seed, importedKeys, extendedKeys }));
          assert.equal(encoded[0], 2);
          const back = decodeSecrets(encoded);
          encoded.fill(0); // the decoded object owns copies
          assert.deepEqual(back.seed, seed);
          assert.equal(back.importedKeys.length, importedKeys.length);
          assert.deepEqual(
            back.extendedKeys.map((k) => ({ ...k, originPath: [...k.originPath] })),
            extendedKeys.map((k) => ({ ...k, originPath: [...k.originPath] })),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('copies its input, wipes extended keys with the rest, and never prints them', () => {
    const given = sample();
    const secrets = new WalletSecrets({ seed: new Uint8Array(32).fill(1), extendedKeys: [given] });
    const clone = secrets.clone();
    const view = secrets.extendedKeys[0]!;
    assert.equal(JSON.stringify(secrets).includes('9,9'), false);
    assert.match(JSON.stringify(secrets), /"extendedKeys":1/);
    secrets.wipe();
    assert.ok(isZeroed(view.privateKey) && isZeroed(view.chainCode));
    assert.ok(!isZeroed(given.privateKey), "the caller's arrays are untouched");
    assert.deepEqual(clone.extendedKeys[0]!.privateKey, given.privateKey);
    assert.throws(() => secrets.extendedKeys, /wiped/);
  });

  it('rejects malformed extended keys and damaged encodings', () => {
    const invalid = (e: unknown) => e instanceof KeystoreError && e.code === 'invalid-argument';
    const seed = new Uint8Array(32).fill(1);
    const bad: Partial<ExtendedKeySecret>[] = [
      { originFingerprint: new Uint8Array(3) },
      { chainCode: new Uint8Array(31) },
      { privateKey: new Uint8Array(32) },
      { depth: 256 },
      { originPath: [2 ** 32] },
      { childNumber: -1 },
    ];
    for (const change of bad) {
      assert.throws(() => new WalletSecrets({ seed, extendedKeys: [{ ...sample(), ...change }] }), invalid);
    }
    const good = encodeSecrets(new WalletSecrets({ seed, extendedKeys: [sample()] }));
    assert.throws(() => decodeSecrets(good.subarray(0, good.length - 1)), KeystoreCorruptError);
    assert.throws(() => decodeSecrets(Uint8Array.from([...good, 0])), KeystoreCorruptError);
    assert.throws(() => decodeSecrets(Uint8Array.from([3, ...good.subarray(1)])), KeystoreCorruptError);
    // A version 1 file read as version 2 lacks the extended key count.
    const v1 = encodeSecrets(new WalletSecrets({ seed }));
    assert.throws(() => decodeSecrets(Uint8Array.from([2, ...v1.subarray(1)])), KeystoreCorruptError);
  });
});
