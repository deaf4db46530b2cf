import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { prefixRange } from '../layout.js';

/** One write of a batch: a put with a value, or a delete. */
export type WalletDbOp =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

/**
 * A wallet's key-value store (classic-level, binary keys and values; layout in ../layout.ts).
 * Writes go through `write`, one atomic LevelDB batch each. Unsynced batches reach the OS in order
 * before write() resolves, so they survive kill -9; `sync` also survives power loss and is used
 * where a lost write could hand out an address twice.
 */
export class WalletDB {
  private constructor(private readonly db: ClassicLevel<Buffer, Buffer>) {}

  static async open(path: string): Promise<WalletDB> {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    // Uncompressed: a wallet's tables are small, and a byte scan of the files (the no-plaintext-
    // secrets test) then sees exactly what was written.
    const db = new ClassicLevel<Buffer, Buffer>(path, {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
      compression: false,
    });
    await db.open();
    return new WalletDB(db);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const value = await this.db.get(asBuffer(key));
    return value === undefined ? undefined : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }

  async write(ops: readonly WalletDbOp[], sync = false): Promise<void> {
    if (ops.length === 0) return;
    const batch = this.db.batch();
    for (const op of ops) {
      if (op.type === 'put') batch.put(asBuffer(op.key), asBuffer(op.value));
      else batch.del(asBuffer(op.key));
    }
    await batch.write({ sync });
  }

  /** Every record whose key starts with `prefix`, in key order, read in one pass. */
  async entries(prefix: number): Promise<[Uint8Array, Uint8Array][]> {
    const range = prefixRange(prefix);
    const rows = await this.db.iterator({ gte: asBuffer(range.gte), lt: asBuffer(range.lt) }).all();
    return rows.map(([k, v]) => [
      new Uint8Array(k.buffer, k.byteOffset, k.byteLength),
      new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
    ]);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** JSON record encoding (see ../layout.ts). */
export function encodeJson(value: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));
}

export function decodeJson<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as T;
}

export const put = (key: Uint8Array, value: unknown): WalletDbOp => ({
  type: 'put',
  key,
  value: encodeJson(value),
});
