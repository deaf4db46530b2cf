import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { sha256 } from '../../../src/crypto/hash.js';
import { seal, unseal } from '../../../src/wallet/keystore/cipher.js';
import { HEADER_BYTES, NONCE_BYTES, TAG_BYTES } from '../../../src/wallet/keystore/format.js';
import {
  DEFAULT_SCRYPT_PARAMS,
  Keystore,
  KeystoreAuthenticationError,
  KeystoreCorruptError,
  KeystoreError,
  WrongPassphraseError,
} from '../../../src/wallet/keystore/index.js';
import { deriveKey } from '../../../src/wallet/keystore/kdf.js';
import { FAST_KDF, PASSPHRASE, readBytes, sampleSecrets, tamper, tempDir } from './support.js';

const { dir, cleanup } = tempDir();
after(cleanup);
let counter = 0;

// Offsets of the fields (see src/wallet/keystore/format.ts).
const LOG2N = 10;
const R = 11;
const SALT = 13;
const KEY_CHECK = 45;
const NONCE = 77;
const CIPHERTEXT = HEADER_BYTES + 4;
const TAG_FROM_END = -(32 + TAG_BYTES); // the tag sits just before the 32-byte checksum

async function freshFile(): Promise<string> {
  const path = `${dir}/tamper-${counter++}.keys`;
  await Keystore.create(path, PASSPHRASE, sampleSecrets().secrets, { kdf: FAST_KDF });
  return path;
}

/** Opens and tries to unlock; returns what was thrown (or 'unlocked'). */
async function attempt(path: string): Promise<unknown> {
  try {
    const ks = await Keystore.open(path);
    await ks.unlock(PASSPHRASE, 60);
    ks.lock();
    return 'unlocked';
  } catch (e) {
    return e;
  }
}

describe('Keystore: damage and tampering', () => {
  it('damage that leaves the checksum stale is reported as corruption, never as a wrong passphrase', async () => {
    for (const offset of [0, 8, SALT, KEY_CHECK, NONCE, CIPHERTEXT, TAG_FROM_END, -1]) {
      const path = await freshFile();
      tamper(path, offset, true);
      assert.ok((await attempt(path)) instanceof KeystoreCorruptError, `offset ${offset}`);
    }
    const path = await freshFile();
    writeFileSync(path, readBytes(path).subarray(0, 100)); // truncated copy
    assert.ok((await attempt(path)) instanceof KeystoreCorruptError);
  });

  it('an edited ciphertext, tag or nonce (checksum fixed) fails GCM authentication', async () => {
    for (const offset of [CIPHERTEXT, CIPHERTEXT + 40, TAG_FROM_END, -33, NONCE, NONCE + NONCE_BYTES - 1]) {
      const path = await freshFile();
      tamper(path, offset);
      const err = await attempt(path);
      assert.ok(err instanceof KeystoreAuthenticationError, `offset ${offset}: ${String(err)}`);
      assert.equal((err as KeystoreError).code, 'authentication-failed');
    }
  });

  it('edited KDF inputs (salt, r, key check) change the key: refused, nothing decrypted', async () => {
    // These fields feed the key derivation or its check, so an edit is indistinguishable from a
    // wrong passphrase; either way no plaintext is produced (GCM would refuse it as well).
    for (const offset of [SALT, SALT + 31, R, KEY_CHECK, KEY_CHECK + 31]) {
      const path = await freshFile();
      tamper(path, offset);
      assert.ok((await attempt(path)) instanceof WrongPassphraseError, `offset ${offset}`);
    }
  });

  it('refuses unknown versions, unknown protection and out-of-range scrypt parameters', async () => {
    const withByte = async (offset: number, value: number): Promise<unknown> => {
      const path = await freshFile();
      const bytes = readBytes(path);
      bytes[offset] = value;
      bytes.set(sha256(bytes.subarray(0, bytes.length - 32)), bytes.length - 32);
      writeFileSync(path, bytes);
      return attempt(path);
    };
    const v = await withByte(8, 2);
    assert.ok(v instanceof KeystoreError && v.code === 'unsupported-version');
    const p = await withByte(9, 7);
    assert.ok(p instanceof KeystoreError && p.code === 'unsupported-version');
    // A crafted file must not make us allocate 2^30 * 1 KiB before the key check can refuse it.
    assert.ok((await withByte(LOG2N, 30)) instanceof KeystoreCorruptError);
    assert.ok((await withByte(R, 0)) instanceof KeystoreCorruptError);
  });

  it('every header byte is GCM associated data', () => {
    const key = new Uint8Array(32).fill(9);
    const nonce = new Uint8Array(NONCE_BYTES).fill(3);
    const header = Uint8Array.from({ length: HEADER_BYTES }, (_, i) => i);
    const plaintext = new TextEncoder().encode('seed and mnemonic');
    const { ciphertext, tag } = seal(key, nonce, header, plaintext);
    assert.deepEqual(unseal(key, nonce, header, ciphertext, tag), plaintext);
    for (let i = 0; i < HEADER_BYTES; i++) {
      const edited = header.slice();
      edited[i]! ^= 0x80;
      assert.equal(unseal(key, nonce, edited, ciphertext, tag), null, `header byte ${i}`);
    }
  });
});

describe('scrypt cost (printed, not asserted)', () => {
  it('measures the default parameters and opens a keystore made with them', async (t) => {
    const salt = new Uint8Array(32);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = process.hrtime.bigint();
      (await deriveKey(PASSPHRASE, salt, DEFAULT_SCRYPT_PARAMS)).fill(0);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const { log2N, r, p } = DEFAULT_SCRYPT_PARAMS;
    const message = `scrypt N=2^${log2N} r=${r} p=${p} (${(128 * r * 2 ** log2N) / 2 ** 20} MiB): ${times
      .map((ms) => `${ms.toFixed(0)} ms`)
      .join(', ')}`;
    t.diagnostic(message);
    console.log(message);
    const path = `${dir}/default-kdf.keys`;
    const ks = await Keystore.create(path, PASSPHRASE, sampleSecrets().secrets);
    assert.deepEqual(ks.kdfParams, DEFAULT_SCRYPT_PARAMS);
    await ks.unlock(PASSPHRASE, 1);
    ks.lock();
  });
});
