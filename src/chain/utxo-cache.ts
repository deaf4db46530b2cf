import type { CoinView } from '../consensus/coin-view.js';
import type { Coin } from '../primitives/coin.js';
import type { OutPoint } from '../primitives/outpoint.js';
import type { ChainDB, DbOp } from './chain-db.js';
import { decodeCoin, encodeCoin } from './coin-codec.js';
import { coinKey } from './layout.js';

/**
 * A cached outpoint. `coin` undefined means spent, or known to be absent from the database.
 * `dirty`: differs from the database and must be written at the next flush. `fresh`: the database
 * has no unspent coin here, so if this coin is spent before a flush, nothing needs writing at all
 * (Core's CCoinsCacheEntry flags; most coins of a sync live and die between two flushes).
 */
interface CacheEntry {
  /** OutPoint.key(): the map key, from which a flush rebuilds the coin's database key. */
  readonly key: string;
  coin: Coin | undefined;
  dirty: boolean;
  fresh: boolean;
}

/**
 * Bytes per cached entry besides the script's own bytes: the Map and dirty-Set slots, the key
 * string, the entry, the Coin and the script's Uint8Array and ArrayBuffer objects. Measured from a
 * heap snapshot of the sync benchmark (106,000 entries, ~515 bytes each with 25-byte scripts); the
 * earlier guess of 320 let -dbcache hold half again as much as it said.
 */
const ENTRY_OVERHEAD = 490;

/**
 * The UTXO set as consensus sees it: coins in the database (`c` records) overlaid with the changes
 * of blocks connected since the last flush, which `flushOps` turns into one batch. Reads fall
 * through to LevelDB synchronously (getSync), so consensus code can use it as a plain CoinView.
 */
export class UtxoCache implements CoinView {
  private readonly entries = new Map<string, CacheEntry>();
  /** The dirty subset, so a flush costs the changes and not the whole cache. */
  private readonly dirty = new Set<CacheEntry>();
  private bytes = 0;

  constructor(private readonly db: ChainDB) {}

  /** Estimated memory held by the cache, in bytes. */
  get usage(): number {
    return this.bytes;
  }

  /** Entries a flush would write or delete (an upper bound: fresh spent ones write nothing). */
  get dirtyCount(): number {
    return this.dirty.size;
  }

  get size(): number {
    return this.entries.size;
  }

  getCoin(outpoint: OutPoint): Coin | undefined {
    const key = outpoint.key();
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached.coin;
    const raw = this.db.getSync(coinKey(outpoint.hash, outpoint.index));
    const coin = raw === undefined ? undefined : decodeCoin(raw);
    // Misses are remembered too: BIP30 looks up every new output just before it is added, and the
    // miss proves the database lacks it, so the new coin is fresh.
    this.insert({ key, coin, dirty: false, fresh: coin === undefined });
    return coin;
  }

  /**
   * Adds a coin created by a connected block. `possibleOverwrite` is true for coinbase outputs: a
   * pre-BIP34 coinbase could repeat an earlier txid (BIP30), so the database may hold the same
   * outpoint. Any other new txid is unique, so its outputs are fresh (as Core's AddCoins assumes).
   */
  addCoin(outpoint: OutPoint, coin: Coin, possibleOverwrite: boolean): void {
    const key = outpoint.key();
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.insert({ key, coin, dirty: true, fresh: !possibleOverwrite });
      return;
    }
    // A spent entry that is still dirty must not become fresh: the database still holds the old
    // unspent coin, and spending the new one before a flush must delete it there.
    const fresh = !possibleOverwrite && entry.coin === undefined && !entry.dirty;
    this.bytes += scriptBytes(coin) - scriptBytes(entry.coin);
    entry.coin = coin;
    entry.dirty = true;
    entry.fresh ||= fresh;
    this.dirty.add(entry);
  }

  /** Spends a coin; returns it, or undefined if there was none. */
  spendCoin(outpoint: OutPoint): Coin | undefined {
    const coin = this.getCoin(outpoint);
    if (coin === undefined) return undefined;
    const key = outpoint.key();
    const entry = this.entries.get(key)!;
    if (entry.fresh) {
      this.entries.delete(key);
      this.dirty.delete(entry);
      this.bytes -= ENTRY_OVERHEAD + scriptBytes(coin);
      return coin;
    }
    this.bytes -= scriptBytes(coin);
    entry.coin = undefined;
    entry.dirty = true;
    this.dirty.add(entry);
    return coin;
  }

  /**
   * The database writes that make it equal to this cache, generated one at a time (ChainDB.write
   * streams them into its batch). Call `flushed` once they are written.
   */
  *flushOps(): Generator<DbOp> {
    for (const entry of this.dirty) {
      const key = coinKeyOf(entry.key);
      if (entry.coin !== undefined) yield { type: 'put', key, value: encodeCoin(entry.coin) };
      else if (!entry.fresh) yield { type: 'del', key };
    }
  }

  /**
   * The ops from flushOps are on disk: entries are clean now. `keep` keeps the unspent ones as a
   * read cache (a periodic flush); otherwise everything is dropped (a flush to free memory).
   */
  flushed(keep: boolean): void {
    if (!keep) {
      this.discard();
      return;
    }
    for (const entry of this.dirty) {
      if (entry.coin === undefined) {
        this.entries.delete(entry.key);
        this.bytes -= ENTRY_OVERHEAD;
      } else {
        entry.dirty = false;
        entry.fresh = false;
      }
    }
    this.dirty.clear();
  }

  /** Drops every change not yet flushed (after a failed write, the database is the truth). */
  discard(): void {
    this.entries.clear();
    this.dirty.clear();
    this.bytes = 0;
  }

  private insert(entry: CacheEntry): void {
    this.entries.set(entry.key, entry);
    this.bytes += ENTRY_OVERHEAD + scriptBytes(entry.coin);
    if (entry.dirty) this.dirty.add(entry);
  }
}

function scriptBytes(coin: Coin | undefined): number {
  return coin === undefined ? 0 : coin.scriptPubKey.length;
}

/**
 * The database key of the coin whose OutPoint.key() is `key`: 32 latin1 characters of txid, then
 * the decimal output index. Entries keep that string rather than the OutPoint, whose object and
 * txid buffer cost ~150 bytes more per cached coin.
 */
function coinKeyOf(key: string): Uint8Array {
  return coinKey(Buffer.from(key.slice(0, 32), 'latin1'), Number(key.slice(32)));
}
