import { rmSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Chain } from '../../chain/chain.js';
import type { ChainEntry } from '../../chain/chain-entry.js';
import { sha256 } from '../../crypto/hash.js';
import { IndexBatch } from './index-batch.js';
import { AddressIndexStore } from './index-store.js';
import type { AddressSummary, HistoryEntry, IndexedUtxo, Spender } from './records.js';

export type { AddressSummary, HistoryEntry, IndexedUtxo, Spender } from './records.js';

export interface AddressIndexOptions {
  /** Directory of the index's LevelDB (the node uses `<networkDir>/indexes/address`). */
  readonly path: string;
  /** Blocks per atomic write while catching up (default 100). */
  readonly batchBlocks?: number;
  /** ...or fewer, once this many transactions are in the batch (default 1500). */
  readonly batchTxs?: number;
  readonly logger?: Logger;
}

export interface AddressIndexStatus {
  readonly enabled: true;
  /** Height of the block the index reflects. */
  readonly height: number;
  /** The index reflects the chain's tip. */
  readonly synced: boolean;
  /** height / chain height, 0..1. */
  readonly progress: number;
}

type ChainSource = Pick<
  Chain,
  | 'tip'
  | 'height'
  | 'network'
  | 'getEntry'
  | 'getEntryAtHeight'
  | 'isOnActiveChain'
  | 'getBlock'
  | 'getUndo'
  | 'on'
  | 'off'
>;

/**
 * The explorer's address index: for every output script, its confirmed history (transactions and
 * net amounts), unspent outputs and totals (layout.ts). It follows the chain as a separate reader:
 * from the block it last stored it walks back while that block is off the active chain
 * (disconnecting, for reorgs) and forward to the tip (connecting), reading blocks and undo data
 * from the chain in batches and yielding to the event loop between them, so a first build of a long
 * chain never blocks the node. Each batch is one atomic write with the new tip, so a crash costs at
 * most the batch in flight. Re-runs whenever the chain's tip moves.
 */
export class AddressIndex {
  private tipEntry: ChainEntry;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly log: Logger | undefined;
  private readonly onTip = () => this.schedule();
  private lastProgressLog = 0;

  private constructor(
    private readonly options: AddressIndexOptions,
    private readonly chain: ChainSource,
    private readonly store: AddressIndexStore,
    tip: ChainEntry,
  ) {
    this.tipEntry = tip;
    this.log = options.logger?.child({ module: 'addressindex' });
  }

  /** Opens the store; call start() to begin following the chain. */
  static async open(options: AddressIndexOptions, deps: { chain: ChainSource }): Promise<AddressIndex> {
    let { store, rebuilt } = await AddressIndexStore.open(options.path);
    if (rebuilt) {
      options.logger?.warn({ module: 'addressindex' }, 'address index of an older format: rebuilding it');
    }
    const stored = await store.tip();
    let tip = stored === undefined ? deps.chain.getEntryAtHeight(0) : deps.chain.getEntry(stored.hash);
    if (tip === undefined) {
      // The index was built on another chain (a wiped or replaced chain store): start it again
      // rather than refuse to start the node over an index that can be rebuilt.
      options.logger?.warn(
        { module: 'addressindex', path: options.path },
        'address index names a block this chain does not know: rebuilding it',
      );
      await store.close();
      rmSync(options.path, { recursive: true, force: true });
      ({ store } = await AddressIndexStore.open(options.path));
      tip = deps.chain.getEntryAtHeight(0)!;
    }
    return new AddressIndex(options, deps.chain, store, tip);
  }

  /** Catches up in the background, then follows every tip change. */
  start(): void {
    this.chain.on('tip', this.onTip);
    this.schedule();
  }

  status(): AddressIndexStatus {
    const chainHeight = this.chain.height;
    const synced = this.tipEntry === this.chain.tip;
    return {
      enabled: true,
      height: this.tipEntry.height,
      synced,
      progress: synced ? 1 : chainHeight === 0 ? 0 : Math.min(1, this.tipEntry.height / chainHeight),
    };
  }

