import { fromDisplayHex, toDisplayHex } from '../encoding/hex.js';
import { OutPoint } from '../primitives/outpoint.js';
import { type CoinRef, WalletError } from './api.js';
import { lockedCoinKey } from './layout.js';
import { put, type WalletDbOp } from './store/wallet-db.js';
import type { WalletState, WriteQueue } from './wallet-state.js';

const invalid = (message: string): never => {
  throw new WalletError('INVALID_PARAMETER', `Invalid parameter, ${message}`);
};

/**
 * lockunspent (Core's LockCoin / UnlockCoin / UnlockAllCoins): locked coins are left out of coin
 * selection until unlocked. Every outpoint is checked before any changes, so a bad one in the list
 * changes nothing. Persistent locks are also written to the database (and survive a restart); an
 * unlock always erases the record.
 */
export async function lockUnspent(
  s: WalletState,
  queue: WriteQueue,
  unlock: boolean,
  coins: readonly CoinRef[] | undefined,
  persistent: boolean,
): Promise<void> {
  const ops: WalletDbOp[] = [];
  if (coins === undefined) {
    if (!unlock) return;
    for (const key of s.lockedCoins) ops.push(unlockOp(key));
    s.lockedCoins.clear();
    await queue.write(ops);
    return;
  }
  const checked: { outpoint: OutPoint; key: string }[] = [];
  for (const c of coins) {
    if (c.vout < 0) invalid('vout cannot be negative');
    const hash = fromDisplayHex(c.txid);
    const wtx = s.book.get(OutPoint.keyPrefix(hash));
    if (wtx === undefined) invalid('unknown transaction');
    if (c.vout >= wtx!.tx.outputs.length) invalid('vout index out of bounds');
    const outpoint = new OutPoint(hash, c.vout);
    const key = outpoint.key();
    if (s.book.isSpent(key)) invalid('expected unspent output');
    const locked = s.lockedCoins.has(key);
    if (unlock && !locked) invalid('expected locked output');
    if (!unlock && locked && !persistent) invalid('output already locked');
    checked.push({ outpoint, key });
  }
  for (const { outpoint, key } of checked) {
    if (unlock) {
      s.lockedCoins.delete(key);
      ops.push({ type: 'del', key: lockedCoinKey(outpoint.hash, outpoint.index) });
    } else {
      s.lockedCoins.add(key);
      if (persistent) ops.push(put(lockedCoinKey(outpoint.hash, outpoint.index), {}));
    }
  }
  await queue.write(ops);
}

/** The database delete for an outpoint key (`OutPoint.key()`: 32 latin1 chars, then the index). */
function unlockOp(key: string): WalletDbOp {
  const hash = Uint8Array.from(Buffer.from(key.slice(0, 32), 'latin1'));
  return { type: 'del', key: lockedCoinKey(hash, Number(key.slice(32))) };
}

/** listlockunspent, in Core's order (its std::set<COutPoint>: txid bytes, then index). */
export function listLockUnspent(s: WalletState): CoinRef[] {
  return [...s.lockedCoins]
    .map((key) => ({ prefix: key.slice(0, 32), vout: Number(key.slice(32)) }))
    .sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.vout - b.vout))
    .map(({ prefix, vout }) => ({ txid: toDisplayHex(Buffer.from(prefix, 'latin1')), vout }));
}
