import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import { DecodeError } from '../encoding/errors.js';
import { BlockHeader, HEADER_SIZE } from './block-header.js';
import { Transaction, WITNESS_SCALE_FACTOR } from './transaction.js';

/**
 * Smallest serialization Core's UnserializeTransaction accepts: version, an empty vin, a zero flag
 * byte (read as an empty vout), locktime. Such a transaction is invalid (bad-txns-vin-empty) but it
 * deserializes, so the allocation bound below must not refuse it: a block of them is a consensus
 * reject, not a malformed message.
 */
const MIN_DECODABLE_TX_SIZE = 10;

/** A block: header plus transactions, the first of which must be the coinbase. */
export class Block {
  constructor(
    public header: BlockHeader,
    public txs: Transaction[],
  ) {}

  hash(): Uint8Array {
    return this.header.hash();
  }

  hashHex(): string {
    return this.header.hashHex();
  }

  encode(witness = true): Uint8Array {
    const w = new BufferWriter(HEADER_SIZE + this.txs.length * 300);
    this.header.write(w);
    w.compactSize(this.txs.length);
    for (const tx of this.txs) tx.write(w, witness);
    return w.finish();
  }

  /** Size without witness data (what the legacy 1 MB limit counted). */
  baseSize(): number {
    let size = HEADER_SIZE + compactLen(this.txs.length);
    for (const tx of this.txs) size += tx.baseSize();
    return size;
  }

  totalSize(): number {
    let size = HEADER_SIZE + compactLen(this.txs.length);
    for (const tx of this.txs) size += tx.totalSize();
    return size;
  }

  /** BIP141 block weight. */
  weight(): number {
    return this.baseSize() * (WITNESS_SCALE_FACTOR - 1) + this.totalSize();
  }

  static read(r: BufferReader): Block {
    const header = BlockHeader.read(r);
    const n = r.compactSize();
    if (n * MIN_DECODABLE_TX_SIZE > r.remaining) {
      throw new DecodeError('truncated', 'transaction count exceeds remaining bytes');
    }
    const txs = new Array<Transaction>(n);
    for (let i = 0; i < n; i++) txs[i] = Transaction.read(r);
    return new Block(header, txs);
  }

  static decode(bytes: Uint8Array): Block {
    const r = new BufferReader(bytes);
    const block = Block.read(r);
    r.end();
    return block;
  }
}

function compactLen(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}
