import { DecodeError } from './errors.js';

/**
 * Bech32 (BIP173) and Bech32m (BIP350): a base-32 string with a BCH checksum, used for segwit
 * addresses. The two variants differ only in the constant xored into the checksum; BIP350 made v0
 * addresses keep Bech32 and v1+ (taproot onwards) use Bech32m, because Bech32 does not detect 'q'
 * insertions before a final 'p', which variable-length v1+ programs would expose.
 */
export type Bech32Variant = 'bech32' | 'bech32m';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const CHARSET_REV = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) CHARSET_REV[CHARSET.charCodeAt(i)] = i;

const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;
const CHECKSUM_LENGTH = 6;
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/**
 * BIP173 caps a string at 90 characters: the checksum is guaranteed to catch 4 errors only up to 89
 * characters plus the separator.
 */
export const BECH32_MAX_LENGTH = 90;

function fail(message: string): never {
  throw new DecodeError('bad-bech32', message);
}

/** The BCH checksum over GF(32): the state is a degree-6 polynomial held in 30 bits. */
function polymod(values: Iterable<number>, chk = 1): number {
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GENERATOR[i]!) >>> 0;
  }
  return chk;
}

/** The HRP enters the checksum as its high bits, a zero, then its low bits (BIP173 hrp_expand). */
function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

const constantOf = (variant: Bech32Variant): number => (variant === 'bech32' ? BECH32_CONST : BECH32M_CONST);

function checkHrp(hrp: string): void {
  if (hrp.length < 1 || hrp.length > 83) fail('human-readable part must be 1 to 83 characters');
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) fail('human-readable part character out of range');
  }
}

/**
 * Encodes 5-bit words under a (lower-cased) HRP; encoders must emit lower case (BIP173). `limit` is
 * raised only by formats that knowingly go past 90 characters (and so past the checksum's guarantees).
 */
export function bech32Encode(
  hrp: string,
  words: ArrayLike<number>,
  variant: Bech32Variant,
  limit = BECH32_MAX_LENGTH,
): string {
  checkHrp(hrp);
  const lower = hrp.toLowerCase();
  if (lower.length + 1 + words.length + CHECKSUM_LENGTH > limit) fail('string too long');
  const data: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!Number.isInteger(w) || w < 0 || w > 31) fail('word out of range');
    data.push(w);
  }
  const mod = polymod([0, 0, 0, 0, 0, 0], polymod(data, polymod(hrpExpand(lower)))) ^ constantOf(variant);
  let out = `${lower}1`;
  for (const w of data) out += CHARSET[w];
  for (let i = 0; i < CHECKSUM_LENGTH; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return out;
}

/**
 * Decodes either variant, reporting which checksum matched (BIP350: one string is never valid as
 * both). Returns the lower-case HRP and the data words without the checksum.
 */
export function bech32Decode(
  str: string,
  limit = BECH32_MAX_LENGTH,
): { hrp: string; words: number[]; variant: Bech32Variant } {
  if (str.length > limit) fail('string too long');
  let hasLower = false;
  let hasUpper = false;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 33 || c > 126) fail(`character out of range at position ${i}`);
    if (c >= 0x61 && c <= 0x7a) hasLower = true;
    else if (c >= 0x41 && c <= 0x5a) hasUpper = true;
  }
  // Mixed case is refused (BIP173): the checksum is over the lower-case form, so a mixed string has no
  // canonical reading.
  if (hasLower && hasUpper) fail('mixed case');
  const lower = str.toLowerCase();
  // The separator is the last '1', since '1' may appear inside the HRP.
  const sep = lower.lastIndexOf('1');
  if (sep < 0) fail('no separator');
  if (sep === 0) fail('empty human-readable part');
  if (lower.length - sep - 1 < CHECKSUM_LENGTH) fail('checksum too short');
  const hrp = lower.slice(0, sep);
  const data: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const v = CHARSET_REV[lower.charCodeAt(i)]!;
    if (v < 0) fail(`invalid data character at position ${i}`);
    data.push(v);
  }
  const mod = polymod(data, polymod(hrpExpand(hrp)));
  let variant: Bech32Variant;
  if (mod === BECH32_CONST) variant = 'bech32';
  else if (mod === BECH32M_CONST) variant = 'bech32m';
  else fail('invalid checksum');
  return { hrp, words: data.slice(0, data.length - CHECKSUM_LENGTH), variant };
}

/**
 * Regroups bits (8->5 to encode, 5->8 to decode). Without padding (decoding), BIP173 requires the
 * leftover to be fewer than `fromBits` bits and all zero, so each byte string has exactly one encoding.
 */
export function convertBits(
  data: ArrayLike<number>,
  fromBits: number,
  toBits: number,
  pad: boolean,
): number[] {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxOut = (1 << toBits) - 1;
  for (let i = 0; i < data.length; i++) {
    const value = data[i]!;
    if (!Number.isInteger(value) || value < 0 || value > (1 << fromBits) - 1) fail('value out of range');
    // Only the last toBits + fromBits bits matter; masking keeps acc a small integer.
    acc = ((acc << fromBits) | value) & ((1 << (fromBits + toBits - 1)) - 1);
    bits += fromBits;
    while (bits >= toBits) {
      bits -= toBits;
      out.push((acc >>> bits) & maxOut);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (toBits - bits)) & maxOut);
  } else if (bits >= fromBits) {
    fail('excess padding');
  } else if ((acc << (toBits - bits)) & maxOut) {
    fail('non-zero padding');
  }
  return out;
}

/** BIP141: a witness program is 2 to 40 bytes; v0 programs are exactly 20 (P2WPKH) or 32 (P2WSH). */
function checkProgram(version: number, length: number): void {
  if (!Number.isInteger(version) || version < 0 || version > 16) fail('invalid witness version');
  if (length < 2 || length > 40) fail('invalid program length');
  if (version === 0 && length !== 20 && length !== 32) fail('invalid program length for witness v0');
}

/** A segwit address: Bech32 for v0, Bech32m for v1..16 (BIP350). */
export function encodeSegwitAddress(hrp: string, version: number, program: Uint8Array): string {
  checkProgram(version, program.length);
  const words = [version, ...convertBits(program, 8, 5, true)];
  return bech32Encode(hrp, words, version === 0 ? 'bech32' : 'bech32m');
}

/**
 * Decodes a segwit address for the expected HRP ('bc', 'tb', 'bcrt'), enforcing every BIP173/350 rule:
 * HRP match, version 0..16, the checksum variant the version requires, program length, padding.
 */
export function decodeSegwitAddress(hrp: string, address: string): { version: number; program: Uint8Array } {
  const decoded = bech32Decode(address);
  if (decoded.hrp !== hrp.toLowerCase()) fail('human-readable part mismatch');
  const [version, ...rest] = decoded.words;
  if (version === undefined) fail('empty data section');
  if (version > 16) fail('invalid witness version');
  const program = convertBits(rest, 5, 8, false);
  checkProgram(version, program.length);
  const expected: Bech32Variant = version === 0 ? 'bech32' : 'bech32m';
  if (decoded.variant !== expected) fail(`witness v${version} requires ${expected}`);
  return { version, program: Uint8Array.from(program) };
}
