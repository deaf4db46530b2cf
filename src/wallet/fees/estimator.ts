/**
 * A fee estimator fed by the mempool and by connected blocks, on the model of Core's
 * CBlockPolicyEstimator (policy/fees.cpp) but with one decay horizon instead of three.
 *
 * Every transaction seen entering the mempool is filed in a fee-rate bucket with the height it
 * arrived at. When a block confirms it, the wait (block height − entry height) is recorded; when it
 * leaves the mempool unconfirmed (evicted, expired, replaced) it counts as a failure for every target
 * it had already outlived, and so do transactions still waiting longer than a target. To answer "what
 * rate confirms within N blocks", buckets are walked from the highest rate down, pooled until they
 * hold enough data, and kept while the share confirmed within N stays above a threshold; the answer
 * is the average rate of the median bucket of the lowest passing pool. Counts decay every block so
 * old blocks weigh less (half-life ≈ 144 blocks, Core's medium horizon).
 */

export interface FeeEstimatorOptions {
  /** Longest target answered, in blocks (Core's estimatesmartfee accepts up to 1008). */
  readonly maxTarget: number;
  /** Per-block decay of every count (Core's MED_DECAY). */
  readonly decay: number;
  /** Lowest and highest bucket boundaries in sat/kvB, and the ratio between boundaries. */
  readonly minBucketFeeRate: number;
  readonly maxBucketFeeRate: number;
  readonly bucketSpacing: number;
  /** Confirmed transactions per block a pool of buckets needs to be judged (Core's SUFFICIENT_FEETXS). */
  readonly sufficientTxsPerBlock: number;
}

export const DEFAULT_FEE_ESTIMATOR_OPTIONS: FeeEstimatorOptions = Object.freeze({
  maxTarget: 1008,
  decay: 0.9952,
  minBucketFeeRate: 100,
  maxBucketFeeRate: 1e7,
  bucketSpacing: 1.05,
  sufficientTxsPerBlock: 0.1,
});

/** Core's success thresholds: half the target at 60%, the target at 85%, twice the target at 95%. */
const HALF_SUCCESS = 0.6;
const SUCCESS = 0.85;
const DOUBLE_SUCCESS = 0.95;

export type FeeEstimateMode = 'economical' | 'conservative';

export interface FeeEstimate {
  /** sat/kvB. */
  readonly feeRate: number;
  /** The target actually answered (Core's returnedTarget): raised to 2, lowered to what data allows. */
  readonly blocks: number;
}

interface TrackedEntry {
  readonly bucket: number;
  readonly height: number;
}

export class FeeEstimator {
  readonly options: FeeEstimatorOptions;
  private readonly boundaries: number[];
  /** Per bucket, decayed count of confirmations after d blocks at [d − 1]; waits past maxTarget at [maxTarget]. */
  private readonly confirmed: Float64Array;
  /** Per bucket, decayed count of unconfirmed removals at age a (capped at maxTarget) at [a − 1]. */
  private readonly failed: Float64Array;
  private readonly txCount: Float64Array;
  private readonly feeRateSum: Float64Array;
  private readonly tracked = new Map<string, TrackedEntry>();
  private bestHeight = 0;
  private firstRecordedHeight: number | undefined;

  constructor(options: Partial<FeeEstimatorOptions> = {}) {
    this.options = { ...DEFAULT_FEE_ESTIMATOR_OPTIONS, ...options };
    const { minBucketFeeRate, maxBucketFeeRate, bucketSpacing, maxTarget } = this.options;
    this.boundaries = [];
    for (let b = minBucketFeeRate; b <= maxBucketFeeRate; b *= bucketSpacing) this.boundaries.push(b);
    // Rates above the top boundary still need a home (Core's INF_FEERATE bucket).
    this.boundaries.push(Number.POSITIVE_INFINITY);
    const stride = maxTarget + 1;
    this.confirmed = new Float64Array(this.boundaries.length * stride);
    this.failed = new Float64Array(this.boundaries.length * stride);
    this.txCount = new Float64Array(this.boundaries.length);
    this.feeRateSum = new Float64Array(this.boundaries.length);
  }

  /** Height of the last block processed. */
  get height(): number {
    return this.bestHeight;
  }

  /** Transactions being watched (in the mempool, entered at a known height). */
  get trackedCount(): number {
    return this.tracked.size;
  }

  /** The bucket whose upper boundary is the first at or above `feeRate` (Core's lower_bound). */
  private bucketOf(feeRate: number): number {
    let lo = 0;
    let hi = this.boundaries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.boundaries[mid]! >= feeRate) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * A transaction entered the mempool while the chain tip was at `height`. As in Core, entries are
   * only taken while the estimator is in step with the tip, and each id once.
   */
  processEntry(id: string, feeRate: number, height: number): void {
    if (height !== this.bestHeight || this.bestHeight === 0 || this.tracked.has(id)) return;
    this.tracked.set(id, { bucket: this.bucketOf(feeRate), height });
  }

  /** A watched transaction left the mempool without confirming: a failure for targets it outlived. */
  removeEntry(id: string): void {
    const entry = this.tracked.get(id);
    if (entry === undefined) return;
    this.tracked.delete(id);
    const age = this.bestHeight - entry.height;
    // Gone within the block it arrived in says nothing about any target.
    if (age < 1) return;
    const stride = this.options.maxTarget + 1;
    this.failed[entry.bucket * stride + Math.min(age, this.options.maxTarget) - 1]! += 1;
  }

