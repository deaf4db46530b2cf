import { toDisplayHex } from '../encoding/hex.js';
import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import { DecodeError } from '../encoding/errors.js';
import { hash256 } from '../crypto/hash.js';
import { OutPoint } from './outpoint.js';
import { TxIn } from './txin.js';
import { TxOut } from './txout.js';

/** Segwit scales non-witness bytes by 4 (BIP141). */
export const WITNESS_SCALE_FACTOR = 4;

/**
 * A Bitcoin transaction with legacy and BIP144 (segwit) serialization.
 *
 * Hashes are cached on first use. Treat a decoded transaction as immutable; code that edits fields
 * (tests, wallets building a transaction) calls `invalidate()` afterwards.
 */
export class Transaction {
  private cachedTxid: Uint8Array | undefined;
  private cachedWtxid: Uint8Array | undefined;
  private cachedSizes: { base: number; total: number } | undefined;

  constructor(
    public version: number = 2,
    public inputs: TxIn[] = [],
    public outputs: TxOut[] = [],
    public locktime = 0,
  ) {}

  invalidate(): void {
    this.cachedTxid = undefined;
    this.cachedWtxid = undefined;
    this.cachedSizes = undefined;
  }

  isCoinbase(): boolean {
    return this.inputs.length === 1 && this.inputs[0]!.prevout.isNull();
  }

  hasWitness(): boolean {
    for (const input of this.inputs) if (input.witness.length > 0) return true;
    return false;
  }

  /** txid in internal byte order: hash256 of the serialization without witness data. */
  txid(): Uint8Array {
    this.cachedTxid ??= hash256(this.encode(false));
    return this.cachedTxid;
  }

  /** wtxid (BIP141): hash256 of the full serialization; equals txid without witness. */
  wtxid(): Uint8Array {
    if (this.cachedWtxid === undefined) {
      this.cachedWtxid = this.hasWitness() ? hash256(this.encode(true)) : this.txid();
    }
    return this.cachedWtxid;
  }

  txidHex(): string {
    return toDisplayHex(this.txid());
  }

  wtxidHex(): string {
    return toDisplayHex(this.wtxid());
  }

  private sizes(): { base: number; total: number } {
    if (this.cachedSizes === undefined) {
      const base = this.encode(false).length;
      const total = this.hasWitness() ? this.encode(true).length : base;
      this.cachedSizes = { base, total };
    }
    return this.cachedSizes;
  }

  /** Serialized size without witness ("stripped size"). */
  baseSize(): number {
    return this.sizes().base;
  }

  /** Serialized size with witness. */
  totalSize(): number {
    return this.sizes().total;
  }

  /** BIP141 weight: base size * 3 + total size. */
  weight(): number {
    const s = this.sizes();
    return s.base * (WITNESS_SCALE_FACTOR - 1) + s.total;
  }

  /** Virtual size: weight / 4 rounded up. */
  vsize(): number {
    return Math.ceil(this.weight() / WITNESS_SCALE_FACTOR);
  }

  encode(witness = true): Uint8Array {
    const w = new BufferWriter(256);
    this.write(w, witness);
    return w.finish();
  }

  write(w: BufferWriter, witness = true): void {
    const withWitness = witness && this.hasWitness();
    w.u32(this.version);
    if (withWitness) w.u8(0).u8(1);
    w.compactSize(this.inputs.length);
    for (const input of this.inputs) {
      input.prevout.write(w);
      w.varBytes(input.scriptSig);
      w.u32(input.sequence);
    }
    w.compactSize(this.outputs.length);
    for (const output of this.outputs) {
      if (output.rawValue !== undefined) w.i64(output.rawValue);
      else w.i64num(output.value);
      w.varBytes(output.scriptPubKey);
    }
    if (withWitness) {
      for (const input of this.inputs) {
        w.compactSize(input.witness.length);
        for (const item of input.witness) w.varBytes(item);
      }
    }
    w.u32(this.locktime);
  }

