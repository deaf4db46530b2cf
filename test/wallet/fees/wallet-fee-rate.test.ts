import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeeEstimate, FeeEstimateMode } from '../../../src/wallet/fees/estimator.js';
import {
  DEFAULT_WALLET_FEE_SETTINGS,
  defaultFallbackFee,
  discardFeeRate,
  type FeeRateEstimator,
  walletFeeRate,
  WalletFeeError,
} from '../../../src/wallet/fees/wallet-fee-rate.js';

/** A stand-in estimator answering `rate` for any target (or nothing), recording the mode asked. */
function estimator(
  rate: number | undefined,
  maxTarget = 1008,
): FeeRateEstimator & { modes: FeeEstimateMode[] } {
  const modes: FeeEstimateMode[] = [];
  return {
    modes,
    estimateFeeRate(targetBlocks: number, mode: FeeEstimateMode = 'conservative'): FeeEstimate | undefined {
      modes.push(mode);
      return rate === undefined ? undefined : { feeRate: rate, blocks: Math.max(2, targetBlocks) };
    },
    maxUsableTarget: () => maxTarget,
  };
}

const estimate = (confTarget?: number) => ({ kind: 'estimate', confTarget, mode: 'unset' }) as const;
const relay = { minRelayFee: 1000, mempoolMinFee: 0 };

describe('the wallet’s fee rate (Core GetMinimumFeeRate)', () => {
  it('uses the estimate for the wallet’s target, economical when signalling RBF', () => {
    const e = estimator(7000);
    assert.deepEqual(walletFeeRate(estimate(), e), { feeRate: 7000, reason: 'estimate', blocks: 6 });
    assert.deepEqual(e.modes, ['economical']);
    walletFeeRate(estimate(), e, { ...DEFAULT_WALLET_FEE_SETTINGS, signalRbf: false });
    walletFeeRate({ kind: 'estimate', confTarget: 3, mode: 'economical' }, e, {
      ...DEFAULT_WALLET_FEE_SETTINGS,
      signalRbf: false,
    });
    assert.deepEqual(e.modes, ['economical', 'conservative', 'economical']);
  });

  it('falls back to -fallbackfee, or refuses when it is 0 (Core’s default)', () => {
    assert.throws(
      () => walletFeeRate(estimate(), estimator(undefined)),
      (err: unknown) =>
        err instanceof WalletFeeError &&
        err.message ===
          'Fee estimation failed. Fallbackfee is disabled. Wait a few blocks or enable -fallbackfee.',
    );
    const settings = { ...DEFAULT_WALLET_FEE_SETTINGS, fallbackFee: defaultFallbackFee('regtest') };
    assert.deepEqual(walletFeeRate(estimate(), undefined, settings), { feeRate: 1000, reason: 'fallback' });
    assert.equal(defaultFallbackFee('main'), 0);
  });

  it('is raised to the mempool floor and to the required minimum', () => {
    assert.deepEqual(
      walletFeeRate(estimate(), estimator(1500), DEFAULT_WALLET_FEE_SETTINGS, {
        ...relay,
        mempoolMinFee: 3000,
      }),
      {
        feeRate: 3000,
        reason: 'mempool-min',
      },
    );
    assert.deepEqual(walletFeeRate(estimate(), estimator(500), DEFAULT_WALLET_FEE_SETTINGS, relay), {
      feeRate: 1000,
      reason: 'required',
    });
  });

  it('takes -paytxfee when no target is asked for', () => {
    const settings = { ...DEFAULT_WALLET_FEE_SETTINGS, payTxFee: 4000 };
    assert.deepEqual(walletFeeRate(estimate(), estimator(9000), settings), {
      feeRate: 4000,
      reason: 'paytxfee',
    });
    assert.equal(walletFeeRate(estimate(2), estimator(9000), settings).feeRate, 9000);
  });

  it('honours an explicit rate, refusing one below the minimum with Core’s message', () => {
    assert.deepEqual(walletFeeRate({ kind: 'explicit', feeRate: 2500, overrideMinimum: false }, undefined), {
      feeRate: 2500,
      reason: 'paytxfee',
    });
    assert.throws(
      () => walletFeeRate({ kind: 'explicit', feeRate: 500, overrideMinimum: false }, undefined),
      (err: unknown) =>
        err instanceof WalletFeeError &&
        err.message === 'Fee rate (0.500 sat/vB) is lower than the minimum fee rate setting (1.000 sat/vB)',
    );
    assert.equal(
      walletFeeRate({ kind: 'explicit', feeRate: 500, overrideMinimum: true }, undefined).feeRate,
      500,
    );
  });
});

describe('the discard rate (Core GetDiscardRate)', () => {
  it('is the longest-target estimate, capped by -discardfee, at least the dust relay rate', () => {
    assert.equal(discardFeeRate(undefined), 10_000);
    assert.equal(discardFeeRate(estimator(6000)), 6000);
    assert.equal(discardFeeRate(estimator(60_000)), 10_000);
    assert.equal(discardFeeRate(estimator(1000)), 3000);
    assert.equal(discardFeeRate(estimator(6000, 0)), 10_000);
  });
});
