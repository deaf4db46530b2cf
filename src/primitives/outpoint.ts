import { toDisplayHex } from '../encoding/hex.js';
import type { BufferReader } from '../encoding/reader.js';
import type { BufferWriter } from '../encoding/writer.js';

const NULL_INDEX = 0xffffffff;

/** A reference to one output of an earlier transaction: (txid in internal byte order, output index). */
export class OutPoint {
  private cachedKey: string | undefined;

  constructor(
    readonly hash: Uint8Array,
    readonly index: number,
  ) {}

  static null(): OutPoint {
    return new OutPoint(new Uint8Array(32), NULL_INDEX);
  }

  /** The coinbase's input spends the null outpoint: all-zero hash and index 0xffffffff. */
  isNull(): boolean {
    if (this.index !== NULL_INDEX) return false;
    for (let i = 0; i < 32; i++) if (this.hash[i] !== 0) return false;
    return true;
  }

  /** txid as Bitcoin displays it (byte-reversed hex). */
  txid(): string {
    return toDisplayHex(this.hash);
  }

  /**
   * An opaque key for maps of coins: the 32 hash bytes as latin1 characters plus the index. Measured
   * on block 300025, display-hex keys (a reversing copy and a hex encoding per lookup) were the
   * largest single cost of connecting the block; this form is built once per outpoint and cached.
   * Never shown to users: use toString() for messages.
   */
  key(): string {
    this.cachedKey ??= OutPoint.keyPrefix(this.hash) + this.index;
    return this.cachedKey;
  }

  /**
   * key() is this prefix followed by the decimal index: a transaction's outputs share it, so code
   * keying every output of one transaction builds it once (`OutPoint.keyPrefix(txid) + index`).
   */
  static keyPrefix(hash: Uint8Array): string {
    return Buffer.from(hash.buffer, hash.byteOffset, 32).toString('latin1');
  }

  /** `txid:index` as Bitcoin shows outpoints. */
  toString(): string {
    return `${this.txid()}:${this.index}`;
  }

  equals(other: OutPoint): boolean {
    if (this.index !== other.index) return false;
    for (let i = 0; i < 32; i++) if (this.hash[i] !== other.hash[i]) return false;
    return true;
  }

  static read(r: BufferReader): OutPoint {
    return new OutPoint(r.hash(), r.u32());
  }

  write(w: BufferWriter): void {
    w.bytes(this.hash).u32(this.index);
  }
}
