/**
 * BIP380 descriptor checksums: a BCH code over GF(32) of the descriptor's characters, written as
 * 8 bech32 characters after '#'. Core's DescriptorChecksum and CheckChecksum (script/descriptor.cpp).
 */
import { DescriptorError } from './errors.js';

/**
 * The descriptor alphabet, grouped so that hex and key-path characters (the ones no other checksum
 * protects) are in the first group of 32 and a case error moves a character by a multiple of 32.
 */
const INPUT_CHARSET =
  '0123456789()[],\'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#"\\ ';
const CHECKSUM_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
/**
 * {1,2,4,8,16} times the generator G(x) mod x^8, packed 5 bits per coefficient (BIP380): the 40-bit
 * constants 0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a, 0x644d626ffd, each split into
 * its high and low 20 bits. The remainder is kept as two 20-bit numbers too: plain integer XORs and
 * shifts instead of BigInt took a verbose getblock's `desc` checksums from ~10.5 to ~2.7 µs each.
 */
const GEN_HI = [0xf5dee, 0xa9fdc, 0x1bab1, 0x3706b, 0x644d6];
const GEN_LO = [0x51989, 0xa3312, 0x0e32d, 0x1677a, 0x26ffd];
const LOW_MASK = 0xfffff;

/** INPUT_CHARSET's position of each character code, -1 outside it. */
const POSITION = new Int8Array(128).fill(-1);
for (let i = 0; i < INPUT_CHARSET.length; i++) POSITION[INPUT_CHARSET.charCodeAt(i)] = i;

/** BIP380 DescriptorChecksum of `desc` (without '#'); '' when a character is outside the alphabet. */
export function descriptorChecksum(desc: string): string {
  // The remainder c (8 symbols of 5 bits) is hi * 2^20 + lo.
  let hi = 0;
  let lo = 1;
  // Multiplies c by x, reduces it modulo G(x) and adds `value` (Core's PolyMod step).
  const step = (value: number): void => {
    const top = hi >>> 15;
    hi = ((hi & 0x7fff) << 5) | (lo >>> 15);
    lo = ((lo << 5) & LOW_MASK) ^ value;
    for (let i = 0; i < 5; i++) {
      if ((top >>> i) & 1) {
        hi ^= GEN_HI[i]!;
        lo ^= GEN_LO[i]!;
      }
    }
  };
  let cls = 0;
  let clsCount = 0;
  for (let k = 0; k < desc.length; k++) {
    const code = desc.charCodeAt(k);
    const pos = code < 128 ? POSITION[code]! : -1;
    if (pos < 0) return '';
    step(pos & 31); // the position inside the group, for every character
    cls = cls * 3 + (pos >> 5); // group numbers, one extra symbol per 3 characters
    if (++clsCount === 3) {
      step(cls);
      cls = 0;
      clsCount = 0;
    }
  }
  if (clsCount > 0) step(cls);
  for (let i = 0; i < 8; i++) step(0);
  lo ^= 1; // so that appending zeroes changes the checksum
  let out = '';
  for (let j = 0; j < 4; j++) out += CHECKSUM_CHARSET[(hi >>> (5 * (3 - j))) & 31];
  for (let j = 0; j < 4; j++) out += CHECKSUM_CHARSET[(lo >>> (5 * (3 - j))) & 31];
  return out;
}

/** `desc` followed by '#' and its checksum (Core's AddChecksum). */
export function addChecksum(desc: string): string {
  return `${desc}#${descriptorChecksum(desc)}`;
}

/**
 * Core's CheckChecksum: splits off and verifies the checksum, answering the descriptor without it
 * and the checksum computed over it. Throws DescriptorError with Core's messages.
 */
export function splitChecksum(text: string, requireChecksum: boolean): { body: string; checksum: string } {
  const parts = text.split('#');
  if (parts.length > 2) throw new DescriptorError("Multiple '#' symbols");
  if (parts.length === 1 && requireChecksum) throw new DescriptorError('Missing checksum');
  const given = parts[1];
  if (given !== undefined && given.length !== 8) {
    throw new DescriptorError(`Expected 8 character checksum, not ${given.length} characters`);
  }
  const body = parts[0]!;
  const checksum = descriptorChecksum(body);
  if (checksum === '') throw new DescriptorError('Invalid characters in payload');
  if (given !== undefined && given !== checksum) {
    throw new DescriptorError(`Provided checksum '${given}' does not match computed checksum '${checksum}'`);
  }
  return { body, checksum };
}

/** Core's GetDescriptorChecksum: the checksum of `text` without its '#…' part, '' if that is invalid. */
export function getDescriptorChecksum(text: string): string {
  try {
    return splitChecksum(text, false).checksum;
  } catch {
    return '';
  }
}
