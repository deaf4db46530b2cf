import { mkdirSync, rmSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import {
  Prefix,
  SCHEMA_VERSION,
  scriptRange,
  spenderKey,
  summaryKey,
  TIP_KEY,
  VERSION_KEY,
} from './layout.js';
import {
  type AddressSummary,
  decodeHistory,
  decodeSpender,
  decodeSummary,
  decodeTip,
  decodeUtxo,
  type HistoryEntry,
  type IndexedUtxo,
  type IndexTip,
  type Spender,
} from './records.js';

export type IndexOp =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** The address index's LevelDB (keys in layout.ts): typed reads, paged scans, atomic batches. */
export class AddressIndexStore {
  private constructor(private readonly db: ClassicLevel<Buffer, Buffer>) {}

  /**
   * Opens (or creates) the store. A store of another schema version is deleted and created empty:
   * the index is derived from the chain and rebuilds itself (`rebuilt` says so, for the log).
   */
  static async open(path: string): Promise<{ store: AddressIndexStore; rebuilt: boolean }> {
    mkdirSync(path, { recursive: true });
    let db = new ClassicLevel<Buffer, Buffer>(path, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const version = await db.get(buf(VERSION_KEY));
    let rebuilt = false;
    if (version !== undefined && version.readUInt32LE(0) !== SCHEMA_VERSION) {
      await db.close();
      rmSync(path, { recursive: true, force: true });
      mkdirSync(path, { recursive: true });
      db = new ClassicLevel<Buffer, Buffer>(path, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
      await db.open();
      rebuilt = true;
    }
    if (version === undefined || rebuilt) {
      const v = Buffer.alloc(4);
      v.writeUInt32LE(SCHEMA_VERSION);
      await db.put(buf(VERSION_KEY), v, { sync: true });
    }
    return { store: new AddressIndexStore(db), rebuilt };
  }

  async tip(): Promise<IndexTip | undefined> {
    const value = await this.db.get(buf(TIP_KEY));
    return value === undefined ? undefined : decodeTip(bytes(value));
  }

  async summary(scriptHash: Uint8Array): Promise<AddressSummary | undefined> {
    const value = await this.db.get(buf(summaryKey(scriptHash)));
    return value === undefined ? undefined : decodeSummary(bytes(value));
  }

  /** Summaries of several scripts at once (undefined where a script has none). */
  async summaries(scriptHashes: readonly Uint8Array[]): Promise<(AddressSummary | undefined)[]> {
    if (scriptHashes.length === 0) return [];
    const values = await this.db.getMany(scriptHashes.map((sh) => buf(summaryKey(sh))));
    return values.map((v) => (v === undefined ? undefined : decodeSummary(bytes(v))));
  }

  /** Who spent each output (undefined: unspent, or not spent on the indexed chain). */
  async spenders(
    outpoints: readonly { hash: Uint8Array; index: number }[],
  ): Promise<(Spender | undefined)[]> {
    if (outpoints.length === 0) return [];
    const values = await this.db.getMany(outpoints.map((o) => buf(spenderKey(o.hash, o.index))));
    return values.map((v) => (v === undefined ? undefined : decodeSpender(bytes(v))));
  }

  /** History entries of a script, newest first, skipping `offset`. */
  async history(scriptHash: Uint8Array, offset: number, limit: number): Promise<HistoryEntry[]> {
    return this.scan(Prefix.HISTORY, scriptHash, offset, limit, decodeHistory);
  }

  /** Unspent outputs of a script, newest first, skipping `offset`. */
  async utxos(scriptHash: Uint8Array, offset: number, limit: number): Promise<IndexedUtxo[]> {
    return this.scan(Prefix.UTXO, scriptHash, offset, limit, decodeUtxo);
  }

  private async scan<T>(
    prefix: number,
    scriptHash: Uint8Array,
    offset: number,
    limit: number,
    decode: (key: Uint8Array, value: Uint8Array) => T,
  ): Promise<T[]> {
    const range = scriptRange(prefix, scriptHash);
    const it = this.db.iterator({
      gte: buf(range.gte),
      lt: buf(range.lt),
      reverse: true,
      limit: offset + limit,
    });
    const out: T[] = [];
    let skipped = 0;
    try {
      for await (const [key, value] of it) {
        if (skipped < offset) {
          skipped++;
          continue;
        }
        out.push(decode(bytes(key), bytes(value)));
      }
    } finally {
      await it.close();
    }
    return out;
  }

  /** Applies the ops in order, atomically; synced, because the batch carries the tip pointer. */
  async write(ops: readonly IndexOp[]): Promise<void> {
    const batch = this.db.batch();
    for (const op of ops) {
      if (op.type === 'put') batch.put(buf(op.key), buf(op.value));
      else batch.del(buf(op.key));
    }
    await batch.write({ sync: true });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
