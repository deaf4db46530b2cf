import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { HDKey } from '../../../src/wallet/keys/bip32.js';
import { mnemonicToSeed } from '../../../src/wallet/keys/bip39.js';
import { type ExtendedKeySecret, KeystoreError, WalletSecrets } from '../../../src/wallet/keystore/index.js';
import { SigningKeyCache } from '../../../src/wallet/spend/wallet-keys.js';

const H = 0x80000000;
const master = HDKey.fromSeed(mnemonicToSeed('zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong'));
const fingerprint = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

function secretOf(key: HDKey, originFingerprint: Uint8Array, originPath: number[]): ExtendedKeySecret {
  return {
    originFingerprint,
    originPath,
    depth: key.depth,
    parentFingerprint: key.parentFingerprint,
    childNumber: key.childNumber,
    chainCode: key.chainCode,
    privateKey: key.privateKey!,
  };
}

describe('SigningKeyCache: keys below stored extended private keys', () => {
  const account = master.derive([48 + H, 1 + H, H, 2 + H]);
  // The master is its own origin; the account is written as [deadbeef/48h/1h/0h/2h]tprv….
  const secrets = new WalletSecrets({
    seed: new Uint8Array(32).fill(1),
    extendedKeys: [
      secretOf(master, fingerprint(master.fingerprint), []),
      secretOf(account, Uint8Array.of(0xde, 0xad, 0xbe, 0xef), [48 + H, 1 + H, H, 2 + H]),
    ],
  });

  it('derives a key at any index from the extended key whose origin it extends', () => {
    const cache = new SigningKeyCache();
    for (const i of [0, 7, 5000, 2 ** 31 - 1]) {
      const path = [84 + H, 1 + H, H, 0, i];
      const want = master.derive(path);
      const got = cache.extendedKey(
        secrets,
        regtest,
        { fingerprint: fingerprint(master.fingerprint), path },
        want.publicKey,
      );
      assert.deepEqual(got, want.privateKey);
    }
    const below = account.derive([1, 42]);
    const origin = {
      fingerprint: Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
      path: [48 + H, 1 + H, H, 2 + H, 1, 42],
    };
    assert.deepEqual(cache.extendedKey(secrets, regtest, origin, below.publicKey), below.privateKey);
  });

  it('answers nothing for another fingerprint, another path or another public key', () => {
    const cache = new SigningKeyCache();
    const path = [84 + H, 1 + H, H, 0, 3];
    const key = master.derive(path);
    const fp = fingerprint(master.fingerprint);
    assert.equal(
      cache.extendedKey(secrets, regtest, { fingerprint: new Uint8Array(4), path }, key.publicKey),
      undefined,
    );
    const origin = { fingerprint: Uint8Array.of(0xde, 0xad, 0xbe, 0xef), path: [48 + H, 0] };
    assert.equal(
      cache.extendedKey(secrets, regtest, origin, key.publicKey),
      undefined,
      'not below the account',
    );
    const other = master.derive([84 + H, 1 + H, H, 0, 4]).publicKey;
    assert.equal(cache.extendedKey(secrets, regtest, { fingerprint: fp, path }, other), undefined);
  });

  it('hands out copies, and nothing once the secrets are wiped (the keystore locked)', () => {
    const cache = new SigningKeyCache();
    const path = [84 + H, 1 + H, H, 1, 9];
    const key = master.derive(path);
    const origin = { fingerprint: fingerprint(master.fingerprint), path };
    const first = cache.extendedKey(secrets, regtest, origin, key.publicKey)!;
    first.fill(0);
    assert.deepEqual(cache.extendedKey(secrets, regtest, origin, key.publicKey), key.privateKey);
    const locked = secrets.clone();
    assert.deepEqual(cache.extendedKey(locked, regtest, origin, key.publicKey), key.privateKey);
    locked.wipe(); // what lock() does; the cache still holds keys derived for it
    assert.throws(
      () => cache.extendedKey(locked, regtest, origin, key.publicKey),
      (e: unknown) => e instanceof KeystoreError && e.code === 'locked',
    );
  });
});
