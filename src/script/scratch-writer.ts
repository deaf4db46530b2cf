/**
 * A serializer that reuses one growing buffer. Signature hashing builds a preimage per signature
 * check and hashes it straight away; reusing the buffer saves an allocation per check, which adds
 * up on legacy transactions with hundreds of inputs (each preimage is the whole transaction).
 * The result of `view()` is only valid until the next `reset()`: callers hash it immediately.
 */
export class ScratchWriter {
  private buf: Uint8Array;
  private dv: DataView;
  pos = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
    this.dv = new DataView(this.buf.buffer);
  }

  reset(): this {
    this.pos = 0;
    return this;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.dv.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
    return this;
  }

  i32(v: number): this {
    this.ensure(4);
    this.dv.setInt32(this.pos, v | 0, true);
    this.pos += 4;
    return this;
  }

  i64(v: bigint): this {
    this.ensure(8);
    this.dv.setBigInt64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  /** int64 from a JS number of satoshis (exact below 2^53). */
  i64num(v: number): this {
    this.ensure(8);
    const lo = v % 0x100000000;
    const hi = Math.floor(v / 0x100000000);
    this.dv.setUint32(this.pos, lo < 0 ? lo + 0x100000000 : lo, true);
    this.dv.setInt32(this.pos + 4, hi, true);
    this.pos += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  compactSize(n: number): this {
    if (n < 0xfd) return this.u8(n);
    if (n <= 0xffff) {
      this.u8(0xfd);
      this.ensure(2);
      this.dv.setUint16(this.pos, n, true);
      this.pos += 2;
      return this;
    }
    return this.u8(0xfe).u32(n);
  }

  varBytes(b: Uint8Array): this {
    return this.compactSize(b.length).bytes(b);
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