  /** Decodes exactly one transaction; trailing bytes are an error. */
  static decode(bytes: Uint8Array): Transaction {
    const r = new BufferReader(bytes);
    const tx = Transaction.read(r);
    r.end();
    return tx;
  }

  /**
   * Reads a transaction as Bitcoin Core's UnserializeTransaction does: an empty input vector followed
   * by a non-zero flag byte marks the BIP144 extended format. When the transaction is read from a
   * larger buffer (a block), its hashes and sizes are taken from the raw bytes without re-serializing.
   */
  static read(r: BufferReader): Transaction {
    const start = r.offset;
    const tx = new Transaction();
    tx.version = r.u32();
    let inputs = readInputs(r);
    let outputs: TxOut[] = [];
    let flags = 0;
    let bodyStart = start + 4;
    if (inputs.length === 0) {
      flags = r.u8();
      if (flags !== 0) {
        bodyStart = r.offset;
        inputs = readInputs(r);
        outputs = readOutputs(r);
      }
    } else {
      outputs = readOutputs(r);
    }
    const bodyEnd = r.offset;
    tx.inputs = inputs;
    tx.outputs = outputs;
    if (flags & 1) {
      flags ^= 1;
      for (const input of inputs) {
        const n = r.compactSize();
        const stack: Uint8Array[] = [];
        for (let i = 0; i < n; i++) stack.push(r.varBytes());
        input.witness = stack;
      }
      if (!tx.hasWitness()) throw new DecodeError('bad-format', 'Superfluous witness record');
    }
    if (flags !== 0) throw new DecodeError('bad-format', 'Unknown transaction optional data');
    tx.locktime = r.u32();
    const end = r.offset;
    const raw = r.data;
    if (tx.hasWitness()) {
      // Stripped serialization = version || inputs+outputs || locktime, all slices of the raw bytes.
      const stripped = new Uint8Array(4 + (bodyEnd - bodyStart) + 4);
      stripped.set(raw.subarray(start, start + 4), 0);
      stripped.set(raw.subarray(bodyStart, bodyEnd), 4);
      stripped.set(raw.subarray(end - 4, end), stripped.length - 4);
      tx.cachedTxid = hash256(stripped);
      tx.cachedWtxid = hash256(raw.subarray(start, end));
      tx.cachedSizes = { base: stripped.length, total: end - start };
    } else if (bodyStart === start + 4) {
      tx.cachedTxid = hash256(raw.subarray(start, end));
      tx.cachedWtxid = tx.cachedTxid;
      tx.cachedSizes = { base: end - start, total: end - start };
    }
    // (A marker with no witness flag and empty vin is left to re-serialization: it is never valid.)
    return tx;
  }

  clone(): Transaction {
    return Transaction.decode(this.encode(true));
  }
}

function readInputs(r: BufferReader): TxIn[] {
  const n = r.compactSize();
  // Each input is at least 41 bytes: refuse counts the remaining bytes cannot hold before allocating.
  if (n * 41 > r.remaining) throw new DecodeError('truncated', 'input count exceeds remaining bytes');
  const inputs = new Array<TxIn>(n);
  for (let i = 0; i < n; i++) {
    const prevout = OutPoint.read(r);
    const scriptSig = r.varBytes();
    inputs[i] = new TxIn(prevout, scriptSig, r.u32());
  }
  return inputs;
}

function readOutputs(r: BufferReader): TxOut[] {
  const n = r.compactSize();
  if (n * 9 > r.remaining) throw new DecodeError('truncated', 'output count exceeds remaining bytes');
  const outputs = new Array<TxOut>(n);
  for (let i = 0; i < n; i++) {
    const off = r.offset;
    const value = r.i64num();
    let raw: bigint | undefined;
    if (
      !Number.isSafeInteger(value) ||
      value === Number.MAX_SAFE_INTEGER ||
      value === Number.MIN_SAFE_INTEGER
    ) {
      r.offset = off;
      raw = r.i64();
    }
    outputs[i] = new TxOut(raw === undefined ? value : Number(raw), r.varBytes(), raw);
  }
  return outputs;
}
