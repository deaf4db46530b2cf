import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { DecodeError } from '../encoding/errors.js';
import type { Transaction } from '../primitives/transaction.js';
import type { MempoolEntry } from './entry.js';
import { decodeMempoolFile, encodeMempoolFile, type PersistedTx } from './persist.js';

/** Reads and writes the mempool file (format in persist.ts). */
export class MempoolPersistence {
  constructor(readonly path: string) {}

  async save(
    entries: Iterable<MempoolEntry>,
    deltas: ReadonlyMap<string, { readonly txid: Uint8Array; readonly delta: number }>,
  ): Promise<void> {
    // Parents first: an entry always has more ancestors than each of its parents.
    const ordered = [...entries].sort((a, b) => a.ancestorCount - b.ancestorCount || a.sequence - b.sequence);
    const txs: PersistedTx[] = ordered.map((e) => ({ tx: e.tx, time: e.time, feeDelta: e.feeDelta }));
    // Deltas of pool entries travel with them; the rest are written separately (as Core's mapDeltas).
    const inPool = new Set(ordered.map((e) => e.key));
    const rest = new Map([...deltas].filter(([key]) => !inPool.has(key)));
    const bytes = encodeMempoolFile({ txs, deltas: rest });
    // Write beside and rename: a crash mid-write leaves the previous file intact.
    const tmp = `${this.path}.new`;
    await writeFile(tmp, bytes);
    await rename(tmp, this.path);
  }

  /** The saved pool, or undefined when there is no file or it is corrupt (logged, then ignored). */
  async load(log?: Logger): Promise<ReturnType<typeof decodeMempoolFile> | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return decodeMempoolFile(bytes);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      log?.warn({ path: this.path, err: err.message }, 'ignoring unreadable mempool file');
      return undefined;
    }
  }

  /**
   * Loads the saved pool through `accept` (full validation, the saved entry time kept), applying the
   * saved prioritisations first and skipping transactions that entered before `cutoff` (expired).
   * Returns how many were accepted.
   */
  async restore(
    cutoff: number,
    sink: {
      readonly prioritise: (txid: Uint8Array, delta: number) => void;
      readonly accept: (tx: Transaction, time: number) => boolean;
      readonly log?: Logger | undefined;
    },
  ): Promise<number> {
    const snapshot = await this.load(sink.log);
    if (snapshot === undefined) return 0;
    for (const { txid, delta } of snapshot.deltas) sink.prioritise(txid, delta);
    let accepted = 0;
    for (const { tx, time, feeDelta } of snapshot.txs) {
      if (feeDelta !== 0) sink.prioritise(tx.txid(), feeDelta);
      if (time >= cutoff && sink.accept(tx, time)) accepted++;
    }
    return accepted;
  }
}
