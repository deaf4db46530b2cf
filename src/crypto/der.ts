/**
 * ECDSA signature encodings exactly as Bitcoin Core handles them.
 *
 * Two parsers on purpose: BIP66 made strict DER a consensus rule (checked by the script interpreter
 * before any curve math), but signatures mined before it are in every historic block and must still
 * verify, so verification itself goes through Core's permissive parser (pubkey.cpp
 * `ecdsa_signature_parse_der_lax`). A signature is handled internally as 64 bytes r||s, each a
 * 32-byte big-endian integer, the form libsecp256k1's compact parser takes.
 */
import { fromHex } from '../encoding/hex.js';

/** secp256k1 group order n, big-endian. */
const ORDER = fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
/** floor(n / 2): BIP62/BIP146 LOW_S bound, s is low iff s <= HALF_ORDER. */
const HALF_ORDER = fromHex('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0');

/** memcmp of the 32 bytes of `a` at `offset` against the 32-byte constant `b`. */
function compare32(a: Uint8Array, offset: number, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[offset + i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * BIP66 strict DER, byte for byte Core's interpreter.cpp IsValidSignatureEncoding. The input is the
 * script-level signature, so it ends with the sighash-type byte:
 * 0x30 [total-len] 0x02 [R-len] [R] 0x02 [S-len] [S] [sighash].
 */
export function isValidSignatureEncoding(sig: Uint8Array): boolean {
  // 9..73 bytes: two 1..33-byte integers, 6 bytes of framing and the sighash byte.
  if (sig.length < 9 || sig.length > 73) return false;
  if (sig[0] !== 0x30) return false;
  // The sequence length covers everything but its own 2-byte header and the sighash byte.
  if (sig[1] !== sig.length - 3) return false;
  const lenR = sig[3]!;
  // S's length byte must lie inside the signature.
  if (5 + lenR >= sig.length) return false;
  const lenS = sig[5 + lenR]!;
  // R and S lengths must account for the whole signature exactly.
  if (lenR + lenS + 7 !== sig.length) return false;
  if (sig[2] !== 0x02) return false;
  // Zero-length integers are not allowed, negative ones (high bit set) neither, nor excess
  // 0x00 padding (a 0x00 is allowed only when the next byte would otherwise read as negative).
  if (lenR === 0) return false;
  if (sig[4]! & 0x80) return false;
  if (lenR > 1 && sig[4] === 0x00 && !(sig[5]! & 0x80)) return false;
  if (sig[lenR + 4] !== 0x02) return false;
  if (lenS === 0) return false;
  if (sig[lenR + 6]! & 0x80) return false;
  if (lenS > 1 && sig[lenR + 6] === 0x00 && !(sig[lenR + 7]! & 0x80)) return false;
  return true;
}

/** Where the integer after the length readLaxIntegerLength read starts (no tuple per call). */
let integerStart = 0;

/**
 * Reads one DER length at `pos` the lax way (Core's parse_der_lax): short form as is; long form
 * skips leading zero bytes, then allows at most 3 significant bytes. Returns the length and sets
 * `integerStart` to the position after it, or returns -1 where Core's parser gives up.
 */
function readLaxIntegerLength(der: Uint8Array, pos: number, end: number): number {
  if (pos === end) return -1;
  let lenByte = der[pos++]!;
  if (!(lenByte & 0x80)) {
    integerStart = pos;
    return lenByte;
  }
  lenByte -= 0x80;
  if (lenByte > end - pos) return -1;
  while (lenByte > 0 && der[pos] === 0) {
    pos++;
    lenByte--;
  }
  // Core: `if (lenbyte >= 4) return 0;` (a 4-byte length could exceed a 32-bit size_t).
  if (lenByte >= 4) return -1;
  let len = 0;
  while (lenByte > 0) {
    len = len * 256 + der[pos]!;
    pos++;
    lenByte--;
  }
  integerStart = pos;
  return len;
}

/**
 * Core's `ecdsa_signature_parse_der_lax` (pubkey.cpp): accepts the BER-ish encodings found in
 * pre-BIP66 blocks (negative integers, excess padding, garbage after the sequence, a wrong or
 * long-form sequence length, long-form integer lengths). Input is DER without the sighash byte:
 * `der[0, end)`, so that a script's signature (DER plus that byte) needs no view to drop it.
 *
 * Returns the 64-byte compact r||s, or null where Core's parser returns 0. An r or s wider than 32
 * significant bytes or not below the group order gives Core's "correctly parsed but invalid"
 * signature: all zeros, which every verifier rejects (r = 0).
 *
 * It allocates only the result: block validation parses every signature, and the views and tuples
 * it used to allocate were ~10% of the main thread's garbage on block 300025 (0.57 of 5.8 MB).
 */
export function parseDerLax(der: Uint8Array, end: number = der.length): Uint8Array | null {
  let pos = 0;
  // Sequence tag; its length is skipped, never checked against the content (BER tolerance).
  if (pos === end || der[pos] !== 0x30) return null;
  pos++;
  if (pos === end) return null;
  let seqLenByte = der[pos++]!;
  if (seqLenByte & 0x80) {
    seqLenByte -= 0x80;
    if (seqLenByte > end - pos) return null;
    pos += seqLenByte;
  }

  if (pos === end || der[pos] !== 0x02) return null;
  let rLen = readLaxIntegerLength(der, pos + 1, end);
  if (rLen < 0) return null;
  let rPos = integerStart;
  if (rLen > end - rPos) return null;
  pos = rPos + rLen;

  if (pos === end || der[pos] !== 0x02) return null;
  let sLen = readLaxIntegerLength(der, pos + 1, end);
  if (sLen < 0) return null;
  let sPos = integerStart;
  if (sLen > end - sPos) return null;
  // Anything after S is ignored, as in Core.

  const out = new Uint8Array(64);
  // Leading zero bytes (padding, or the sign byte of a positive number) carry no value.
  while (rLen > 0 && der[rPos] === 0) {
    rLen--;
    rPos++;
  }
  while (sLen > 0 && der[sPos] === 0) {
    sLen--;
    sPos++;
  }
  // Negative integers are read as their unsigned magnitude bytes, exactly like Core's memcpy.
  let overflow = rLen > 32 || sLen > 32;
  if (!overflow) {
    for (let i = 0; i < rLen; i++) out[32 - rLen + i] = der[rPos + i]!;
    for (let i = 0; i < sLen; i++) out[64 - sLen + i] = der[sPos + i]!;
    // libsecp256k1's compact parser fails when r >= n or s >= n; Core then zeroes the signature.
    overflow = compare32(out, 0, ORDER) >= 0 || compare32(out, 32, ORDER) >= 0;
  }
  if (overflow) out.fill(0);
  return out;
}

/** True iff s <= n/2 (BIP62 rule 5; Core's CheckLowS on an already parsed signature). */
export function isLowS(sig64: Uint8Array): boolean {
  return compare32(sig64, 32, HALF_ORDER) <= 0;
}

/**
 * libsecp256k1's secp256k1_ecdsa_signature_normalize: a copy with s replaced by n - s when s > n/2
 * (both (r, s) and (r, n - s) are valid for the same key and message). An s >= n is returned
 * unchanged: it is no signature at all, and verification rejects it.
 */
export function normalizeS(sig64: Uint8Array): Uint8Array {
  const out = Uint8Array.from(sig64);
  if (isLowS(sig64) || compare32(sig64, 32, ORDER) >= 0) return out;
  let borrow = 0;
  for (let i = 31; i >= 0; i--) {
    const d = ORDER[i]! - sig64[32 + i]! - borrow;
    out[32 + i] = d & 0xff;
    borrow = d < 0 ? 1 : 0;
  }
  return out;
}

/** Minimal DER INTEGER body for a 32-byte unsigned value: no excess zeros, a 0x00 sign pad if needed. */
function derInteger(sig64: Uint8Array, offset: number): Uint8Array {
  let start = offset;
  while (start < offset + 31 && sig64[start] === 0) start++;
  const pad = sig64[start]! & 0x80 ? 1 : 0;
  const out = new Uint8Array(pad + offset + 32 - start);
  out.set(sig64.subarray(start, offset + 32), pad);
  return out;
}

/**
 * Strict DER of a compact signature (what signers put on the wire before the sighash byte); the
 * result passes isValidSignatureEncoding once a sighash byte is appended.
 */
export function encodeDer(sig64: Uint8Array): Uint8Array {
  if (sig64.length !== 64) throw new RangeError(`compact signature must be 64 bytes, got ${sig64.length}`);
  const r = derInteger(sig64, 0);
  const s = derInteger(sig64, 32);
  const out = new Uint8Array(6 + r.length + s.length);
  out[0] = 0x30;
  out[1] = 4 + r.length + s.length;
  out[2] = 0x02;
  out[3] = r.length;
  out.set(r, 4);
  out[4 + r.length] = 0x02;
  out[5 + r.length] = s.length;
  out.set(s, 6 + r.length);
  return out;
}
