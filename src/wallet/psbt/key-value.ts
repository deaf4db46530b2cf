import { equalBytes } from '../../encoding/bytes.js';
import { toHex } from '../../encoding/hex.js';
import { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { PsbtError } from './errors.js';
import type { KeyOrigin, RawRecord } from './types.js';

/**
 * The generic layer of BIP174: a map is `<keylen><keytype><keydata> <valuelen><value>` records
 * ended by a 0x00 byte (a zero-length key). Typed meaning is given by the map codecs.
 */
export interface MapRecord {
  /** `<keytype><keydata>` exactly as read. */
  key: Uint8Array;
  type: number;
  keyData: Uint8Array;
  value: Uint8Array;
}

export type MapScope = 'global' | 'input' | 'output';

const SCOPE_NAME: Record<MapScope, string> = {
  global: 'the global map',
  input: 'an input map',
  output: 'an output map',
};

/** Reads one map up to and including its separator, refusing duplicate keys (Core's wording). */
export function readMap(r: BufferReader, scope: MapScope): MapRecord[] {
  const records: MapRecord[] = [];
  const seen = new Set<string>();
  for (;;) {
    if (r.remaining === 0) {
      throw new PsbtError('truncated', `Separator is missing at the end of ${SCOPE_NAME[scope]}`);
    }
    const key = r.varBytes();
    if (key.length === 0) return records;
    const hex = toHex(key);
    if (seen.has(hex)) {
      throw new PsbtError('duplicate-key', `Duplicate Key, ${scope} key "${hex}" already provided`);
    }
    seen.add(hex);
    // The key type is itself a CompactSize (BIP174 1.2.0); a non-canonical one is malformed.
    const kr = new BufferReader(key);
    const type = kr.compactSize();
    records.push({ key, type, keyData: key.subarray(kr.offset), value: r.varBytes() });
  }
}

/** `<keytype><keydata>` for a typed field. */
export function makeKey(type: number, keyData?: Uint8Array): Uint8Array {
  // Every type this code writes is below 0xfd, so the CompactSize is one byte.
  const key = new Uint8Array(1 + (keyData?.length ?? 0));
  key[0] = type;
  if (keyData !== undefined) key.set(keyData, 1);
  return key;
}

export function writeRecord(w: BufferWriter, key: Uint8Array, value: Uint8Array): void {
  w.varBytes(key).varBytes(value);
}

/** Core's ExpectedKeySize: key type plus key data must be exactly `size` bytes. */
export function expectKeySize(record: MapRecord, size: number, name: string): void {
  if (record.key.length !== size) {
    throw new PsbtError('bad-key', `Size of key was not ${size} for the type ${name}`);
  }
}

/**
 * Decodes a value with `read` and insists every byte was used, as Core's UnserializeFromVector
 * does: a value longer or shorter than what its type holds is malformed.
 */
export function decodeExactly<T>(value: Uint8Array, read: (r: BufferReader) => T): T {
  const r = new BufferReader(value);
  const result = read(r);
  if (r.remaining !== 0) throw new PsbtError('bad-value', 'Size of value was not the stated size');
  return result;
}

/** Core's DeserializeKeyOrigin: a 4-byte fingerprint and then whole uint32 path elements. */
export function decodeKeyOrigin(bytes: Uint8Array): KeyOrigin {
  if (bytes.length === 0 || bytes.length % 4 !== 0) {
    throw new PsbtError('bad-value', 'Invalid length for HD key path');
  }
  const r = new BufferReader(bytes);
  const fingerprint = r.bytesCopy(4);
  const path: number[] = [];
  while (r.remaining > 0) path.push(r.u32());
  return { fingerprint, path };
}

export function writeKeyOrigin(w: BufferWriter, origin: KeyOrigin): void {
  w.bytes(origin.fingerprint);
  for (const index of origin.path) w.u32(index);
}

/** Core orders KeyOriginInfo by fingerprint bytes, then path element by element. */
export function compareKeyOrigins(a: KeyOrigin, b: KeyOrigin): number {
  for (let i = 0; i < 4; i++) {
    const d = a.fingerprint[i]! - b.fingerprint[i]!;
    if (d !== 0) return d;
  }
  const n = Math.min(a.path.length, b.path.length);
  for (let i = 0; i < n; i++) {
    const d = a.path[i]! - b.path[i]!;
    if (d !== 0) return d;
  }
  return a.path.length - b.path.length;
}

/**
 * Inserts a raw record unless one with the same key exists (the first value wins, as in Core's
 * std::map::insert): used by the combiner and by decoders that collect unknown records.
 */
export function addRawRecord(records: RawRecord[], record: RawRecord): void {
  if (!records.some((r) => equalBytes(r.key, record.key))) records.push(record);
}
