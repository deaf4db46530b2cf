/**
 * The keystore file, byte by byte (integers big-endian):
 *
 *   offset size  field
 *   0      8     magic "TALLYKS\n"
 *   8      1     format version (1)
 *   9      1     protection: 1 = scrypt + AES-256-GCM, 0 = none (only when explicitly asked for)
 *   -- protection 1 --
 *   10     1     scrypt log2(N)
 *   11     1     scrypt r
 *   12     1     scrypt p
 *   13     32    scrypt salt (random per file, new on every passphrase change)
 *   45     32    key check: SHA-256 of the second half of the scrypt output
 *   77     12    AES-GCM nonce (random per encryption)
 *   89     4     ciphertext length n
 *   93     n     ciphertext of the encoded secrets (secrets.ts)
 *   93+n   16    GCM tag; bytes 0..88 (everything above the length) are the associated data
 *   -- protection 0 --
 *   10     4     length n
 *   14     n     the encoded secrets, in the clear
 *   -- both --
 *   end    32    SHA-256 of every byte before it
 *
 * Why each check exists: the trailing SHA-256 is unkeyed and catches damage (a truncated copy, a
 * bad sector) so that it is reported as corruption rather than as a wrong passphrase; the key
 * check tells a wrong passphrase apart from tampering; GCM with the header as associated data
 * authenticates the secrets and every header field, so an edited file never decrypts.
 */
import { sha256 } from '../../crypto/hash.js';
import { equalBytes } from '../../encoding/bytes.js';
import { KeystoreCorruptError, KeystoreError } from './errors.js';
import type { ScryptParams } from './kdf.js';

export const MAGIC = new TextEncoder().encode('TALLYKS\n');
export const FORMAT_VERSION = 1;
const PROTECTION_NONE = 0;
const PROTECTION_SCRYPT_AES_GCM = 1;

export const SALT_BYTES = 32;
export const KEY_CHECK_BYTES = 32;
/** 96 bits: the nonce size GCM is specified for (NIST SP 800-38D); other sizes are hashed. */
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const CHECKSUM_BYTES = 32;
/** Offset where the encrypted header (the GCM associated data) ends. */
export const HEADER_BYTES = 8 + 1 + 1 + 3 + SALT_BYTES + KEY_CHECK_BYTES + NONCE_BYTES;
/** Secrets are a seed, a sentence and some keys: a megabyte means the length field is damaged. */
const MAX_PAYLOAD_BYTES = 1 << 20;

export interface EncryptedHeader {
  readonly kdf: ScryptParams;
  readonly salt: Uint8Array;
  readonly keyCheck: Uint8Array;
  readonly nonce: Uint8Array;
}

export type KeystoreFile =
  | {
      readonly protection: 'scrypt-aes-256-gcm';
      readonly header: EncryptedHeader;
      readonly headerBytes: Uint8Array;
      readonly ciphertext: Uint8Array;
      readonly tag: Uint8Array;
    }
  | { readonly protection: 'none'; readonly plaintext: Uint8Array };

function writeU32(out: Uint8Array, offset: number, v: number): void {
  out[offset] = v >>> 24;
  out[offset + 1] = v >>> 16;
  out[offset + 2] = v >>> 8;
  out[offset + 3] = v;
}

const readU32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/** The associated data of an encrypted file: magic through nonce. */
export function encodeHeader(header: EncryptedHeader): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  out.set(MAGIC, 0);
  out[8] = FORMAT_VERSION;
  out[9] = PROTECTION_SCRYPT_AES_GCM;
  out[10] = header.kdf.log2N;
  out[11] = header.kdf.r;
  out[12] = header.kdf.p;
  out.set(header.salt, 13);
  out.set(header.keyCheck, 13 + SALT_BYTES);
  out.set(header.nonce, 13 + SALT_BYTES + KEY_CHECK_BYTES);
  return out;
}

/** Length prefix, payload, then the checksum over everything. */
function withBody(prefix: Uint8Array, payload: Uint8Array, suffix: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + 4 + payload.length + suffix.length + CHECKSUM_BYTES);
  out.set(prefix, 0);
  writeU32(out, prefix.length, payload.length);
  out.set(payload, prefix.length + 4);
  out.set(suffix, prefix.length + 4 + payload.length);
  const end = out.length - CHECKSUM_BYTES;
  out.set(sha256(out.subarray(0, end)), end);
  return out;
}

export function encodeEncryptedFile(
  headerBytes: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
): Uint8Array {
  return withBody(headerBytes, ciphertext, tag);
}

/** An unencrypted keystore: the secrets are in the file in the clear. */
export function encodePlainFile(plaintext: Uint8Array): Uint8Array {
  const prefix = new Uint8Array(10);
  prefix.set(MAGIC, 0);
  prefix[8] = FORMAT_VERSION;
  prefix[9] = PROTECTION_NONE;
  return withBody(prefix, plaintext, new Uint8Array(0));
}

/** Parses and checksums a file. Views into `bytes` are returned: the caller keeps it alive. */
export function decodeFile(bytes: Uint8Array): KeystoreFile {
  if (bytes.length < 10 + 4 + CHECKSUM_BYTES || !equalBytes(bytes.subarray(0, 8), MAGIC)) {
    throw new KeystoreCorruptError('not a Tally keystore (bad magic or too short)');
  }
  const end = bytes.length - CHECKSUM_BYTES;
  if (!equalBytes(sha256(bytes.subarray(0, end)), bytes.subarray(end))) {
    throw new KeystoreCorruptError('checksum mismatch (the file is damaged or was edited)');
  }
  if (bytes[8] !== FORMAT_VERSION) {
    throw new KeystoreError('unsupported-version', `keystore format version ${bytes[8]} is not supported`);
  }
  const protection = bytes[9];
  const prefixLength = protection === PROTECTION_SCRYPT_AES_GCM ? HEADER_BYTES : 10;
  const suffixLength = protection === PROTECTION_SCRYPT_AES_GCM ? TAG_BYTES : 0;
  if (protection !== PROTECTION_SCRYPT_AES_GCM && protection !== PROTECTION_NONE) {
    throw new KeystoreError('unsupported-version', `keystore protection ${protection} is not supported`);
  }
  if (end < prefixLength + 4 + suffixLength) throw new KeystoreCorruptError('truncated');
  const length = readU32(bytes, prefixLength);
  if (length > MAX_PAYLOAD_BYTES || prefixLength + 4 + length + suffixLength !== end) {
    throw new KeystoreCorruptError('payload length does not match the file size');
  }
  const payload = bytes.subarray(prefixLength + 4, prefixLength + 4 + length);
  if (protection === PROTECTION_NONE) return { protection: 'none', plaintext: payload };
  const header: EncryptedHeader = {
    kdf: { log2N: bytes[10]!, r: bytes[11]!, p: bytes[12]! },
    salt: bytes.subarray(13, 13 + SALT_BYTES),
    keyCheck: bytes.subarray(13 + SALT_BYTES, 13 + SALT_BYTES + KEY_CHECK_BYTES),
    nonce: bytes.subarray(13 + SALT_BYTES + KEY_CHECK_BYTES, HEADER_BYTES),
  };
  return {
    protection: 'scrypt-aes-256-gcm',
    header,
    headerBytes: bytes.subarray(0, HEADER_BYTES),
    ciphertext: payload,
    tag: bytes.subarray(end - TAG_BYTES, end),
  };
}
