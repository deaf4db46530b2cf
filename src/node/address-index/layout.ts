/**
 * Every key of the address index's LevelDB store (`<networkDir>/indexes/address`), built by the node
 * for the explorer (`-addressindex`). Scripts are keyed by their script hash: SHA-256 of the output
 * script, as Electrum servers do (32 bytes whatever the script's length, and every output type
 * indexes alike). Heights and positions are big-endian so that LevelDB's byte order is chain order.
 *
 * | key                                              | value                                          |
 * |--------------------------------------------------|------------------------------------------------|
 * | `V`                                              | schema version (u32 LE)                        |
 * | `T`                                              | index tip: block hash (32) + height (u32 LE)   |
 * | `h` sh(32) height(u32 BE) position(u32 BE)       | history entry: txid (32) + delta (i64 LE, sat) |
 * | `u` sh(32) height(u32 BE) txid(32) vout(u32 BE)  | unspent output: value (i64 LE, sat)            |
 * | `s` sh(32)                                       | summary: received (i64), sent (i64), txCount (u32), utxoCount (u32), all LE |
 * | `o` txid(32) vout(u32 BE)                        | spender of the output: txid (32), input index (u32 LE), height (u32 LE) |
 *
 * A history entry is one transaction touching the script: `delta` is what it paid to the script
 * minus what it spent from it. Summaries exist only for scripts with at least one history entry.
 * `o` records answer "which transaction spent this output" (the explorer's spentBy) for every
 * output spent on the active chain, whatever its script.
 *
 * Consistency: every change of one batch of blocks (connects or a disconnect) and the new `T` are
 * written in ONE atomic LevelDB batch, so after a crash the index describes exactly the block `T`
 * names, and catching up resumes from there (the chain keeps every connected block's data and undo).
 */
export const Prefix = {
  VERSION: 0x56, // 'V'
  TIP: 0x54, // 'T'
  HISTORY: 0x68, // 'h'
  UTXO: 0x75, // 'u'
  SUMMARY: 0x73, // 's'
  SPENDER: 0x6f, // 'o'
} as const;

/** A store of another version is rebuilt from scratch when opened (an index is derived data). */
export const SCHEMA_VERSION = 2;
export const VERSION_KEY = Uint8Array.of(Prefix.VERSION);
export const TIP_KEY = Uint8Array.of(Prefix.TIP);

export function historyKey(scriptHash: Uint8Array, height: number, position: number): Uint8Array {
  const key = new Uint8Array(41);
  key[0] = Prefix.HISTORY;
  key.set(scriptHash, 1);
  const view = new DataView(key.buffer);
  view.setUint32(33, height, false);
  view.setUint32(37, position, false);
  return key;
}

export function utxoKey(scriptHash: Uint8Array, height: number, txid: Uint8Array, vout: number): Uint8Array {
  const key = new Uint8Array(73);
  key[0] = Prefix.UTXO;
  key.set(scriptHash, 1);
  const view = new DataView(key.buffer);
  view.setUint32(33, height, false);
  key.set(txid, 37);
  view.setUint32(69, vout, false);
  return key;
}

export function spenderKey(txid: Uint8Array, vout: number): Uint8Array {
  const key = new Uint8Array(37);
  key[0] = Prefix.SPENDER;
  key.set(txid, 1);
  new DataView(key.buffer).setUint32(33, vout, false);
  return key;
}

export function summaryKey(scriptHash: Uint8Array): Uint8Array {
  const key = new Uint8Array(33);
  key[0] = Prefix.SUMMARY;
  key.set(scriptHash, 1);
  return key;
}

/** Iterator bounds covering every key of `prefix` for one script hash. */
export function scriptRange(prefix: number, scriptHash: Uint8Array): { gte: Uint8Array; lt: Uint8Array } {
  const gte = new Uint8Array(33);
  gte[0] = prefix;
  gte.set(scriptHash, 1);
  const lt = new Uint8Array(gte);
  // The next key after every `prefix sh ...`: increment the 33-byte prefix as a big-endian number.
  for (let i = 32; i >= 0; i--) {
    if (lt[i] !== 0xff) {
      lt[i]! += 1;
      break;
    }
    lt[i] = 0;
  }
  return { gte, lt };
}
