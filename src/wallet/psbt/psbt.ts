import { compareBytes, equalBytes } from '../../encoding/bytes.js';
import { fromHex, toHex } from '../../encoding/hex.js';
import { BufferReader } from '../../encoding/reader.js';
import { BufferWriter } from '../../encoding/writer.js';
import { isValidPublicKey } from '../../crypto/secp256k1.js';
import type { Transaction } from '../../primitives/transaction.js';
import type { TxOut } from '../../primitives/txout.js';
import { asPsbtError, PsbtError } from './errors.js';
import { copyRaw, decodeProprietary, encodeKeyOriginValue, sortedRaw } from './field-codec.js';
import { PsbtInput } from './input.js';
import { decodeInputMap, encodeInputMap } from './input-codec.js';
import {
  compareKeyOrigins,
  decodeExactly,
  decodeKeyOrigin,
  expectKeySize,
  type MapRecord,
  makeKey,
  readMap,
  writeRecord,
} from './key-value.js';
import { decodeOutputMap, encodeOutputMap, PsbtOutput } from './output.js';
import { decodeLegacyTransaction, requireEmptyScripts } from './tx-codec.js';
import { GlobalType, type GlobalXpub, PSBT_MAGIC, type RawRecord } from './types.js';

/** BIP32: 4 version bytes, depth, parent fingerprint, child number, chain code, 33-byte key. */
const XPUB_SIZE = 78;
const XPUB_DEPTH_OFFSET = 4;
const XPUB_KEY_OFFSET = 45;

/** BIP370 global fields, refused in version 0 with Core's messages. */
const V2_ONLY: ReadonlyMap<number, string> = new Map([
  [GlobalType.TX_VERSION, 'PSBT_GLOBAL_TX_VERSION is not allowed in PSBTv0'],
  [GlobalType.FALLBACK_LOCKTIME, 'PSBT_GLOBAL_FALLBACK_LOCKTIME is not allowed in PSBTv0'],
  [GlobalType.INPUT_COUNT, 'PSBT_GLOBAL_INPUT_COUNT is not allowed in PSBTv0'],
  [GlobalType.OUTPUT_COUNT, 'PSBT_GLOBAL_OUTPUT_COUNT is not allowed in PSBTv0'],
  [GlobalType.TX_MODIFIABLE, 'PSBT_GLOBAL_TX_MODIFIABLE is not allowed in PSBTv0'],
]);

/** RFC 4648 base64 with padding, the only form BIP174 names; Buffer alone would skip bad characters. */
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeXpub(record: MapRecord): GlobalXpub {
  expectKeySize(record, XPUB_SIZE + 1, 'Global XPUB');
  const xpub = record.keyData.slice();
  if (!isValidPublicKey(xpub.subarray(XPUB_KEY_OFFSET))) throw new PsbtError('bad-key', 'Invalid pubkey');
  const origin = decodeKeyOrigin(record.value);
  // BIP174: "The number of 32 bit unsigned integer indexes must match the depth" of the xpub.
  if (origin.path.length !== xpub[XPUB_DEPTH_OFFSET]) {
    throw new PsbtError('bad-value', 'Global XPUB derivation path length does not match the key depth');
  }
  return { xpub, origin };
}

/**
 * A BIP174 version 0 Partially Signed Bitcoin Transaction: the unsigned transaction and one map of
 * metadata per input and per output. Decoding validates every known field; encoding writes fields
 * in Bitcoin Core's order and unknown records byte for byte.
 */
export class Psbt {
  xpubs: GlobalXpub[] = [];
  /** PSBT_GLOBAL_VERSION when present (only 0 is accepted); absent means version 0. */
  version: number | undefined;
  proprietary: RawRecord[] = [];
  unknown: RawRecord[] = [];
  readonly inputs: PsbtInput[];
  readonly outputs: PsbtOutput[];

  /**
   * The Creator's step: empty maps for `unsignedTx`, whose scriptSigs and witnesses must be empty.
   * The transaction is shared, not copied: treat it as immutable (its txid is cached).
   */
  constructor(readonly unsignedTx: Transaction) {
    requireEmptyScripts(unsignedTx);
    this.inputs = unsignedTx.inputs.map(() => new PsbtInput());
    this.outputs = unsignedTx.outputs.map(() => new PsbtOutput());
  }

  /** The txid of the unsigned transaction: what identifies a PSBT (BIP174 "Combiner"). */
  txid(): Uint8Array {
    return this.unsignedTx.txid();
  }

  /**
   * Core's PSBTInput::GetUTXO: the output input `index` spends, from the non-witness UTXO when
   * present (checked against the outpoint), else from the witness UTXO; undefined when unknown.
   */
  utxo(index: number): TxOut | undefined {
    const input = this.inputs[index];
    const txin = this.unsignedTx.inputs[index];
    if (input === undefined || txin === undefined) {
      throw new PsbtError('bad-index', `input ${index} out of range`);
    }
    const prev = input.nonWitnessUtxo;
    if (prev !== undefined) {
      if (!equalBytes(prev.txid(), txin.prevout.hash)) return undefined;
      return prev.outputs[txin.prevout.index];
    }
    return input.witnessUtxo;
  }

  static decode(bytes: Uint8Array): Psbt {
    try {
      return decodePsbt(new BufferReader(bytes));
    } catch (error) {
      throw asPsbtError(error);
    }
  }

