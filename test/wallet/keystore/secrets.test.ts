import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { privateKeyVerify } from '../../../src/crypto/secp256k1.js';
import { isZeroed } from '../../../src/wallet/keys/secret.js';
import { KeystoreCorruptError, KeystoreError, WalletSecrets } from '../../../src/wallet/keystore/index.js';
import { decodeSecrets, encodeSecrets } from '../../../src/wallet/keystore/secrets.js';

describe('WalletSecrets encoding', () => {
  it('round-trips seed, mnemonic and imported keys', () => {
    const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter(privateKeyVerify);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.option(fc.string({ minLength: 1, maxLength: 300 }), { nil: null }),
        fc.array(fc.record({ privateKey: key, compressed: fc.boolean() }), { maxLength: 5 }),
        (seed, mnemonic, importedKeys) => {
          const secrets = new WalletSecrets({ seed, mnemonic, importedKeys });
          const encoded = encodeSecrets(secrets);
          const back = decodeSecrets(encoded);
          assert.deepEqual(back.seed, seed);
          assert.equal(back.mnemonic(), mnemonic === null ? null : mnemonic.normalize('NFKD'));
          assert.deepEqual(
            back.importedKeys.map((k) => [k.privateKey, k.compressed]),
            importedKeys.map((k) => [k.privateKey, k.compressed]),
          );
          // The decoded object owns its arrays: wiping the encoding does not touch it.
          encoded.fill(0);
          assert.deepEqual(back.seed, seed);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('copies its input and wipes only its own arrays', () => {
    const seed = new Uint8Array(32).fill(5);
    const mnemonicBytes = new TextEncoder().encode('abandon about');
    const secrets = new WalletSecrets({ seed, mnemonic: mnemonicBytes });
    const clone = secrets.clone();
    const view = secrets.seed;
    secrets.wipe();
    assert.ok(isZeroed(view));
    assert.ok(secrets.isWiped);
    assert.ok(!isZeroed(seed) && !isZeroed(mnemonicBytes), "the caller's arrays are untouched");
    assert.deepEqual(clone.seed, seed);
    assert.equal(clone.mnemonic(), 'abandon about');
    assert.throws(() => secrets.mnemonic(), /wiped/);
  });

  it('rejects bad input and bad encodings', () => {
    const invalid = (e: unknown) => e instanceof KeystoreError && e.code === 'invalid-argument';
    assert.throws(() => new WalletSecrets({ seed: new Uint8Array(15) }), invalid);
    assert.throws(() => new WalletSecrets({ seed: new Uint8Array(65) }), invalid);
    assert.throws(
      () =>
        new WalletSecrets({
          seed: new Uint8Array(32),
          importedKeys: [{ privateKey: new Uint8Array(32), compressed: true }],
        }),
      invalid,
    );
    const good = encodeSecrets(new WalletSecrets({ seed: new Uint8Array(16).fill(1), mnemonic: 'x' }));
    assert.throws(() => decodeSecrets(good.subarray(0, good.length - 1)), KeystoreCorruptError);
    assert.throws(() => decodeSecrets(Uint8Array.from([...good, 0])), KeystoreCorruptError);
    assert.throws(() => decodeSecrets(Uint8Array.from([2, ...good.subarray(1)])), KeystoreCorruptError);
  });
});
