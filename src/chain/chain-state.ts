import type { Block } from '../primitives/block.js';
import { Coin } from '../primitives/coin.js';
import { OutPoint } from '../primitives/outpoint.js';
import { isUnspendable } from '../script/script.js';
import type { ChainDB, DbOp } from './chain-db.js';
import type { ChainEntry } from './chain-entry.js';
import { BEST_BLOCK_KEY, entryKey, txKey, undoKey } from './layout.js';
import { PendingTxIndex } from './pending-tx-index.js';
import { decodeTxLocation } from './tx-index.js';
import type { TxLocation } from './types.js';
import { decodeUndo, encodeUndo } from './undo.js';
import { UtxoCache } from './utxo-cache.js';

/** Rough bytes per pending entry update, for the flush trigger. */
const ENTRY_UPDATE_OVERHEAD = 200;

/**
 * Everything that must reach the disk together: the UTXO cache, the undo data and tx-index records
 * of blocks connected since the last flush, block-index status changes, and the best-block pointer.
 * Between flushes this in-memory overlay is the truth (reads go through it); `flush` writes it as
 * one atomic, synced batch. A crash loses only whole blocks since the last flush, which are
 * replayed from their stored raw bytes on the next open.
 */
export class ChainState {
  readonly coins: UtxoCache;
  private readonly undo = new Map<string, { hash: Uint8Array; bytes: Uint8Array }>();
  /** Pending tx-index changes, packed per block. */
  private readonly txs = new PendingTxIndex();
  private readonly entries = new Set<ChainEntry>();
  private pendingBytes = 0;
  /** Blocks connected or disconnected since the last flush. */
  blocksSinceFlush = 0;

  constructor(
    private readonly db: ChainDB,
    private readonly txIndex: boolean,
  ) {
    this.coins = new UtxoCache(db);
  }

  /** Estimated memory of everything not yet flushed, plus the coin read cache. */
  get usage(): number {
    return this.coins.usage + this.pendingBytes + this.txs.bytes;
  }

  /** Records that this entry's status changed; written at the next flush. */
  markEntry(entry: ChainEntry): void {
    if (!this.entries.has(entry)) this.pendingBytes += ENTRY_UPDATE_OVERHEAD;
    this.entries.add(entry);
  }

  /**
   * Applies a validated block: spends its inputs, adds its outputs (Core's UpdateCoins; provably
   * unspendable outputs never enter the set), and queues its undo data and tx-index records.
   */
  connect(block: Block, entry: ChainEntry, spentCoins: readonly (readonly Coin[])[]): void {
    const height = entry.height;
    const txids: Uint8Array[] = [];
    block.txs.forEach((tx, position) => {
      const coinbase = position === 0;
      if (!coinbase) for (const input of tx.inputs) this.coins.spendCoin(input.prevout);
      const txid = tx.txid();
      txids.push(txid);
      tx.outputs.forEach((output, vout) => {
        if (isUnspendable(output.scriptPubKey)) return;
        // A copy: the script is a view into the block's bytes, which the cache must not keep alive.
        // Not `.slice()`: on a Buffer (blocks decoded from the socket) that is a view as well, and
        // each cached coin kept its whole network read chunk (16-64 KB) in memory.
        const coin = new Coin(output.value, new Uint8Array(output.scriptPubKey), height, coinbase);
        this.coins.addCoin(new OutPoint(txid, vout), coin, coinbase);
      });
    });
    if (this.txIndex) this.txs.connect(entry.hash, height, txids);
    const bytes = encodeUndo(spentCoins);
    this.undo.set(entry.key, { hash: entry.hash, bytes });
    this.pendingBytes += bytes.length + 100;
    this.blocksSinceFlush++;
  }

  /**
   * Reverses a connected block with its undo data (Core's DisconnectBlock): removes its outputs and
   * restores the coins it spent, last transaction first. Returns false if the coins did not match
   * the block (an unclean disconnect; the restored state is still the block's parent state).
   */
  disconnect(block: Block, entry: ChainEntry, undo: readonly (readonly Coin[])[]): boolean {
    let clean = undo.length === block.txs.length - 1;
    for (let position = block.txs.length - 1; position >= 0; position--) {
      const tx = block.txs[position]!;
      const txid = tx.txid();
      tx.outputs.forEach((output, vout) => {
        if (isUnspendable(output.scriptPubKey)) return;
        if (this.coins.spendCoin(new OutPoint(txid, vout)) === undefined) clean = false;
      });
      if (position > 0) {
        const coins = undo[position - 1] ?? [];
        if (coins.length !== tx.inputs.length) clean = false;
        tx.inputs.forEach((input, i) => {
          const coin = coins[i];
          if (coin !== undefined) this.coins.addCoin(input.prevout, coin, true);
        });
      }
    }
    if (this.txIndex) {
      this.txs.disconnect(
        entry.hash,
        entry.height,
        block.txs.map((tx) => tx.txid()),
      );
    }
    this.blocksSinceFlush++;
    return clean;
  }

  /** The undo data of a connected block (pending or stored). */
  async readUndo(entry: ChainEntry): Promise<Coin[][] | undefined> {
    const pending = this.undo.get(entry.key);
    const bytes = pending?.bytes ?? (await this.db.get(undoKey(entry.hash)));
    return bytes === undefined ? undefined : decodeUndo(bytes);
  }

  async txLocation(txid: Uint8Array): Promise<TxLocation | undefined> {
    const pending = this.txs.lookup(txid);
    if (pending !== undefined) return pending ?? undefined;
    const bytes = await this.db.get(txKey(txid));
    return bytes === undefined ? undefined : decodeTxLocation(bytes);
  }

  /**
   * Writes everything pending and the best-block pointer in one synced batch. `keepCoins` keeps the
   * unspent cached coins as a read cache; otherwise the cache is emptied to free memory.
   */
  async flush(best: ChainEntry, keepCoins: boolean): Promise<void> {
    await this.db.write(this.flushOps(best), true);
    this.coins.flushed(keepCoins);
    this.undo.clear();
    this.txs.clear();
    this.entries.clear();
    this.pendingBytes = 0;
    this.blocksSinceFlush = 0;
  }

  /** Everything `flush` writes, generated one op at a time (see ChainDB.write). */
  private *flushOps(best: ChainEntry): Generator<DbOp> {
    yield* this.coins.flushOps();
    for (const { hash, bytes } of this.undo.values()) yield { type: 'put', key: undoKey(hash), value: bytes };
    yield* this.txs.ops();
    for (const entry of this.entries) yield { type: 'put', key: entryKey(entry.hash), value: entry.encode() };
    yield { type: 'put', key: BEST_BLOCK_KEY, value: best.hash };
  }
}
