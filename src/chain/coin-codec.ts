import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import { Coin } from '../primitives/coin.js';

/**
 * A coin as stored (the value of a `c` record and each entry of undo data): CompactSize of
 * height * 2 + coinbase (Core's Coin code), the amount as int64 LE, then the scriptPubKey with its
 * CompactSize length. Uncompressed: Core's script compression saves ~15% of disk on mainnet, which
 * is not worth a second encoding to keep exact here yet.
 */
export function writeCoin(w: BufferWriter, coin: Coin): void {
  w.compactSize(coin.height * 2 + (coin.coinbase ? 1 : 0));
  w.i64num(coin.value);
  w.varBytes(coin.scriptPubKey);
}

export function readCoin(r: BufferReader): Coin {
  const code = r.compactSize(Number.MAX_SAFE_INTEGER);
  const value = r.i64num();
  // A copy: the record's buffer belongs to LevelDB's read and the coin may live long in the cache.
  const script = r.bytesCopy(r.compactSize());
  return new Coin(value, script, Math.floor(code / 2), code % 2 === 1);
}

export function encodeCoin(coin: Coin): Uint8Array {
  const w = new BufferWriter(16 + coin.scriptPubKey.length);
  writeCoin(w, coin);
  return w.finish();
}

export function decodeCoin(bytes: Uint8Array): Coin {
  const r = new BufferReader(bytes);
  const coin = readCoin(r);
  r.end();
  return coin;
}