  /** Resolves once the index reflects the chain's tip (tests, benchmarks). */
  async waitSynced(): Promise<void> {
    while (!this.closed && this.tipEntry !== this.chain.tip) {
      const before = this.tipEntry;
      this.schedule();
      await this.running;
      if (this.tipEntry === before && this.tipEntry !== this.chain.tip) {
        throw new Error('address index: no progress (see the log)');
      }
    }
  }

  summary(script: Uint8Array): Promise<AddressSummary | undefined> {
    return this.store.summary(sha256(script));
  }

  history(script: Uint8Array, offset: number, limit: number): Promise<HistoryEntry[]> {
    return this.store.history(sha256(script), offset, limit);
  }

  utxos(script: Uint8Array, offset: number, limit: number): Promise<IndexedUtxo[]> {
    return this.store.utxos(sha256(script), offset, limit);
  }

  /** Which transaction input spent each output, on the chain the index reflects. */
  spenders(outpoints: readonly { hash: Uint8Array; index: number }[]): Promise<(Spender | undefined)[]> {
    return this.store.spenders(outpoints);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.chain.off('tip', this.onTip);
    await this.running;
    await this.store.close();
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.catchUp();
        } while (this.again && !this.closed);
      } catch (err) {
        // The chain may be closing under us; the next tip event (or restart) resumes from the stored tip.
        this.log?.error({ err }, 'address index update failed');
      } finally {
        this.running = undefined;
      }
    })();
  }

  private async catchUp(): Promise<void> {
    const batchBlocks = this.options.batchBlocks ?? 100;
    const batchTxs = this.options.batchTxs ?? 1500;
    while (!this.closed) {
      const tip = this.tipEntry;
      if (!this.chain.isOnActiveChain(tip)) {
        await this.disconnect(tip);
      } else if (tip.height < this.chain.height) {
        const batch = new IndexBatch(this.store);
        let last = tip;
        while (batch.blocks < batchBlocks && batch.txs < batchTxs) {
          const next = this.chain.getEntryAtHeight(last.height + 1);
          // A reorg between reads: stop here, the next round walks back as needed.
          if (next === undefined || next.prev !== last) break;
          const [block, undo] = await Promise.all([
            this.chain.getBlock(next.hash),
            this.chain.getUndo(next.hash),
          ]);
          if (block === undefined || undo === undefined) break;
          await batch.connect(block, next.height, undo);
          last = next;
        }
        if (last === tip) return;
        await this.store.write(batch.finish({ hash: last.hash, height: last.height }));
        this.tipEntry = last;
        this.reportProgress();
      } else {
        return;
      }
      await yieldToLoop();
    }
  }

  private async disconnect(entry: ChainEntry): Promise<void> {
    const prev = entry.prev;
    const [block, undo] = await Promise.all([
      this.chain.getBlock(entry.hash),
      this.chain.getUndo(entry.hash),
    ]);
    if (prev === undefined || block === undefined || undo === undefined) {
      throw new Error(`address index: cannot disconnect block ${entry.hashHex()}: its data is missing`);
    }
    const batch = new IndexBatch(this.store);
    await batch.disconnect(block, entry.height, undo);
    await this.store.write(batch.finish({ hash: prev.hash, height: prev.height }));
    this.tipEntry = prev;
    this.log?.debug({ height: entry.height, hash: entry.hashHex() }, 'address index disconnected block');
  }

  private reportProgress(): void {
    const now = Date.now();
    const synced = this.tipEntry === this.chain.tip;
    if (!synced && now - this.lastProgressLog < 5000) return;
    this.lastProgressLog = now;
    const { height, progress } = this.status();
    if (synced) this.log?.debug({ height }, 'address index synced');
    else this.log?.info({ height, progress: Number(progress.toFixed(3)) }, 'address index building');
  }
}
