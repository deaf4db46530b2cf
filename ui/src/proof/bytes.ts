/**
 * Hex and byte helpers for the proof checker. Bitcoin shows hashes reversed ("display hex", as
 * bitcoind prints them) while headers and Merkle branches carry them in internal byte order.
 */

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Bytes of an even-length hex string, or null when it is not hex. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!HEX.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function reversed(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[bytes.length - 1 - i]!;
  return out;
}

/** Display hex (as bitcoind prints a hash) of bytes in internal order. */
export function toDisplayHex(internal: Uint8Array): string {
  return toHex(reversed(internal));
}

/** Internal-order bytes of a display-hex hash, or null when it is not 64 hex characters. */
export function fromDisplayHex(display: string): Uint8Array<ArrayBuffer> | null {
  if (display.length !== 64) return null;
  const bytes = fromHex(display);
  return bytes === null ? null : reversed(bytes);
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Little-endian unsigned 32-bit integer at `offset`. */
export function readU32LE(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
    0
  );
}
