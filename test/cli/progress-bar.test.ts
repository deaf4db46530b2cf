import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSyncProgress } from '../../src/cli/progress-bar.js';

describe('sync progress bar', () => {
  it('renders the fraction, heights and rates', () => {
    const line = renderSyncProgress({
      height: 500,
      headers: 2000,
      progress: 0.25,
      blocksPerSecond: 512.4,
      txPerSecond: 10_123,
      done: false,
    });
    assert.equal(line, `[${'#'.repeat(8)}${'.'.repeat(22)}] 25.0%  500/2,000  512 blk/s  10,123 tx/s`);
  });

  it('clamps and marks completion', () => {
    const line = renderSyncProgress({
      height: 10,
      headers: 10,
      progress: 1.2,
      blocksPerSecond: 0,
      txPerSecond: 0,
      done: true,
    });
    assert.ok(line.startsWith(`[${'#'.repeat(30)}] 100.0%`));
    assert.ok(line.endsWith('synced'));
  });
});
