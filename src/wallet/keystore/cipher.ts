/**
 * The keystore's two primitives over the 64-byte scrypt output: AES-256-GCM under its first half,
 * and a key check (SHA-256 of its second half) stored in the header. The halves are independent
 * key material, so publishing the check reveals nothing about the encryption key; it lets a wrong
 * passphrase be told apart from tampering before any decryption is attempted. (A guesser learns
 * no more from it than from trying GCM: either way each guess costs one scrypt.)
 */
import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../crypto/hash.js';
import { wipe } from '../keys/secret.js';
import { DERIVED_KEY_BYTES } from './kdf.js';
import { TAG_BYTES } from './format.js';

const AES_KEY_BYTES = 32;

/** Splits the scrypt output into the AES key and the key check; wipes the input. */
export function splitDerivedKey(derived: Uint8Array): { key: Uint8Array; keyCheck: Uint8Array } {
  if (derived.length !== DERIVED_KEY_BYTES) throw new RangeError('expected 64 bytes of scrypt output');
  const key = derived.slice(0, AES_KEY_BYTES);
  const keyCheck = sha256(derived.subarray(AES_KEY_BYTES));
  wipe(derived);
  return { key, keyCheck };
}

/** Constant-time comparison, so response timing does not reveal how much of a check matched. */
export function keyCheckMatches(computed: Uint8Array, stored: Uint8Array): boolean {
  return computed.length === stored.length && timingSafeEqual(computed, stored);
}

export function seal(
  key: Uint8Array,
  nonce: Uint8Array,
  associatedData: Uint8Array,
  plaintext: Uint8Array,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData);
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  const ciphertext = new Uint8Array(head.length + tail.length);
  ciphertext.set(head, 0);
  ciphertext.set(tail, head.length);
  return { ciphertext, tag: new Uint8Array(cipher.getAuthTag()) };
}

/** The plaintext, or null when authentication fails (wrong key, or anything edited). */
export function unseal(
  key: Uint8Array,
  nonce: Uint8Array,
  associatedData: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
): Uint8Array | null {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  decipher.setAAD(associatedData);
  // GCM releases plaintext before the tag is checked in final(); it is wiped if the check fails.
  const head = decipher.update(ciphertext);
  let tail: Buffer;
  try {
    tail = decipher.final();
  } catch {
    wipe(head);
    return null;
  }
  const plaintext = new Uint8Array(head.length + tail.length);
  plaintext.set(head, 0);
  plaintext.set(tail, head.length);
  wipe(head, tail);
  return plaintext;
}
