import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import type { TxLocation } from './types.js';

/** A `t` record: block hash (32), height (u32 LE), position in the block (u32 LE). */
export function encodeTxLocation(location: TxLocation): Uint8Array {
  return new BufferWriter(40).bytes(location.blockHash).u32(location.height).u32(location.index).finish();
}

export function decodeTxLocation(bytes: Uint8Array): TxLocation {
  const r = new BufferReader(bytes);
  const location = { blockHash: r.bytesCopy(32), height: r.u32(), index: r.u32() };
  r.end();
  return location;
}
