import { hash as nodeHash } from 'node:crypto';
import { DecodeError } from './errors.js';

/**
 * Base58 and Base58Check as Bitcoin uses them for legacy addresses and WIF keys (Core's base58.cpp).
 *
 * The alphabet drops 0, O, I and l so that hand-copied strings do not confuse look-alike characters.
 * Each leading zero byte is written as a leading '1' (the zero digit); without that rule the number
 * would lose them and a P2PKH payload (version byte 0x00) would not survive a round trip.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Character code -> digit value, -1 for characters outside the alphabet. */
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/** Bytes of a Base58Check checksum: the first four bytes of SHA256(SHA256(payload)). */
const CHECKSUM_LENGTH = 4;

export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // log(256) / log(58) ~ 1.366 base-58 digits per byte; the buffer is sized for the worst case.
  const digits = new Uint8Array((((bytes.length - zeros) * 138) / 100 + 1) | 0);
  let used = 0; // digits in use, least significant first
  for (let i = zeros; i < bytes.length; i++) {
    // digits = digits * 256 + byte, carried through the used digits.
    let carry = bytes[i]!;
    let j = 0;
    for (; j < used || carry !== 0; j++) {
      carry += (digits[j] ?? 0) * 256;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    used = j;
  }
  let out = '1'.repeat(zeros);
  for (let j = used - 1; j >= 0; j--) out += ALPHABET[digits[j]!];
  return out;
}

/**
 * Strict decoding: any character outside the alphabet (whitespace included, which Core's
 * DecodeBase58 would trim) is a DecodeError, so one string has exactly one meaning here.
 */
export function base58Decode(str: string): Uint8Array {
  let zeros = 0;
  while (zeros < str.length && str.charCodeAt(zeros) === 0x31 /* '1' */) zeros++;
  // log(58) / log(256) ~ 0.733 bytes per digit.
  const bytes = new Uint8Array((((str.length - zeros) * 733) / 1000 + 1) | 0);
  let used = 0; // bytes in use, least significant first
  for (let i = zeros; i < str.length; i++) {
    const code = str.charCodeAt(i);
    const digit = code < 128 ? DIGIT[code]! : -1;
    if (digit < 0) throw new DecodeError('bad-base58', `invalid base58 character at position ${i}`);
    let carry = digit;
    let j = 0;
    for (; j < used || carry !== 0; j++) {
      carry += (bytes[j] ?? 0) * 58;
      bytes[j] = carry & 0xff;
      carry >>>= 8;
    }
    used = j;
  }
  const out = new Uint8Array(zeros + used);
  for (let j = 0; j < used; j++) out[zeros + j] = bytes[used - 1 - j]!;
  return out;
}

function checksum(payload: Uint8Array): Uint8Array {
  const once = nodeHash('sha256', payload, 'buffer') as unknown as Uint8Array;
  const twice = nodeHash('sha256', once, 'buffer') as unknown as Uint8Array;
  return twice.subarray(0, CHECKSUM_LENGTH);
}

export function base58CheckEncode(payload: Uint8Array): string {
  const full = new Uint8Array(payload.length + CHECKSUM_LENGTH);
  full.set(payload, 0);
  full.set(checksum(payload), payload.length);
  return base58Encode(full);
}

/** Returns the payload without its checksum; a wrong or missing checksum is DecodeError 'bad-checksum'. */
export function base58CheckDecode(str: string): Uint8Array {
  const full = base58Decode(str);
  if (full.length < CHECKSUM_LENGTH) throw new DecodeError('bad-checksum', 'too short for a checksum');
  const payload = full.subarray(0, full.length - CHECKSUM_LENGTH);
  const expected = checksum(payload);
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    if (full[payload.length + i] !== expected[i]) throw new DecodeError('bad-checksum', 'invalid checksum');
  }
  return payload.slice();
}
