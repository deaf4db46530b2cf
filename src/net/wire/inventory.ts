import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { readListLength } from './codec-util.js';
import { MAX_INV_SIZE } from './constants.js';

/**
 * Inventory types (Core's GetDataMsg). The witness flag (bit 30) asks for witness serialization in
 * `getdata`; announcements never carry it. MSG_WTX (BIP339) names a transaction by wtxid.
 */
export const MSG_WITNESS_FLAG = 1 << 30;
export const InvType = {
  ERROR: 0,
  TX: 1,
  BLOCK: 2,
  /** BIP37: answered with `merkleblock` and the matching transactions. */
  FILTERED_BLOCK: 3,
  /** BIP152: answered with `cmpctblock`. */
  CMPCT_BLOCK: 4,
  /** BIP339: the hash is a wtxid. */
  WTX: 5,
  WITNESS_TX: MSG_WITNESS_FLAG | 1,
  WITNESS_BLOCK: MSG_WITNESS_FLAG | 2,
  FILTERED_WITNESS_BLOCK: MSG_WITNESS_FLAG | 3,
} as const;

/**
 * One inventory vector. `type` stays a plain uint32 because Core keeps unknown types (and ignores
 * them when processing) rather than rejecting the message.
 */
export interface InvItem {
  readonly type: number;
  /** Internal byte order. */
  readonly hash: Uint8Array;
}

export type InventoryCommand = 'inv' | 'getdata' | 'notfound';

/** `inv` announces, `getdata` requests, `notfound` answers a `getdata` it cannot serve. */
export interface InventoryMessage<C extends InventoryCommand = InventoryCommand> {
  readonly command: C;
  readonly items: readonly InvItem[];
}

const INV_ITEM_SIZE = 36;

export function encodeInventory(w: BufferWriter, m: InventoryMessage): void {
  w.compactSize(m.items.length);
  for (const item of m.items) w.u32(item.type).bytes(item.hash);
}

export function decodeInventory<C extends InventoryCommand>(
  r: BufferReader,
  command: C,
): InventoryMessage<C> {
  const n = readListLength(r, command, MAX_INV_SIZE, INV_ITEM_SIZE, 'inventory entries');
  const items = new Array<InvItem>(n);
  for (let i = 0; i < n; i++) items[i] = { type: r.u32(), hash: r.bytesCopy(32) };
  return { command, items };
}
