/** One progress report of block sync: the CLI renders its progress bar from these. */
export interface SyncProgressReport {
  /** Our active chain's height. */
  readonly height: number;
  /** Height of the best header we know (where sync is heading). */
  readonly headers: number;
  /** height / headers (1 when caught up). */
  readonly progress: number;
  /** Blocks and transactions connected per second since the previous report. */
  readonly blocksPerSecond: number;
  readonly txPerSecond: number;
  /** The tip reached the best header: sync finished (reported once per catch-up). */
  readonly done: boolean;
}

export interface SyncProgressOptions {
  /** A report every this many connected blocks (default 500). */
  readonly everyBlocks?: number;
  /** Milliseconds from a monotonic clock. */
  readonly nowMs: () => number;
}

/**
 * Counts connected blocks and transactions and turns them into periodic reports: one every
 * `everyBlocks` blocks, and one when a catch-up (tip behind the best header) ends. Rates cover the
 * blocks since the previous report, so they show current speed rather than a run's average.
 */
export class SyncProgress {
  private readonly everyBlocks: number;
  private readonly nowMs: () => number;
  private blocks = 0;
  private txs = 0;
  private since: number;
  private catchingUp = false;

  constructor(options: SyncProgressOptions) {
    this.everyBlocks = options.everyBlocks ?? 500;
    this.nowMs = options.nowMs;
    this.since = options.nowMs();
  }

  /** Records a connected block; returns a report when one is due. */
  onBlockConnected(height: number, txCount: number, headers: number): SyncProgressReport | undefined {
    this.blocks++;
    this.txs += txCount;
    const done = height >= headers;
    if (!done) this.catchingUp = true;
    const finished = done && this.catchingUp;
    if (this.blocks < this.everyBlocks && !finished) return undefined;
    if (finished) this.catchingUp = false;
    const now = this.nowMs();
    const seconds = Math.max((now - this.since) / 1000, 1e-3);
    const report: SyncProgressReport = {
      height,
      headers: Math.max(headers, height),
      progress: headers > 0 ? Math.min(1, height / headers) : 1,
      blocksPerSecond: this.blocks / seconds,
      txPerSecond: this.txs / seconds,
      done,
    };
    this.blocks = 0;
    this.txs = 0;
    this.since = now;
    return report;
  }
}
