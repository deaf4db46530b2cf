import { DecodeError } from './errors.js';

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Lower-case hex of the bytes, in memory order. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Strict hex decoding: an odd length or a non-hex character is a DecodeError, never a silent truncation. */
export function fromHex(hex: string): Uint8Array {
  if (!HEX_RE.test(hex)) throw new DecodeError('bad-hex', 'invalid hex string');
  const buf = Buffer.from(hex, 'hex');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Bitcoin shows hashes byte-reversed ("display order"); these convert between the two orders. */
export function toDisplayHex(hash: Uint8Array): string {
  return toHex(Uint8Array.from(hash).reverse());
}

export function fromDisplayHex(hex: string, expectedLength = 32): Uint8Array {
  const bytes = fromHex(hex);
  if (bytes.length !== expectedLength) {
    throw new DecodeError('bad-hex', `expected ${expectedLength} bytes of hex, got ${bytes.length}`);
  }
  return bytes.reverse();
}
