import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { toHex } from '../../../src/encoding/hex.js';
import { isZeroed } from '../../../src/wallet/keys/secret.js';
import {
  Keystore,
  KeystoreError,
  KeystoreLockedError,
  MAX_UNLOCK_SECONDS,
  WalletSecrets,
  WrongPassphraseError,
} from '../../../src/wallet/keystore/index.js';
import {
  contains,
  FAST_KDF,
  fileMode,
  PASSPHRASE,
  readBytes,
  sampleSecrets,
  sleep,
  strayFiles,
  tempDir,
} from './support.js';

const { dir, cleanup } = tempDir();
after(cleanup);
let counter = 0;
const freshPath = (): string => `${dir}/wallet-${counter++}.keys`;

const code = (c: string) => (e: unknown) => e instanceof KeystoreError && e.code === c;

async function created(): Promise<{ path: string; ks: Keystore } & ReturnType<typeof sampleSecrets>> {
  const sample = sampleSecrets();
  const path = freshPath();
  const ks = await Keystore.create(path, PASSPHRASE, sample.secrets, { kdf: FAST_KDF });
  return { path, ks, ...sample };
}

describe('Keystore: create, open, unlock, lock', () => {
  it('round-trips the secrets through an encrypted file with mode 0600', async () => {
    const { path, ks, seed, mnemonic, imported } = await created();
    assert.equal(fileMode(path), 0o600);
    assert.equal(ks.isEncrypted, true);
    assert.equal(ks.isLocked, true);
    assert.deepEqual(ks.kdfParams, FAST_KDF);
    const opened = await Keystore.open(path);
    assert.equal(opened.isLocked, true);
    assert.throws(() => opened.getSecrets(), KeystoreLockedError);
    await opened.unlock(PASSPHRASE, 60);
    assert.equal(opened.isLocked, false);
    const secrets = opened.getSecrets();
    assert.deepEqual(secrets.seed, seed);
    assert.equal(secrets.mnemonic(), mnemonic);
    assert.equal(secrets.importedKeys.length, 1);
    assert.deepEqual(secrets.importedKeys[0]!.privateKey, imported);
    assert.equal(secrets.importedKeys[0]!.compressed, true);
    const seedView = secrets.seed;
    const mnemonicView = secrets.mnemonicBytes!;
    const keyView = secrets.importedKeys[0]!.privateKey;
    opened.lock();
    assert.equal(opened.isLocked, true);
    assert.ok(isZeroed(seedView) && isZeroed(mnemonicView) && isZeroed(keyView), 'lock wipes the secrets');
    assert.throws(() => secrets.seed, /wiped/);
    assert.throws(() => opened.getSecrets(), KeystoreLockedError);
  });

  it('a wrong passphrase throws WrongPassphraseError and changes nothing', async () => {
    const { path, ks, seed } = await created();
    const before = readBytes(path);
    await assert.rejects(ks.unlock('wrong horse', 60), WrongPassphraseError);
    await assert.rejects(ks.unlock(`${PASSPHRASE} `, 60), WrongPassphraseError);
    assert.equal(ks.isLocked, true);
    assert.deepEqual(readBytes(path), before);
    // Already unlocked: a wrong passphrase leaves it unlocked with the same secrets (as Core).
    await ks.unlock(PASSPHRASE, 60);
    await assert.rejects(ks.unlock('wrong horse', 60), WrongPassphraseError);
    assert.equal(ks.isLocked, false);
    assert.deepEqual(ks.getSecrets().seed, seed);
    assert.deepEqual(readBytes(path), before);
    ks.lock();
  });

  it('follows walletpassphrase argument rules', async () => {
    const { ks } = await created();
    await assert.rejects(ks.unlock(PASSPHRASE, -1), /Timeout cannot be negative/);
    await assert.rejects(ks.unlock(PASSPHRASE, Number.NaN), code('invalid-argument'));
    await assert.rejects(ks.unlock('', 10), /passphrase cannot be empty/);
    await assert.rejects(
      Keystore.create(freshPath(), '', sampleSecrets().secrets),
      /passphrase cannot be empty/,
    );
  });

  it('relocks and wipes when the timeout passes', { timeout: 5000 }, async () => {
    const { ks } = await created();
    await ks.unlock(PASSPHRASE, 0.05);
    const seedView = ks.getSecrets().seed;
    assert.ok(!isZeroed(seedView));
    await sleep(150);
    assert.ok(isZeroed(seedView), 'the timer wiped the seed');
    assert.equal(ks.isLocked, true);
    assert.throws(() => ks.getSecrets(), KeystoreLockedError);
    // Timeout 0: the passphrase is checked and the keystore is locked again straight away.
    await ks.unlock(PASSPHRASE, 0);
    assert.equal(ks.isLocked, true);
  });

  it('enforces the deadline on access too, clamps at 100,000,000 s, and lets a new unlock move it', async () => {
    const { path } = await created();
    let now = 1_700_000_000_000;
    const ks = await Keystore.open(path, { now: () => now });
    await ks.unlock(PASSPHRASE, 10);
    assert.equal(ks.unlockedUntil, now + 10_000);
    const seedView = ks.getSecrets().seed;
    now += 10_000; // the timer has not run (real time barely moved); the clock says it is due
    assert.throws(() => ks.getSecrets(), KeystoreLockedError);
    assert.ok(isZeroed(seedView));
    await ks.unlock(PASSPHRASE, 1e12);
    assert.equal(ks.unlockedUntil, now + MAX_UNLOCK_SECONDS * 1000);
    await ks.unlock(PASSPHRASE, 5); // Core: a second walletpassphrase sets a new unlock time
    assert.equal(ks.unlockedUntil, now + 5000);
    ks.lock();
    assert.equal(ks.unlockedUntil, null);
  });

  it('lock() during an unlock in progress leaves the keystore locked', async () => {
    const { ks } = await created();
    const pending = ks.unlock(PASSPHRASE, 60);
    ks.lock();
    await pending;
    assert.equal(ks.isLocked, true);
  });

  it('refuses to overwrite an existing file', async () => {
    const { path } = await created();
    const before = readBytes(path);
    await assert.rejects(
      Keystore.create(path, PASSPHRASE, sampleSecrets().secrets, { kdf: FAST_KDF }),
      code('exists'),
    );
    await assert.rejects(Keystore.createUnencrypted(path, sampleSecrets().secrets), code('exists'));
    assert.deepEqual(readBytes(path), before);
  });
});

