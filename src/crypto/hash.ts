import { hash as nodeHash, createHmac } from 'node:crypto';

/**
 * Hash functions used by consensus: OpenSSL through node:crypto's one-shot `hash()`, asking for the
 * digest as a latin1 ('binary') string and copying its char codes (the bytes) into a Uint8Array.
 * Measured here, that is 0.26–0.39 µs for inputs up to 150 bytes where the same call returning a
 * Buffer takes 0.65–0.75 µs: the ArrayBuffer-backed Buffer, not the hashing, was most of the cost.
 * On block 300025 (~7,500 hashes) the validating thread's share fell ~3 ms against Buffer digests,
 * 1.2 ms more than with an allocation-free JS SHA-256 (0.39 µs per 64-byte block). A hand-written
 * JS RIPEMD-160 measured 0.39 µs against 0.47 µs here (~0.1 ms per block): too little to justify
 * our own crypto code, so every hash is OpenSSL's. @noble/hashes is the cross-check in tests.
 */
type Bytes = Uint8Array;

/** SHA-256 digests on their way into a second hash (HASH160, SHA256d): reused, never returned. */
const inner = new Uint8Array(32);

/** The digest of `data` as a latin1 string: one char per byte, no ArrayBuffer. */
const digestString = (algorithm: string, data: Bytes): string => nodeHash(algorithm, data, 'binary');

/** Copies a latin1 digest string's bytes into `out` (its char codes are the bytes, 0..255). */
function copyDigest(digest: string, out: Bytes): Bytes {
  for (let i = 0; i < digest.length; i++) out[i] = digest.charCodeAt(i);
  return out;
}

export const sha256 = (data: Bytes): Bytes => copyDigest(digestString('sha256', data), new Uint8Array(32));
export const sha1 = (data: Bytes): Bytes => copyDigest(digestString('sha1', data), new Uint8Array(20));

export const ripemd160 = (data: Bytes): Bytes =>
  copyDigest(digestString('ripemd160', data), new Uint8Array(20));

/** SHA256(SHA256(x)): txids, block hashes, Merkle nodes, checksums, legacy and BIP143 sighashes. */
export function hash256(data: Bytes): Bytes {
  copyDigest(digestString('sha256', data), inner);
  return copyDigest(digestString('sha256', inner), new Uint8Array(32));
}

/** RIPEMD160(SHA256(x)): P2PKH/P2WPKH key hashes, P2SH script hashes. */
export function hash160(data: Bytes): Bytes {
  copyDigest(digestString('sha256', data), inner);
  return copyDigest(digestString('ripemd160', inner), new Uint8Array(20));
}

/** BIP340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || msg). */
const tagCache = new Map<string, Bytes>();
export function taggedHash(tag: string, ...msgs: Bytes[]): Bytes {
  let tagHash = tagCache.get(tag);
  if (tagHash === undefined) {
    tagHash = sha256(new TextEncoder().encode(tag));
    tagCache.set(tag, tagHash);
  }
  let len = 64;
  for (const m of msgs) len += m.length;
  const buf = new Uint8Array(len);
  buf.set(tagHash, 0);
  buf.set(tagHash, 32);
  let off = 64;
  for (const m of msgs) {
    buf.set(m, off);
    off += m.length;
  }
  return sha256(buf);
}

export function hmacSha512(key: Bytes, data: Bytes): Bytes {
  const buf = createHmac('sha512', key).update(data).digest();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function hmacSha256(key: Bytes, data: Bytes): Bytes {
  const buf = createHmac('sha256', key).update(data).digest();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
