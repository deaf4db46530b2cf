import { DecodeError } from '../../encoding/errors.js';
import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { WireError } from './errors.js';

/**
 * Reads a list length and checks it in Core's order. Most handlers deserialize the whole vector
 * first and check its size after, so a count the payload cannot hold is malformed (Core's
 * deserializer throws) and only a complete over-long list breaks the limit. `headers` reads the
 * count and checks the limit before reading any header (`limitFirst`).
 */
export function readListLength(
  r: BufferReader,
  command: string,
  limit: number,
  minItemSize: number,
  what: string,
  limitFirst = false,
): number {
  const n = r.compactSize();
  const overLimit = (): WireError =>
    new WireError('too-many-items', `${command}: ${n} ${what} (limit ${limit})`, command);
  if (limitFirst && n > limit) throw overLimit();
  if (n * minItemSize > r.remaining) {
    throw new DecodeError('truncated', `${what} count ${n} exceeds the remaining ${r.remaining} bytes`);
  }
  if (n > limit) throw overLimit();
  return n;
}

/**
 * CompactSize as a 64-bit value: BIP155 carries service bits this way, and unlike a length they
 * may use all 64 bits (Core's CompactSizeFormatter<false>). Still only the canonical encoding.
 */
export function readCompactSize64(r: BufferReader): bigint {
  const first = r.u8();
  if (first < 0xfd) return BigInt(first);
  let n: bigint;
  let min: bigint;
  if (first === 0xfd) {
    n = BigInt(r.u16());
    min = 0xfdn;
  } else if (first === 0xfe) {
    n = BigInt(r.u32());
    min = 0x10000n;
  } else {
    n = r.u64();
    min = 0x100000000n;
  }
  if (n < min) throw new DecodeError('non-canonical-compactsize', 'non-canonical ReadCompactSize()');
  return n;
}

export function writeCompactSize64(w: BufferWriter, n: bigint): void {
  if (n < 0n || n > 0xffffffffffffffffn) throw new RangeError(`CompactSize out of range: ${n}`);
  if (n < 0xfdn) w.u8(Number(n));
  else if (n <= 0xffffn) w.u8(0xfd).u16(Number(n));
  else if (n <= 0xffffffffn) w.u8(0xfe).u32(Number(n));
  else w.u8(0xff).u64(n);
}
