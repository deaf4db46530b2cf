/** Core's ROLLING_FEE_HALFLIFE: the floor halves every 12 hours once blocks come again. */
export const ROLLING_FEE_HALFLIFE = 12 * 60 * 60;

/**
 * The mempool's rolling minimum fee rate (Core's rollingMinimumFeeRate in CTxMemPool::GetMinFee).
 *
 * When the pool is full and evicts a package, new transactions must beat that package's fee rate
 * plus the incremental relay fee, or the pool would churn: evict, admit something no better, evict
 * again. The floor decays exponentially (faster while the pool is less than half or a quarter full),
 * but only after a block has arrived since the last bump, and it snaps to zero below half the
 * incremental fee so an idle node ends up with no floor at all.
 */
export class RollingFeeFloor {
  /** sat/kvB, fractional while decaying. */
  private rate = 0;
  private lastUpdate = 0;
  private blockSinceBump = false;

  constructor(private readonly incrementalRelayFeeRate: number) {}

  /**
   * The current floor in sat/kvB (0 when none). `usage` and `maxUsage` are the pool's memory use and
   * limit; `now` is in seconds.
   */
  get(now: number, usage: number, maxUsage: number): number {
    if (!this.blockSinceBump || this.rate === 0) return Math.round(this.rate);
    if (now > this.lastUpdate + 10) {
      let halflife = ROLLING_FEE_HALFLIFE;
      if (usage < maxUsage / 4) halflife /= 4;
      else if (usage < maxUsage / 2) halflife /= 2;
      this.rate = this.rate / 2 ** ((now - this.lastUpdate) / halflife);
      this.lastUpdate = now;
      if (this.rate < this.incrementalRelayFeeRate / 2) {
        this.rate = 0;
        return 0;
      }
    }
    return Math.max(Math.round(this.rate), this.incrementalRelayFeeRate);
  }

  /** An evicted package's fee rate (already including the incremental fee) raises the floor. */
  bump(rate: number): void {
    if (rate > this.rate) {
      this.rate = rate;
      this.blockSinceBump = false;
    }
  }

  /** A block arrived: decay may start (Core sets these in removeForBlock). */
  onBlock(now: number): void {
    this.lastUpdate = now;
    this.blockSinceBump = true;
  }
}
