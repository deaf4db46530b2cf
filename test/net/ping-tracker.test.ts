import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PingTracker } from '../../src/net/ping-tracker.js';

describe('PingTracker', () => {
  it('measures latency from the matching pong, one ping at a time', () => {
    const p = new PingTracker();
    assert.ok(p.due(0, 120_000));
    assert.equal(p.start(1_000, 42n), 42n);
    assert.equal(p.start(1_001, 43n), undefined, 'outstanding');
    assert.equal(p.onPong(7n, 1_010), undefined, 'mismatch is ignored');
    assert.ok(p.outstanding);
    assert.equal(p.onPong(42n, 1_250), 250);
    assert.equal(p.lastMs, 250);
    assert.equal(p.onPong(42n, 1_300), undefined, 'a repeated pong is unsolicited');
    p.start(2_000, 5n);
    p.onPong(5n, 2_100);
    assert.equal(p.minMs, 100);
    assert.equal(p.lastMs, 100);
  });

  it('a zero nonce cancels; zero is never sent', () => {
    const p = new PingTracker();
    assert.equal(p.start(0, 0n), 1n);
    assert.equal(p.onPong(0n, 10), undefined);
    assert.ok(!p.outstanding);
    assert.equal(p.lastMs, undefined);
  });

  it('is due after the interval and times out after the timeout', () => {
    const p = new PingTracker();
    p.start(0, 1n);
    assert.ok(!p.due(500_000, 120_000), 'not while outstanding');
    assert.ok(!p.timedOut(1_200_000, 1_200_000));
    assert.ok(p.timedOut(1_200_001, 1_200_000));
    p.onPong(1n, 10);
    assert.ok(!p.due(119_999, 120_000));
    assert.ok(p.due(120_000, 120_000));
  });
});
