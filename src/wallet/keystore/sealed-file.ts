/**
 * Secrets <-> encrypted keystore file bytes: the cryptographic steps of the keystore, without
 * its lock state or disk I/O. Every function wipes the intermediate key material it creates.
 */
import { randomBytes } from 'node:crypto';
import { wipe } from '../keys/secret.js';
import { keyCheckMatches, seal, splitDerivedKey, unseal } from './cipher.js';
import {
  KeystoreAuthenticationError,
  KeystoreCorruptError,
  KeystoreError,
  WrongPassphraseError,
} from './errors.js';
import {
  decodeFile,
  type EncryptedHeader,
  encodeEncryptedFile,
  encodeHeader,
  NONCE_BYTES,
  SALT_BYTES,
} from './format.js';
import { checkScryptParams, deriveKey, type ScryptParams } from './kdf.js';
import { decodeSecrets, encodeSecrets, type WalletSecrets } from './secrets.js';

/** Core refuses empty passphrases (walletpassphrase, encryptwallet, walletpassphrasechange). */
export function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new KeystoreError('invalid-argument', 'passphrase cannot be empty'); // Core's wording
  }
}

/** The header of an encrypted file, or the reason it is not one. */
export function encryptedHeaderOf(file: Uint8Array): EncryptedHeader {
  const parsed = decodeFile(file);
  if (parsed.protection !== 'scrypt-aes-256-gcm')
    throw new KeystoreCorruptError('expected an encrypted keystore');
  try {
    checkScryptParams(parsed.header.kdf);
  } catch (cause) {
    throw new KeystoreCorruptError('scrypt parameters out of range', { cause });
  }
  return parsed.header;
}

/** Encrypts `secrets` under `key` into a complete file, with a fresh nonce. */
export function sealFile(
  key: Uint8Array,
  base: Omit<EncryptedHeader, 'nonce'>,
  secrets: WalletSecrets,
): Uint8Array {
  // A random 96-bit nonce per encryption: a key encrypts one file per passphrase change or
  // secrets update, far below the 2^32 messages NIST SP 800-38D allows for random nonces.
  const nonce = randomBytes(NONCE_BYTES);
  const headerBytes = encodeHeader({ ...base, nonce });
  const plaintext = encodeSecrets(secrets);
  try {
    const { ciphertext, tag } = seal(key, nonce, headerBytes, plaintext);
    return encodeEncryptedFile(headerBytes, ciphertext, tag);
  } finally {
    wipe(plaintext);
  }
}

/** New salt, new key, whole new file: for create, encrypt and passphrase changes. */
export async function encryptWithPassphrase(
  passphrase: string,
  secrets: WalletSecrets,
  kdf: ScryptParams,
): Promise<{ file: Uint8Array; key: Uint8Array }> {
  checkScryptParams(kdf);
  const salt = randomBytes(SALT_BYTES);
  const { key, keyCheck } = splitDerivedKey(await deriveKey(passphrase, salt, kdf));
  return { file: sealFile(key, { kdf, salt, keyCheck }, secrets), key };
}

/** The AES key for `passphrase`, or WrongPassphraseError if the key check does not match. */
export async function keyForPassphrase(passphrase: string, header: EncryptedHeader): Promise<Uint8Array> {
  const { key, keyCheck } = splitDerivedKey(await deriveKey(passphrase, header.salt, header.kdf));
  if (!keyCheckMatches(keyCheck, header.keyCheck)) {
    wipe(key);
    throw new WrongPassphraseError();
  }
  return key;
}

/** Decrypts a file under `key`; KeystoreAuthenticationError if GCM refuses it. */
export function openFile(key: Uint8Array, file: Uint8Array): WalletSecrets {
  const parsed = decodeFile(file);
  if (parsed.protection !== 'scrypt-aes-256-gcm')
    throw new KeystoreCorruptError('expected an encrypted keystore');
  const { header, headerBytes, ciphertext, tag } = parsed;
  const plaintext = unseal(key, header.nonce, headerBytes, ciphertext, tag);
  if (plaintext === null) throw new KeystoreAuthenticationError();
  try {
    return decodeSecrets(plaintext);
  } finally {
    wipe(plaintext);
  }
}
