import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FeeEstimator } from '../../../src/wallet/fees/estimator.js';

/**
 * A synthetic market: every block, 10 transactions at each of three rates enter the mempool; the
 * 20 sat/vB ones confirm in the next block, the 5 sat/vB ones after 3 blocks, the 2 sat/vB ones
 * after 10.
 */
const TIERS = [
  { rate: 20_000, wait: 1 },
  { rate: 5000, wait: 3 },
  { rate: 2000, wait: 10 },
];

function market(blocks: number, evictSlow = false, backlogAt = 0): FeeEstimator {
  const estimator = new FeeEstimator();
  const due = new Map<number, string[]>();
  const rates = new Map<string, number>();
  for (let h = 1; h <= blocks; h++) {
    estimator.processBlock(h, due.get(h) ?? [], rates);
    for (const tier of TIERS) {
      for (let k = 0; k < 10; k++) {
        const id = `${h}:${tier.rate}:${k}`;
        estimator.processEntry(id, tier.rate, h);
        rates.set(id, tier.rate);
        if (evictSlow && tier.wait === 10 && k < 5) {
          // Half the slow ones are evicted after 30 blocks instead of confirming.
          const at = h + 30;
          due.set(-at, [...(due.get(-at) ?? []), id]);
        } else {
          due.set(h + tier.wait, [...(due.get(h + tier.wait) ?? []), id]);
        }
      }
    }
    for (const id of due.get(-h) ?? []) estimator.removeEntry(id);
    // A backlog of slow transactions that never confirm.
    if (h === backlogAt) for (let k = 0; k < 400; k++) estimator.processEntry(`stuck${k}`, 2000, h);
  }
  return estimator;
}

describe('fee estimator', () => {
  it('has no answer before it has seen blocks', () => {
    const e = new FeeEstimator();
    assert.equal(e.estimateFeeRate(6), undefined);
    assert.equal(e.maxUsableTarget(), 0);
    // Entries before the first block are not tracked: the estimator is not in step with the tip.
    e.processEntry('a', 1000, 0);
    assert.equal(e.trackedCount, 0);
  });

  it('answers with the rate that confirmed in time', () => {
    const e = market(300);
    assert.equal(e.estimateFeeRate(1, 'economical')?.feeRate, 20_000);
    assert.equal(e.estimateFeeRate(1)?.blocks, 2, 'one block is answered as two');
    // Half the target (60%) weighs in: at 5 blocks, only 20 sat/vB confirmed within 2.
    assert.equal(e.estimateFeeRate(5, 'economical')?.feeRate, 20_000);
    assert.equal(e.estimateFeeRate(6, 'economical')?.feeRate, 5000);
    assert.equal(e.estimateFeeRate(20, 'economical')?.feeRate, 2000);
    assert.equal(e.estimateFeeRate(20, 'conservative')?.feeRate, 2000);
    assert.equal(e.estimateFeeRate(10, 'economical')?.feeRate, 5000);
    assert.equal(e.estimateFeeRate(3, 'conservative')?.feeRate, 20_000);
    assert.equal(e.estimateFeeRate(12, 'conservative')?.feeRate, 5000);
  });

  it('counts transactions evicted unconfirmed as failures for the targets they outlived', () => {
    const e = market(300, true);
    // Half of the 2 sat/vB ones leave after 30 blocks: a failure for 20 blocks, none for 40.
    assert.equal(e.estimateFeeRate(20, 'economical')?.feeRate, 5000);
    assert.equal(e.estimateFeeRate(40, 'economical')?.feeRate, 5000);
    assert.equal(Math.round(e.estimateRate(40, 0.85) ?? 0), 2000);
  });

  it('counts transactions still waiting past a target as failures', () => {
    // 400 transactions at 2 sat/vB entered 30 blocks ago and still wait: failures up to 30 blocks.
    const e = market(300, false, 270);
    assert.equal(e.trackedCount > 400, true);
    assert.equal(e.estimateFeeRate(20, 'economical')?.feeRate, 5000);
    assert.equal(Math.round(e.estimateRate(40, 0.85) ?? 0), 2000);
  });

  it('limits targets to half the blocks it has seen and to its maximum', () => {
    const e = market(60);
    const max = e.maxUsableTarget();
    assert.ok(max > 20 && max < 30, `max ${max}`);
    assert.equal(e.estimateFeeRate(500, 'economical')?.blocks, max);
    assert.equal(e.estimateFeeRate(1009), undefined);
    assert.equal(e.estimateFeeRate(0), undefined);
  });

  it('ignores blocks at or below its height (reorgs and side chains)', () => {
    const e = market(50);
    const before = e.estimateFeeRate(6, 'economical');
    e.processBlock(50, ['anything']);
    e.processBlock(10, []);
    assert.equal(e.height, 50);
    assert.deepEqual(e.estimateFeeRate(6, 'economical'), before);
  });

  it('files rates above the top bucket and below the bottom one', () => {
    const e = new FeeEstimator({ maxTarget: 48 });
    for (let h = 1; h <= 100; h++) {
      e.processBlock(h, [`hi${h - 1}`, `lo${h - 1}`]);
      e.processEntry(`hi${h}`, 5e7, h);
      e.processEntry(`lo${h}`, 1, h);
    }
    assert.ok((e.estimateFeeRate(2, 'economical')?.feeRate ?? 0) > 0);
  });
});