  static fromBase64(text: string): Psbt {
    if (!BASE64_RE.test(text)) throw new PsbtError('bad-encoding', 'invalid base64');
    const bytes = Buffer.from(text, 'base64');
    // Non-zero bits after the last full byte would give one PSBT two spellings.
    if (bytes.toString('base64') !== text) throw new PsbtError('bad-encoding', 'invalid base64');
    return Psbt.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  static fromHex(text: string): Psbt {
    let bytes: Uint8Array;
    try {
      bytes = fromHex(text);
    } catch {
      throw new PsbtError('bad-encoding', 'invalid hex');
    }
    return Psbt.decode(bytes);
  }

  encode(): Uint8Array {
    const w = new BufferWriter(1024);
    w.bytes(PSBT_MAGIC);
    writeRecord(w, makeKey(GlobalType.UNSIGNED_TX), this.unsignedTx.encode(false));
    const xpubs = [...this.xpubs].sort(
      (a, b) => compareKeyOrigins(a.origin, b.origin) || compareBytes(a.xpub, b.xpub),
    );
    for (const x of xpubs) writeRecord(w, makeKey(GlobalType.XPUB, x.xpub), encodeKeyOriginValue(x));
    if (this.version !== undefined) {
      writeRecord(w, makeKey(GlobalType.VERSION), new BufferWriter(4).u32(this.version).finish());
    }
    for (const record of sortedRaw(this.proprietary)) writeRecord(w, record.key, record.value);
    for (const record of sortedRaw(this.unknown)) writeRecord(w, record.key, record.value);
    w.u8(0);
    for (const input of this.inputs) encodeInputMap(w, input);
    for (const output of this.outputs) encodeOutputMap(w, output);
    return w.finish().slice();
  }

  toBase64(): string {
    return Buffer.from(this.encode()).toString('base64');
  }

  toHex(): string {
    return toHex(this.encode());
  }

  /** A deep copy, through the codec, so no field is shared with the original. */
  clone(): Psbt {
    return Psbt.decode(this.encode());
  }
}

interface GlobalMap {
  tx: Transaction;
  version: number | undefined;
  xpubs: GlobalXpub[];
  proprietary: RawRecord[];
  unknown: RawRecord[];
}

function decodeGlobal(r: BufferReader): GlobalMap {
  let tx: Transaction | undefined;
  let version: number | undefined;
  let v2Field: string | undefined;
  const xpubs: GlobalXpub[] = [];
  const proprietary: RawRecord[] = [];
  const unknown: RawRecord[] = [];
  for (const record of readMap(r, 'global')) {
    switch (record.type) {
      case GlobalType.UNSIGNED_TX:
        expectKeySize(record, 1, 'Global Unsigned TX');
        tx = decodeLegacyTransaction(record.value);
        requireEmptyScripts(tx);
        break;
      case GlobalType.XPUB:
        xpubs.push(decodeXpub(record));
        break;
      case GlobalType.VERSION:
        expectKeySize(record, 1, 'Global PSBT Version');
        version = decodeExactly(record.value, (vr) => vr.u32());
        break;
      case GlobalType.PROPRIETARY:
        proprietary.push(decodeProprietary(record));
        break;
      default: {
        const message = V2_ONLY.get(record.type);
        if (message !== undefined) v2Field ??= message;
        else unknown.push(copyRaw(record));
      }
    }
  }
  // Versions are checked after the whole map, as Core does, so the error names the real problem.
  if (version !== undefined && version !== 0) {
    if (version === 1) throw new PsbtError('unsupported-version', 'There is no PSBT version 1');
    if (version === 2) throw new PsbtError('unsupported-version', 'PSBT version 2 (BIP370) is not supported');
    throw new PsbtError('unsupported-version', 'Unsupported version number');
  }
  if (tx === undefined) throw new PsbtError('bad-unsigned-tx', 'No unsigned transaction was provided');
  if (v2Field !== undefined) throw new PsbtError('field-not-allowed', v2Field);
  return { tx, version, xpubs, proprietary, unknown };
}

function decodePsbt(r: BufferReader): Psbt {
  if (r.remaining < PSBT_MAGIC.length || !equalBytes(r.bytes(PSBT_MAGIC.length), PSBT_MAGIC)) {
    throw new PsbtError('bad-magic', 'Invalid PSBT magic bytes');
  }
  const global = decodeGlobal(r);
  const tx = global.tx;
  const psbt = new Psbt(tx);
  psbt.version = global.version;
  psbt.xpubs = global.xpubs;
  psbt.proprietary = global.proprietary;
  psbt.unknown = global.unknown;
  for (let i = 0; i < tx.inputs.length; i++) {
    if (r.remaining === 0) {
      throw new PsbtError(
        'map-count-mismatch',
        'Inputs provided does not match the number of inputs in transaction.',
      );
    }
    const input = decodeInputMap(readMap(r, 'input'));
    const prevout = tx.inputs[i]!.prevout;
    if (input.nonWitnessUtxo !== undefined) {
      if (!equalBytes(input.nonWitnessUtxo.txid(), prevout.hash)) {
        throw new PsbtError('utxo-mismatch', 'Non-witness UTXO does not match outpoint hash');
      }
      if (prevout.index >= input.nonWitnessUtxo.outputs.length) {
        throw new PsbtError('utxo-mismatch', 'Input specifies output index that does not exist');
      }
    }
    psbt.inputs[i] = input;
  }
  for (let i = 0; i < tx.outputs.length; i++) {
    if (r.remaining === 0) {
      throw new PsbtError(
        'map-count-mismatch',
        'Outputs provided does not match the number of outputs in transaction.',
      );
    }
    psbt.outputs[i] = decodeOutputMap(readMap(r, 'output'));
  }
  if (r.remaining !== 0) throw new PsbtError('extra-data', 'extra data after PSBT');
  return psbt;
}
