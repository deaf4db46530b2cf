import { toDisplayHex } from '../encoding/hex.js';
import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import { hash256 } from '../crypto/hash.js';

export const HEADER_SIZE = 80;

/** The 80-byte block header; its double-SHA256 is the block hash that proof of work is judged on. */
export class BlockHeader {
  private cachedHash: Uint8Array | undefined;

  constructor(
    public version: number,
    public prevBlock: Uint8Array,
    public merkleRoot: Uint8Array,
    public time: number,
    public bits: number,
    public nonce: number,
  ) {}

  /** Block hash in internal byte order. Call invalidate() after changing a field (miners do). */
  hash(): Uint8Array {
    this.cachedHash ??= hash256(this.encode());
    return this.cachedHash;
  }

  hashHex(): string {
    return toDisplayHex(this.hash());
  }

  invalidate(): void {
    this.cachedHash = undefined;
  }

  encode(): Uint8Array {
    const w = new BufferWriter(HEADER_SIZE);
    this.write(w);
    return w.finish();
  }

  write(w: BufferWriter): void {
    w.i32(this.version)
      .bytes(this.prevBlock)
      .bytes(this.merkleRoot)
      .u32(this.time)
      .u32(this.bits)
      .u32(this.nonce);
  }

  static read(r: BufferReader): BlockHeader {
    const start = r.offset;
    const h = new BlockHeader(r.i32(), r.hash(), r.hash(), r.u32(), r.u32(), r.u32());
    h.cachedHash = hash256(r.data.subarray(start, start + HEADER_SIZE));
    return h;
  }

  static decode(bytes: Uint8Array): BlockHeader {
    const r = new BufferReader(bytes);
    const h = BlockHeader.read(r);
    r.end();
    return h;
  }
}