describe('Keystore: changing the passphrase and the secrets', () => {
  it('changePassphrase re-encrypts atomically; a wrong old passphrase changes nothing', async () => {
    const { path, ks, seed } = await created();
    const before = readBytes(path);
    await assert.rejects(ks.changePassphrase('wrong horse', 'new one'), WrongPassphraseError);
    assert.deepEqual(readBytes(path), before);
    await ks.changePassphrase(PASSPHRASE, 'new passphrase', { kdf: FAST_KDF });
    const after = readBytes(path);
    assert.notDeepEqual(after.subarray(13, 45), before.subarray(13, 45), 'a new salt');
    assert.equal(fileMode(path), 0o600);
    assert.deepEqual(
      strayFiles(dir, '').filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
    assert.equal(ks.isLocked, true, 'a locked keystore stays locked');
    const reopened = await Keystore.open(path);
    await assert.rejects(reopened.unlock(PASSPHRASE, 60), WrongPassphraseError);
    await reopened.unlock('new passphrase', 60);
    assert.deepEqual(reopened.getSecrets().seed, seed);
    reopened.lock();
  });

  it('an unlocked keystore stays unlocked through a passphrase change and can still write', async () => {
    const { path, ks, seed } = await created();
    await ks.unlock(PASSPHRASE, 60);
    await ks.changePassphrase(PASSPHRASE, 'second', { kdf: FAST_KDF });
    assert.equal(ks.isLocked, false);
    assert.deepEqual(ks.getSecrets().seed, seed);
    // The in-memory key is the new one: secrets written now open with the new passphrase.
    const next = new WalletSecrets({ seed: new Uint8Array(32).fill(7), mnemonic: null });
    await ks.setSecrets(next);
    assert.equal(fileMode(path), 0o600);
    assert.deepEqual(ks.getSecrets().seed, new Uint8Array(32).fill(7));
    const reopened = await Keystore.open(path);
    await reopened.unlock('second', 60);
    assert.deepEqual(reopened.getSecrets().seed, new Uint8Array(32).fill(7));
    assert.equal(reopened.getSecrets().mnemonic(), null);
    reopened.lock();
    ks.lock();
  });

  it('setSecrets needs the keystore unlocked', async () => {
    const { ks } = await created();
    await assert.rejects(ks.setSecrets(sampleSecrets().secrets), KeystoreLockedError);
  });
});

describe('Keystore: unencrypted only on request', () => {
  it('stores in the clear with mode 0600, has no lock, and can be encrypted later', async () => {
    const { secrets, seed, mnemonic } = sampleSecrets();
    const path = freshPath();
    const ks = await Keystore.createUnencrypted(path, secrets);
    assert.equal(fileMode(path), 0o600);
    assert.equal(ks.isEncrypted, false);
    assert.equal(ks.isLocked, false);
    assert.deepEqual(ks.getSecrets().seed, seed);
    await assert.rejects(ks.unlock(PASSPHRASE, 10), /unencrypted wallet, but walletpassphrase was called/);
    assert.throws(() => ks.lock(), code('wrong-encryption-state'));
    await assert.rejects(ks.changePassphrase('a', 'b'), code('wrong-encryption-state'));
    // The plaintext really is in the file: the scan used on encrypted files can see it.
    const plain = readBytes(path);
    assert.ok(contains(plain, seed) && contains(plain, Buffer.from(mnemonic)));
    const reopened = await Keystore.open(path);
    assert.deepEqual(reopened.getSecrets().seed, seed);
    await reopened.encrypt(PASSPHRASE, { kdf: FAST_KDF });
    assert.equal(reopened.isEncrypted, true);
    assert.equal(reopened.isLocked, true);
    assert.equal(fileMode(path), 0o600);
    const encrypted = readBytes(path);
    assert.ok(!contains(encrypted, seed) && !contains(encrypted, Buffer.from(mnemonic)));
    await assert.rejects(reopened.encrypt(PASSPHRASE), code('wrong-encryption-state'));
    await reopened.unlock(PASSPHRASE, 60);
    assert.equal(reopened.getSecrets().mnemonic(), mnemonic);
    reopened.close();
    assert.equal(reopened.isLocked, true);
  });
});

describe('Keystore: secrets never leave in the clear', () => {
  it('the written file contains neither the seed nor the mnemonic nor the imported key', async () => {
    const { path, ks, seed, mnemonic, imported } = await created();
    const needles = [seed, seed.subarray(0, 16), imported, Buffer.from(mnemonic), Buffer.from(toHex(seed))];
    for (const word of mnemonic.split(' ')) if (word.length >= 6) needles.push(Buffer.from(` ${word} `));
    const scan = (): void => {
      const bytes = readBytes(path);
      for (const needle of needles) assert.ok(!contains(bytes, needle), 'plaintext secret found in the file');
    };
    scan();
    await ks.unlock(PASSPHRASE, 60);
    await ks.changePassphrase(PASSPHRASE, 'other', { kdf: FAST_KDF });
    scan();
    await ks.setSecrets(ks.getSecrets().clone());
    scan();
    ks.lock();
  });

  it('logs show no secret: keystore, secrets and errors are redacted', async () => {
    const { ks, seed, mnemonic } = await created();
    await ks.unlock(PASSPHRASE, 60);
    const secrets = ks.getSecrets();
    const texts = [
      inspect(ks),
      JSON.stringify(ks),
      inspect(secrets),
      JSON.stringify(secrets),
      inspect({ secrets }),
    ];
    const err = await ks.unlock('wrong', 1).catch((e: unknown) => e);
    texts.push(inspect(err), JSON.stringify(err));
    for (const text of texts) {
      assert.ok(!text.includes(toHex(seed)), text);
      assert.ok(!text.includes(mnemonic.split(' ').slice(0, 3).join(' ')), text);
      assert.ok(!text.includes(PASSPHRASE), text);
    }
    assert.match(inspect(secrets), /redacted/);
    ks.lock();
  });
});
