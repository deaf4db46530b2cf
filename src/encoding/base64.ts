/**
 * Base64 exactly as Bitcoin Core's EncodeBase64/DecodeBase64 (util/strencodings.cpp), which message
 * signatures travel in. Node's Buffer.from(text, 'base64') is not usable for decoding: it skips
 * characters outside the alphabet, accepts missing padding and ignores non-zero trailing bits, so
 * it would accept signatures that bitcoind rejects as "Malformed base64 encoding".
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Character code -> 6-bit value, -1 outside the standard alphabet (Core's decode64_table). */
const DECODE_TABLE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** RFC 4648 base64 with '=' padding (Core's EncodeBase64). */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Core's DecodeBase64: null unless the length is a multiple of 4, at most two '=' end it, every
 * other character is in the standard alphabet, fewer than 6 bits are left over and those are zero
 * (ConvertBits<6, 8, false>). The empty string decodes to no bytes.
 */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  let end = text.length;
  if (end >= 1 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (end >= 1 && text.charCodeAt(end - 1) === 0x3d) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let pos = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? DECODE_TABLE[code]! : -1;
    if (value < 0) return null;
    acc = ((acc << 6) | value) & 0xfff; // 12 bits hold everything not yet emitted
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[pos++] = (acc >> bits) & 0xff;
    }
  }
  // A lone leftover character (6 bits) or non-zero padding bits: not canonical, Core refuses it.
  if (bits >= 6 || ((acc << (8 - bits)) & 0xff) !== 0) return null;
  return pos === out.length ? out : out.subarray(0, pos);
}
