/**
 * CScriptNum (script/script.h): little-endian sign-magnitude integers. Operands are limited to 4
 * bytes (so arithmetic inputs are within ±2^31-1), except CHECKLOCKTIMEVERIFY and
 * CHECKSEQUENCEVERIFY which accept 5 bytes to reach the full uint32 range (BIP65). Results may
 * exceed 4 bytes; they just cannot be used as numeric operands again. Every value involved is
 * below 2^40, so JS numbers represent them exactly.
 */
export const DEFAULT_MAX_NUM_SIZE = 4;
export const LOCKTIME_MAX_NUM_SIZE = 5;

/**
 * Decodes a script number, or returns undefined where Core's constructor throws scriptnum_error
 * (too long, or not minimally encoded when `requireMinimal`); the interpreter reports that as
 * UNKNOWN_ERROR, as Core's catch-all does.
 */
export function decodeScriptNum(
  bytes: Uint8Array,
  requireMinimal: boolean,
  maxSize: number = DEFAULT_MAX_NUM_SIZE,
): number | undefined {
  const n = bytes.length;
  if (n > maxSize) return undefined;
  if (n === 0) return 0;
  const last = bytes[n - 1]!;
  // Minimal: the top byte may be 0x00/0x80 only when it carries the sign for a byte with bit 7 set.
  if (requireMinimal && (last & 0x7f) === 0 && (n <= 1 || (bytes[n - 2]! & 0x80) === 0)) {
    return undefined;
  }
  let value = 0;
  let scale = 1;
  for (let i = 0; i < n - 1; i++) {
    value += bytes[i]! * scale;
    scale *= 256;
  }
  value += (last & 0x7f) * scale;
  return last & 0x80 ? 0 - value : value; // `0 - value`, not `-value`: negative zero is plain 0
}

export const EMPTY_BYTES = new Uint8Array(0);
/** Core's vchTrue; shared because stack items are never mutated in place. */
export const TRUE_BYTES = Uint8Array.of(1);

/** CScriptNum::serialize: the minimal encoding; zero is the empty array. */
export function encodeScriptNum(value: number): Uint8Array {
  if (value === 0) return EMPTY_BYTES;
  const negative = value < 0;
  let abs = negative ? -value : value;
  const out: number[] = [];
  while (abs > 0) {
    out.push(abs % 256);
    abs = Math.floor(abs / 256);
  }
  const top = out[out.length - 1]!;
  if (top & 0x80) out.push(negative ? 0x80 : 0x00);
  else if (negative) out[out.length - 1] = top | 0x80;
  return Uint8Array.from(out);
}

/** Core's CastToBool: any non-zero byte is true, except a lone sign bit at the end ("negative zero"). */
export function castToBool(bytes: Uint8Array): boolean {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== 0) return !(i === n - 1 && bytes[i] === 0x80);
  }
  return false;
}
