import type { RpcCall } from './up-rpc.js';

/** How often the mempool is looked at; the interval itself is how long a transaction waits. */
const POLL_MS = 1000;
/** Initial blocks are mined in batches so progress can be printed. */
const INITIAL_BATCH = 25;

export interface UpMinerOptions {
  /** Coinbase outputs go here (an address of the default wallet). */
  readonly address: string;
  /** A transaction waits this long in the mempool before a block confirms it (--mine-interval). */
  readonly intervalSeconds: number;
  readonly print: (line: string) => void;
  /** Wall-clock seconds; the mempool's entry times are on the same clock. */
  readonly now?: () => number;
}

/**
 * The block producer of `tally up`'s single-node chain, through the node's own RPCs: mines the chain
 * up to a height (the first coinbase matures at 101), then one block whenever a transaction has waited
 * in the mempool for the interval. Waiting per transaction rather than on a fixed clock gives every
 * payment the same visible "unconfirmed" moment, and an idle chain does not grow.
 */
export class UpMiner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastBlockAt = 0;
  private readonly now: () => number;

  constructor(
    private readonly call: RpcCall,
    private readonly o: UpMinerOptions,
  ) {
    this.now = o.now ?? (() => Date.now() / 1000);
  }

  /** Mines until the chain is `height` blocks high; stops early (no error) when `signal` aborts. */
  async mineTo(height: number, signal: AbortSignal): Promise<number> {
    let current = Number(await this.call('getblockcount'));
    if (current >= height) return current;
    this.o.print(`Mining ${height - current} blocks so the wallet has mature coins...`);
    while (current < height && !signal.aborted && !this.stopped) {
      const n = Math.min(INITIAL_BATCH, height - current);
      this.running = this.call('generatetoaddress', [n, this.o.address]).then(() => undefined);
      await this.running;
      this.running = undefined;
      current = Number(await this.call('getblockcount'));
      this.o.print(`  height ${current}/${height}`);
    }
    return current;
  }

  /** Starts watching the mempool. */
  start(): void {
    this.schedule();
  }

  /** Stops watching and waits for a block being mined to finish (so shutdown does not cut it). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, POLL_MS);
  }

  private async tick(): Promise<void> {
    try {
      const oldest = await this.oldestWaitingSince();
      const now = this.now();
      const interval = this.o.intervalSeconds;
      if (oldest === undefined || now - oldest < interval || now - this.lastBlockAt < interval) return;
      const hashes = await this.call('generatetoaddress', [1, this.o.address]);
      this.lastBlockAt = this.now();
      const hash = Array.isArray(hashes) ? String(hashes[0]) : '';
      const block = (await this.call('getblock', [hash, 1])) as { height?: number; tx?: unknown[] };
      const txs = (block.tx?.length ?? 1) - 1;
      this.o.print(`Mined block ${block.height} with ${txs} transaction${txs === 1 ? '' : 's'}.`);
    } catch (err) {
      if (!this.stopped) this.o.print(`warning: mining failed: ${err instanceof Error ? err.message : err}`);
    }
  }

  /** When the longest-waiting mempool transaction arrived (getrawmempool verbose `time`). */
  private async oldestWaitingSince(): Promise<number | undefined> {
    const pool = await this.call('getrawmempool', [true]);
    if (typeof pool !== 'object' || pool === null) return undefined;
    let oldest: number | undefined;
    for (const entry of Object.values(pool as Record<string, { time?: number }>)) {
      if (typeof entry.time === 'number' && (oldest === undefined || entry.time < oldest))
        oldest = entry.time;
    }
    return oldest;
  }
}
