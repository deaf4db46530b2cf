import { hash as nodeHash, createHmac } from 'node:crypto';
import { ripemd160Into } from './ripemd160-js.js';
import { sha256Into } from './sha256-js.js';

/**
 * Hash functions used by consensus. Long inputs go to node:crypto's one-shot `hash()` (OpenSSL,
 * SHA-NI here: ~2.4 µs for a 3,000-byte legacy sighash preimage where JS needs ~16 µs). Short
 * ones go to the allocation-free JS code of sha256-js.ts and ripemd160-js.ts: a node:crypto call
 * costs ~0.7–1.2 µs whatever the size, plus a fresh ArrayBuffer-backed Buffer for the garbage
 * collector, while one 64-byte block costs ~0.35–0.45 µs in JS. @noble/hashes is the cross-check
 * in tests.
 */
type Bytes = Uint8Array;

/**
 * Inputs up to this many bytes are hashed in JS: up to 119 bytes SHA-256 is two compressions
 * (~0.8 µs, measured), about what one node:crypto call costs before its garbage is collected.
 */
const JS_MAX_BYTES = 119;

/** SHA-256 digests on their way into a second hash (HASH160, SHA256d): reused, never returned. */
const inner = new Uint8Array(32);

/**
 * node:crypto returns a Buffer; callers get a plain Uint8Array view of the same memory, because
 * Buffer#slice returns a view where Uint8Array#slice copies, and code here relies on the latter.
 */
function digest(algorithm: string, data: Bytes): Bytes {
  const buf = nodeHash(algorithm, data, 'buffer') as unknown as Buffer;
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** SHA-256 of `data` into `inner`, or a node:crypto digest of it for long inputs. */
function sha256Inner(data: Bytes): Bytes {
  if (data.length > JS_MAX_BYTES) return nodeHash('sha256', data, 'buffer') as unknown as Buffer;
  sha256Into(data, 0, data.length, inner, 0);
  return inner;
}

export function sha256(data: Bytes): Bytes {
  if (data.length > JS_MAX_BYTES) return digest('sha256', data);
  const out = new Uint8Array(32);
  sha256Into(data, 0, data.length, out, 0);
  return out;
}

export const sha1 = (data: Bytes): Bytes => digest('sha1', data);

export function ripemd160(data: Bytes): Bytes {
  if (data.length > JS_MAX_BYTES) return digest('ripemd160', data);
  const out = new Uint8Array(20);
  ripemd160Into(data, 0, data.length, out, 0);
  return out;
}

/** SHA256(SHA256(x)): txids, block hashes, Merkle nodes, checksums, legacy and BIP143 sighashes. */
export function hash256(data: Bytes): Bytes {
  const first = sha256Inner(data);
  const out = new Uint8Array(32);
  sha256Into(first, 0, 32, out, 0);
  return out;
}

/** RIPEMD160(SHA256(x)): P2PKH/P2WPKH key hashes, P2SH script hashes. */
export function hash160(data: Bytes): Bytes {
  const first = sha256Inner(data);
  const out = new Uint8Array(20);
  ripemd160Into(first, 0, 32, out, 0);
  return out;
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
