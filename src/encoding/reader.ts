import { MAX_SIZE } from './compact-size.js';
import { DecodeError } from './errors.js';

/**
 * Cursor over a byte array for deserialization. Every read checks bounds and throws DecodeError, so
 * a truncated or hostile message can never read past its end or allocate on a lie.
 */
export class BufferReader {
  offset = 0;
  private readonly view: DataView;

  constructor(readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get remaining(): number {
    return this.data.length - this.offset;
  }

  private need(n: number): void {
    if (this.offset + n > this.data.length) {
      throw new DecodeError('truncated', `need ${n} bytes at offset ${this.offset}, have ${this.remaining}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.data[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  u16be(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset, false);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }

  /** 64-bit unsigned as bigint (exact). */
  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    return v;
  }

  /** 64-bit signed as bigint (exact): transaction output values are int64 in Core. */
  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.offset, true);
    this.offset += 8;
    return v;
  }

  /**
   * 64-bit signed as a JS number when it fits in 53 bits. Amounts are bounded by MAX_MONEY (< 2^51),
   * so consensus code range-checks the bigint form only for out-of-range values.
   */
  i64num(): number {
    this.need(8);
    const lo = this.view.getUint32(this.offset, true);
    const hi = this.view.getInt32(this.offset + 4, true);
    this.offset += 8;
    if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + lo;
    // Outside 2^53: return a value that is certainly out of money range but keeps its sign.
    return hi < 0 ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /**
   * A copy rather than a view, for values that must outlive the source buffer. Not `.slice()`: on a
   * Node Buffer (anything read from a socket) that is a view too, and would pin the whole read chunk.
   */
  bytesCopy(n: number): Uint8Array {
    return new Uint8Array(this.bytes(n));
  }

  hash(): Uint8Array {
    return this.bytes(32);
  }

  compactSize(max: number = MAX_SIZE): number {
    const first = this.u8();
    let n: number;
    if (first < 0xfd) return first;
    if (first === 0xfd) {
      n = this.u16();
      if (n < 0xfd) throw new DecodeError('non-canonical-compactsize', 'non-canonical ReadCompactSize()');
    } else if (first === 0xfe) {
      n = this.u32();
      if (n < 0x10000) throw new DecodeError('non-canonical-compactsize', 'non-canonical ReadCompactSize()');
    } else {
      const big = this.u64();
      if (big < 0x100000000n)
        throw new DecodeError('non-canonical-compactsize', 'non-canonical ReadCompactSize()');
      throw new DecodeError('oversized', 'ReadCompactSize(): size too large');
    }
    if (n > max) throw new DecodeError('oversized', 'ReadCompactSize(): size too large');
    return n;
  }

  /** A CompactSize-prefixed byte string. */
  varBytes(): Uint8Array {
    return this.bytes(this.compactSize());
  }

  /** Throws unless every byte was consumed: trailing garbage is malformed input. */
  end(): void {
    if (this.offset !== this.data.length) {
      throw new DecodeError('trailing-bytes', `${this.remaining} unexpected trailing bytes`);
    }
  }
}
