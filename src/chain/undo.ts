import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import type { Coin } from '../primitives/coin.js';
import { readCoin, writeCoin } from './coin-codec.js';

/**
 * Undo data of a block (Core's CBlockUndo): for each non-coinbase transaction in block order, the
 * coins its inputs spent, in input order; exactly ConnectResult.spentCoins. Disconnecting the block
 * puts them back. Encoding: CompactSize transaction count, then per transaction a CompactSize coin
 * count and the coins (coin-codec.ts).
 */
export function encodeUndo(spent: readonly (readonly Coin[])[]): Uint8Array {
  let size = 8;
  for (const coins of spent) for (const coin of coins) size += 16 + coin.scriptPubKey.length;
  const w = new BufferWriter(size);
  w.compactSize(spent.length);
  for (const coins of spent) {
    w.compactSize(coins.length);
    for (const coin of coins) writeCoin(w, coin);
  }
  return w.finish();
}

export function decodeUndo(bytes: Uint8Array): Coin[][] {
  const r = new BufferReader(bytes);
  const txCount = r.compactSize();
  const spent: Coin[][] = [];
  for (let i = 0; i < txCount; i++) {
    const n = r.compactSize();
    const coins: Coin[] = [];
    for (let j = 0; j < n; j++) coins.push(readCoin(r));
    spent.push(coins);
  }
  r.end();
  return spent;
}
