import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_WALLET_RESEND_MIN_SECONDS, WalletResendTimer } from '../../src/node/wallet-resend-timer.js';
import type { ResubmitReport } from '../../src/wallet/tracking/resubmit.js';

const HOUR = 3600_000;

/**
 * The schedule of Core's MaybeResendWalletTxs: a per-wallet random delay of 12-36 h starting when
 * the wallet is first seen, nothing while the node is catching up, a new delay after each run.
 * The wallets here only record which were asked (their rebroadcast itself is tested in
 * test/wallet/engine/rebroadcast.test.ts and end to end in wallet-rebroadcast-e2e.test.ts).
 */
describe('WalletResendTimer (MaybeResendWalletTxs schedule)', () => {
  function setup(random: number) {
    const state = { now: 0, ready: true, loaded: ['a'] as string[], asked: [] as string[] };
    let tick: (() => void) | undefined;
    let cancelled = false;
    const timer = new WalletResendTimer(
      {},
      {
        wallets: {
          loaded: () => state.loaded,
          rebroadcast: async (name: string): Promise<ResubmitReport> => {
            state.asked.push(name);
            return { accepted: 0, rejected: [], relayed: 0 };
          },
        },
        isReadyToBroadcast: () => state.ready,
        nowMs: () => state.now,
        random: () => random,
        every: (ms, fn) => {
          assert.equal(ms, 60_000, "Core's scheduler checks every minute");
          tick = fn;
          return () => {
            cancelled = true;
          };
        },
      },
    );
    return { state, timer, tick: () => tick?.(), cancelled: () => cancelled };
  }

  it('first resend 12-36 h after the wallet is seen, then a fresh delay each time', async () => {
    assert.equal(DEFAULT_WALLET_RESEND_MIN_SECONDS, 12 * 3600);
    const { state, timer } = setup(0.5); // 12 h + 0.5 × 24 h = 24 h
    await timer.check();
    assert.equal(timer.nextResendOf('a'), 24 * HOUR);
    assert.deepEqual(state.asked, [], 'never at once');
    state.now = 24 * HOUR - 1;
    await timer.check();
    assert.deepEqual(state.asked, []);
    state.now = 24 * HOUR;
    await timer.check();
    assert.deepEqual(state.asked, ['a']);
    assert.equal(timer.nextResendOf('a'), 48 * HOUR);
    await timer.check();
    assert.deepEqual(state.asked, ['a'], 'once per delay');
  });

  it('the delay spans [12 h, 36 h)', async () => {
    for (const [random, hours] of [
      [0, 12],
      [0.999_999, 36],
    ] as const) {
      const { timer } = setup(random);
      await timer.check();
      const next = timer.nextResendOf('a')!;
      assert.ok(next >= 12 * HOUR && next <= hours * HOUR && next < 36 * HOUR, String(next));
    }
  });

  it('waits while the node is catching up; a reloaded wallet starts a new delay', async () => {
    const { state, timer } = setup(0);
    await timer.check();
    state.ready = false;
    state.now = 13 * HOUR;
    await timer.check();
    assert.deepEqual(state.asked, [], 'initial block download: nothing');
    state.ready = true;
    state.loaded = [];
    await timer.check();
    assert.equal(timer.nextResendOf('a'), undefined, 'unloaded: forgotten');
    state.loaded = ['a', 'b'];
    await timer.check();
    assert.deepEqual(state.asked, []);
    assert.equal(timer.nextResendOf('a'), 25 * HOUR);
    state.now = 25 * HOUR;
    await timer.check();
    assert.deepEqual(state.asked, ['a', 'b']);
  });

  it('runs from its interval and stops at shutdown', async () => {
    const { timer, tick, cancelled } = setup(0);
    timer.start();
    tick();
    await timer.stop();
    assert.equal(timer.nextResendOf('a'), 12 * HOUR, 'the interval ran a check');
    assert.ok(cancelled(), 'interval cleared');
  });
});
