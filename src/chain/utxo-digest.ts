import { createHash } from 'node:crypto';
import { sha256 } from '../crypto/hash.js';
import { BufferWriter } from '../encoding/writer.js';
import type { ChainDB } from './chain-db.js';
import type { ChainEntry } from './chain-entry.js';
import { decodeCoin } from './coin-codec.js';
import { Prefix, parseCoinKey } from './layout.js';
import type { UtxoDigest } from './types.js';

/** Core's GetBogoSize: txid 32, vout 4, height and coinbase 4, amount 8, script length 2, script. */
const BOGO_FIXED = 32 + 4 + 4 + 8 + 2;

/**
 * bitcoind's gettxoutsetinfo with hash_type hash_serialized_3 (kernel/coinstats.cpp), over the
 * flushed coins, which the caller guarantees match `tip`.
 *
 * For every coin, in Core's order (txid bytes ascending, as its LevelDB iterates, then output index
 * numerically), Core's TxOutSer writes: the outpoint (txid 32 bytes internal order, vout u32 LE),
 * u32 LE height * 2 + coinbase, and the CTxOut (amount int64 LE, CompactSize script length,
 * script). hash_serialized_3 is SHA256d of that stream (HashWriter::GetHash), shown by RPC
 * byte-reversed like every uint256. `transactions` counts distinct txids (Core's nTransactions).
 */
export async function computeUtxoDigest(db: ChainDB, tip: ChainEntry): Promise<UtxoDigest> {
  const hasher = createHash('sha256');
  let txouts = 0;
  let transactions = 0;
  let bogosize = 0;
  let total = 0;
  let lastTxid: Uint8Array | undefined;
  for await (const [key, value] of db.iterate(Prefix.COIN)) {
    const { txid, vout } = parseCoinKey(key);
    const coin = decodeCoin(value);
    if (lastTxid === undefined || Buffer.compare(lastTxid, txid) !== 0) {
      transactions++;
      lastTxid = txid.slice();
    }
    txouts++;
    total += coin.value;
    bogosize += BOGO_FIXED + coin.scriptPubKey.length;
    const record = new BufferWriter(64 + coin.scriptPubKey.length);
    record
      .bytes(txid)
      .u32(vout)
      .u32(coin.height * 2 + (coin.coinbase ? 1 : 0));
    record.i64num(coin.value).varBytes(coin.scriptPubKey);
    hasher.update(record.finish());
  }
  const first = new Uint8Array(hasher.digest());
  return {
    height: tip.height,
    bestblock: tip.hash,
    transactions,
    txouts,
    bogosize,
    total_amount: total,
    hash_serialized_3: sha256(first),
  };
}
