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
/** {1,2,4,8,16} times the generator G(x) mod x^8, packed 5 bits per coefficient (BIP380). */
const GENERATORS = [0xf5dee51989n, 0xa9fdca3312n, 0x1bab10e32dn, 0x3706b1677an, 0x644d626ffdn];

/** Multiplies the 8-symbol remainder `c` by x, reduces it modulo G(x) and adds `value`. */
function polyMod(c: bigint, value: number): bigint {
  const top = c >> 35n;
  let next = ((c & 0x7ffffffffn) << 5n) ^ BigInt(value);
  for (let i = 0; i < 5; i++) if ((top >> BigInt(i)) & 1n) next ^= GENERATORS[i]!;
  return next;
}

/** BIP380 DescriptorChecksum of `desc` (without '#'); '' when a character is outside the alphabet. */
export function descriptorChecksum(desc: string): string {
  let c = 1n;
  let cls = 0;
  let clsCount = 0;
  for (const ch of desc) {
    const pos = INPUT_CHARSET.indexOf(ch);
    if (pos < 0) return '';
    c = polyMod(c, pos & 31); // the position inside the group, for every character
    cls = cls * 3 + (pos >> 5); // group numbers, one extra symbol per 3 characters
    if (++clsCount === 3) {
      c = polyMod(c, cls);
      cls = 0;
      clsCount = 0;
    }
  }
  if (clsCount > 0) c = polyMod(c, cls);
  for (let i = 0; i < 8; i++) c = polyMod(c, 0);
  c ^= 1n; // so that appending zeroes changes the checksum
  let out = '';
  for (let j = 0; j < 8; j++) out += CHECKSUM_CHARSET[Number((c >> BigInt(5 * (7 - j))) & 31n)];
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
