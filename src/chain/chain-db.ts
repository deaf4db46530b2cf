import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { prefixRange } from './layout.js';

/** One write of a batch: a put with a value, or a delete. */
export type DbOp =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

/** LevelDB's memtable; a second one fills while the full one is written out. */
const WRITE_BUFFER_MB = 32;

/**
 * How -dbcache is shared, as Core shares it (all of it, LevelDB's caches included): LevelDB's
 * block cache gets an eighth (8-64 MB; it only serves coin reads our cache misses), its two
 * memtables their 64 MB, and the coin cache and unflushed chain state the rest, but never less
 * than half, so a small -dbcache still caches.
 */
export function dbCacheShares(cacheMB: number): { levelCacheMB: number; coinCacheBytes: number } {
  const levelCacheMB = Math.min(64, Math.max(8, cacheMB / 8));
  const coinsMB = Math.max(cacheMB / 2, cacheMB - levelCacheMB - 2 * WRITE_BUFFER_MB);
  return { levelCacheMB, coinCacheBytes: coinsMB * 1024 * 1024 };
}

/**
 * The chain's key-value store: classic-level (LevelDB) with binary keys and values. Typed get, an
 * atomic batch and prefix iteration; the key layout lives in layout.ts.
 */
export class ChainDB {
  private constructor(private readonly db: ClassicLevel<Buffer, Buffer>) {}

  static async open(path: string, options: { cacheMB?: number } = {}): Promise<ChainDB> {
    mkdirSync(path, { recursive: true });
    const db = new ClassicLevel<Buffer, Buffer>(path, {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
      // LevelDB's block cache serves coin reads that miss our UtxoCache; 8 MB is its default.
      cacheSize: Math.max(8, options.cacheMB ?? 8) * 1024 * 1024,
      // A larger memtable turns flushes of many coins into fewer level-0 files.
      writeBufferSize: WRITE_BUFFER_MB * 1024 * 1024,
    });
    await db.open();
    return new ChainDB(db);
  }

  getSync(key: Uint8Array): Uint8Array | undefined {
    const value = this.db.getSync(asBuffer(key));
    return value === undefined ? undefined : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const value = await this.db.get(asBuffer(key));
    return value === undefined ? undefined : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }

  /**
   * Applies every op atomically (one LevelDB write-ahead-log record). `sync` waits for fsync: use it
   * at flush points, where the batch is what a crash must find. Unsynced writes still reach the OS
   * in log order, so they survive kill -9, and any later synced write makes them durable too.
   * `ops` may be a generator: each op goes straight into LevelDB's native batch, so a flush of a
   * whole cache never holds every op as a JS object at once (measured: a 2,000-block flush held
   * ~100 MB of op objects and encoded values on the heap while the array was built).
   */
  async write(ops: Iterable<DbOp>, sync: boolean): Promise<void> {
    const batch = this.db.batch();
    try {
      for (const op of ops) {
        if (op.type === 'put') batch.put(asBuffer(op.key), asBuffer(op.value));
        else batch.del(asBuffer(op.key));
      }
    } catch (err) {
      await batch.close();
      throw err;
    }
    if (batch.length === 0) {
      await batch.close();
      return;
    }
    await batch.write({ sync });
  }

  /** Every record whose key starts with `prefix`, in key order. */
  async *iterate(prefix: number): AsyncGenerator<[Uint8Array, Uint8Array]> {
    const it = this.db.iterator({ ...asBufferRange(prefix) });
    try {
      for await (const [key, value] of it) {
        yield [
          new Uint8Array(key.buffer, key.byteOffset, key.byteLength),
          new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
        ];
      }
    } finally {
      await it.close();
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function asBufferRange(prefix: number): { gte: Buffer; lt: Buffer } {
  const range = prefixRange(prefix);
  return { gte: asBuffer(range.gte), lt: asBuffer(range.lt) };
}