  /**
   * A block at `height` confirmed `ids`. Blocks at or below the last height are ignored (side chains
   * and reorgs, as Core does); every count decays once per block before the new data is added.
   */
  processBlock(height: number, ids: Iterable<string>, feeRates?: ReadonlyMap<string, number>): void {
    if (height <= this.bestHeight) return;
    this.bestHeight = height;
    const decay = this.options.decay;
    for (const arr of [this.confirmed, this.failed, this.txCount, this.feeRateSum]) {
      for (let i = 0; i < arr.length; i++) arr[i]! *= decay;
    }
    const stride = this.options.maxTarget + 1;
    let recorded = 0;
    for (const id of ids) {
      const entry = this.tracked.get(id);
      if (entry === undefined) continue;
      this.tracked.delete(id);
      const wait = height - entry.height;
      if (wait < 1) continue;
      const b = entry.bucket;
      this.confirmed[b * stride + Math.min(wait, stride) - 1]! += 1;
      this.txCount[b]! += 1;
      // The bucket's average rate: the exact rate if the caller kept it, else the bucket's boundary.
      this.feeRateSum[b]! +=
        feeRates?.get(id) ?? Math.min(this.boundaries[b]!, this.options.maxBucketFeeRate);
      recorded++;
    }
    if (this.firstRecordedHeight === undefined && recorded > 0) this.firstRecordedHeight = height;
  }

  /** Core's MaxUsableEstimate: no target beyond half the blocks observed since the first record. */
  maxUsableTarget(): number {
    if (this.firstRecordedHeight === undefined) return 0;
    const span = this.bestHeight - this.firstRecordedHeight;
    return Math.min(this.options.maxTarget, Math.floor(span / 2));
  }

  /**
   * The lowest rate (sat/kvB, possibly fractional) at which at least `threshold` of transactions
   * confirmed within `target` blocks, or undefined without enough data.
   */
  estimateRate(target: number, threshold: number): number | undefined {
    const { maxTarget, decay, sufficientTxsPerBlock } = this.options;
    if (target < 1 || target > maxTarget) return undefined;
    const stride = maxTarget + 1;
    const buckets = this.boundaries.length;
    // Still waiting after `target` blocks: already failures for this target.
    const waiting = new Float64Array(buckets);
    for (const entry of this.tracked.values()) {
      if (this.bestHeight - entry.height >= target) waiting[entry.bucket]! += 1;
    }
    const sufficient = sufficientTxsPerBlock / (1 - decay);
    let within = 0;
    let total = 0;
    let failures = 0;
    let rangeTop = buckets - 1;
    let best: [number, number] | undefined;
    for (let b = buckets - 1; b >= 0; b--) {
      const row = b * stride;
      for (let d = 0; d < target; d++) within += this.confirmed[row + d]!;
      for (let a = target - 1; a < maxTarget; a++) failures += this.failed[row + a]!;
      failures += waiting[b]!;
      total += this.txCount[b]!;
      if (total < sufficient) continue;
      // Confirmed later than `target` count against it through total − within.
      if (within / (total + failures) >= threshold) {
        best = [b, rangeTop];
        within = 0;
        total = 0;
        failures = 0;
        rangeTop = b - 1;
      }
      // A failing pool keeps accumulating: lower buckets may still pass once pooled with it (Core).
    }
    if (best === undefined) return undefined;
    const [lo, hi] = best;
    let count = 0;
    for (let b = lo; b <= hi; b++) count += this.txCount[b]!;
    let half = count / 2;
    for (let b = lo; b <= hi; b++) {
      const n = this.txCount[b]!;
      if (n < half) half -= n;
      else return this.feeRateSum[b]! / n;
    }
    return undefined;
  }

  /**
   * Core's estimateSmartFee with one horizon: the highest of the rates that confirm 60% within half
   * the target and 85% within the target; conservative mode also asks 95% within twice the target.
   * Target 1 is answered as 2 (one block is too noisy to estimate, as in Core).
   */
  estimateFeeRate(targetBlocks: number, mode: FeeEstimateMode = 'conservative'): FeeEstimate | undefined {
    if (!Number.isInteger(targetBlocks) || targetBlocks < 1 || targetBlocks > this.options.maxTarget) {
      return undefined;
    }
    const blocks = Math.min(Math.max(targetBlocks, 2), this.maxUsableTarget());
    if (blocks <= 1) return undefined;
    const estimates = [
      this.estimateRate(Math.floor(blocks / 2), HALF_SUCCESS),
      this.estimateRate(blocks, SUCCESS),
    ];
    if (mode === 'conservative') {
      estimates.push(this.estimateRate(Math.min(2 * blocks, this.options.maxTarget), DOUBLE_SUCCESS));
    }
    let rate = -1;
    for (const e of estimates) if (e !== undefined && e > rate) rate = e;
    if (rate < 0) return undefined;
    // CFeeRate is whole sat/kvB; Core rounds the double estimate to nearest.
    return { feeRate: Math.round(rate), blocks };
  }
}
