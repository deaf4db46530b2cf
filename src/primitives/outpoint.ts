import { toDisplayHex } from '../encoding/hex.js';
import type { BufferReader } from '../encoding/reader.js';
import type { BufferWriter } from '../encoding/writer.js';

const NULL_INDEX = 0xffffffff;

/** A reference to one output of an earlier transaction: (txid in internal byte order, output index). */
export class OutPoint {
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

  /** A string key for maps of coins: display txid and index. */
  key(): string {
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
