/**
 * Every key of the chain's LevelDB store (one database per node, `<datadir>/<network>/chain`).
 * Keys start with one ASCII byte naming the record type; hashes are in internal byte order.
 *
 * | key                          | value                                                          |
 * |------------------------------|----------------------------------------------------------------|
 * | `V`                          | chain state: schema version (u32 LE) + genesis hash (32)       |
 * | `T`                          | best block: hash (32) of the block the coins reflect           |
 * | `e` hash(32)                 | block index entry (chain-entry.ts: header, height, status, seq)|
 * | `b` hash(32)                 | raw block, serialized with witness                             |
 * | `u` hash(32)                 | undo data: the coins the block spent (undo.ts)                 |
 * | `c` txid(32) vout(u32 BE)    | unspent coin (coin-codec.ts)                                   |
 * | `t` txid(32)                 | tx index: block hash (32), height (u32 LE), position (u32 LE)  |
 *
 * Coins are keyed by txid then big-endian output index so that LevelDB's byte order is Bitcoin
 * Core's UTXO order for `gettxoutsetinfo`: txid bytes ascending, then outputs numerically (Core
 * iterates its `C` records by txid and regroups each txid's outputs in a std::map<uint32_t>).
 *
 * Undo records stay when their block is disconnected (a block connected again rewrites its own);
 * tx-index records of disconnected blocks are deleted.
 *
 * Consistency: `T`, the coins, the undo data, the tx index and block-index status updates are only
 * ever written together, in one atomic batch at a flush point, so after a crash they describe the
 * same block. Raw blocks and new index entries are written earlier (when a block is stored), so
 * anything a later batch refers to is already there.
 */
export const Prefix = {
  CHAIN_STATE: 0x56, // 'V'
  BEST_BLOCK: 0x54, // 'T'
  ENTRY: 0x65, // 'e'
  BLOCK: 0x62, // 'b'
  UNDO: 0x75, // 'u'
  COIN: 0x63, // 'c'
  TX: 0x74, // 't'
} as const;

/** Bumped when a record format changes; opening a store of another version fails loudly. */
export const SCHEMA_VERSION = 1;

export const CHAIN_STATE_KEY = Uint8Array.of(Prefix.CHAIN_STATE);
export const BEST_BLOCK_KEY = Uint8Array.of(Prefix.BEST_BLOCK);

function hashKey(prefix: number, hash: Uint8Array): Uint8Array {
  const key = new Uint8Array(33);
  key[0] = prefix;
  key.set(hash, 1);
  return key;
}

export const entryKey = (hash: Uint8Array): Uint8Array => hashKey(Prefix.ENTRY, hash);
export const blockKey = (hash: Uint8Array): Uint8Array => hashKey(Prefix.BLOCK, hash);
export const undoKey = (hash: Uint8Array): Uint8Array => hashKey(Prefix.UNDO, hash);
export const txKey = (txid: Uint8Array): Uint8Array => hashKey(Prefix.TX, txid);

export function coinKey(txid: Uint8Array, vout: number): Uint8Array {
  const key = new Uint8Array(37);
  key[0] = Prefix.COIN;
  key.set(txid, 1);
  new DataView(key.buffer).setUint32(33, vout, false);
  return key;
}

/** The (txid, vout) of a coin key. */
export function parseCoinKey(key: Uint8Array): { txid: Uint8Array; vout: number } {
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  return { txid: key.subarray(1, 33), vout: view.getUint32(33, false) };
}

/** Iterator bounds covering exactly the keys with this prefix. */
export function prefixRange(prefix: number): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) };
}
