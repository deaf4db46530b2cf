import type { ChainEntry } from '../../chain/chain-entry.js';
import type { Block } from '../../primitives/block.js';
import { WalletError } from '../api.js';
import type { WalletChain } from '../node-interfaces.js';
import type { WalletDbOp } from '../store/wallet-db.js';

/** Writes are flushed every this many blocks of a scan (one batch each). */
const FLUSH_BLOCKS = 500;

export interface ScanProgress {
  readonly startTime: number;
  readonly startHeight: number;
  readonly stopHeight: number;
  current: number;
}

export interface ScanHooks {
  /** Matches one block (synchronous: no per-transaction awaits); pushes its writes to `ops`. */
  connect(block: Block, entry: ChainEntry, ops: WalletDbOp[]): void;
  /** Applies a batch of writes; `last` is the last block the batch covers. */
  flush(ops: WalletDbOp[], last: ChainEntry): Promise<void>;
}

/**
 * Core's ScanForWalletTransactions: reads active-chain blocks from `start` to `stop` (or to the
 * tip as it moves, when `stop` is undefined) and hands each to the matcher. One scan at a time;
 * `abort()` stops it after the current block.
 */
export class Rescanner {
  #progress: ScanProgress | undefined;
  #abort = false;
  #running: Promise<unknown> = Promise.resolve();

  constructor(private readonly chain: WalletChain) {}

  get progress(): ScanProgress | undefined {
    return this.#progress;
  }

  abort(): boolean {
    if (this.#progress === undefined) return false;
    this.#abort = true;
    return true;
  }

  /** Aborts a running scan and waits for it to end (before the wallet's database closes). */
  async stop(): Promise<void> {
    this.abort();
    await this.#running.catch(() => undefined);
  }

  scan(
    start: number,
    stop: number | undefined,
    hooks: ScanHooks,
  ): Promise<{ startHeight: number; stopHeight: number; aborted: boolean }> {
    if (this.#progress !== undefined) {
      return Promise.reject(
        new WalletError('WALLET_ERROR', 'Wallet is currently rescanning. Abort existing rescan or wait.'),
      );
    }
    const run = this.#scan(start, stop, hooks);
    this.#running = run;
    return run;
  }

  async #scan(
    start: number,
    stop: number | undefined,
    hooks: ScanHooks,
  ): Promise<{ startHeight: number; stopHeight: number; aborted: boolean }> {
    this.#abort = false;
    const progress: ScanProgress = {
      startTime: Date.now(),
      startHeight: start,
      stopHeight: stop ?? this.chain.height,
      current: start,
    };
    this.#progress = progress;
    let ops: WalletDbOp[] = [];
    let last: ChainEntry | undefined;
    let pending = 0;
    try {
      let h = start;
      for (; h <= (stop ?? this.chain.height) && !this.#abort; h++) {
        const entry = this.chain.getEntryAtHeight(h);
        if (entry === undefined) break;
        const block = await this.chain.getBlock(entry.hash);
        if (block === undefined)
          throw new WalletError('MISC_ERROR', `Can't read block ${entry.hashHex()} from disk`);
        // The chain may have reorganised while the block was read: skip a block that left it.
        if (!this.chain.isOnActiveChain(entry)) break;
        hooks.connect(block, entry, ops);
        last = entry;
        progress.current = h;
        if (++pending >= FLUSH_BLOCKS) {
          await hooks.flush(ops, entry);
          ops = [];
          pending = 0;
        }
      }
      if (last !== undefined) await hooks.flush(ops, last);
      return { startHeight: start, stopHeight: last?.height ?? start - 1, aborted: this.#abort };
    } finally {
      this.#progress = undefined;
    }
  }
}
