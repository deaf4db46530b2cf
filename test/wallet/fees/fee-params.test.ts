import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FeeParamError,
  formatFeeRateSatPerVb,
  parseConfTarget,
  parseEstimateMode,
  parseFeeRateBtcPerKvb,
  parseFeeRateSatPerVb,
  parseFeeRequest,
  parseFundFeeRequest,
} from '../../../src/wallet/fees/fee-params.js';

function fails(f: () => unknown, kind: string, message: string): void {
  assert.throws(f, (e: unknown) => e instanceof FeeParamError && e.kind === kind && e.message === message);
}

describe('fee-rate arguments (Core’s wallet RPCs)', () => {
  it('fee_rate in sat/vB becomes sat/kvB, to three decimals', () => {
    assert.equal(parseFeeRateSatPerVb(1), 1000);
    assert.equal(parseFeeRateSatPerVb(1.5), 1500);
    assert.equal(parseFeeRateSatPerVb('25.123'), 25_123);
    assert.equal(parseFeeRateSatPerVb('0.001'), 1);
    assert.equal(parseFeeRateSatPerVb(0), 0);
    assert.equal(parseFeeRateSatPerVb('1e1'), 10_000);
    fails(() => parseFeeRateSatPerVb('1.0001'), 'type-error', 'Invalid amount');
    fails(() => parseFeeRateSatPerVb('abc'), 'type-error', 'Invalid amount');
    fails(() => parseFeeRateSatPerVb(-1), 'type-error', 'Amount out of range');
    fails(() => parseFeeRateSatPerVb(true), 'type-error', 'Amount is not a number or string');
  });

  it('feeRate in BTC/kvB becomes sat/kvB, to eight decimals', () => {
    assert.equal(parseFeeRateBtcPerKvb(0.0001), 10_000);
    assert.equal(parseFeeRateBtcPerKvb('0.00001'), 1000);
    assert.equal(parseFeeRateBtcPerKvb(0.00000001), 1);
    fails(() => parseFeeRateBtcPerKvb('0.000000001'), 'type-error', 'Invalid amount');
  });

  it('estimate_mode and conf_target', () => {
    assert.equal(parseEstimateMode('ECONOMICAL'), 'economical');
    assert.equal(parseEstimateMode('unset'), 'unset');
    fails(
      () => parseEstimateMode('sat/vB'),
      'invalid-parameter',
      'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"',
    );
    assert.equal(parseConfTarget(6, 1008), 6);
    fails(
      () => parseConfTarget(0, 1008),
      'invalid-parameter',
      'Invalid conf_target, must be between 1 and 1008',
    );
    fails(
      () => parseConfTarget(1009, 1008),
      'invalid-parameter',
      'Invalid conf_target, must be between 1 and 1008',
    );
  });

  it('an explicit rate excludes a target and a mode (SetFeeEstimateMode)', () => {
    assert.deepEqual(parseFeeRequest({ feeRate: 2 }, 1008), {
      kind: 'explicit',
      feeRate: 2000,
      overrideMinimum: false,
    });
    assert.deepEqual(parseFeeRequest({ feeRate: 2, estimateMode: 'unset' }, 1008).kind, 'explicit');
    assert.deepEqual(parseFeeRequest({ confTarget: 3, estimateMode: 'conservative' }, 1008), {
      kind: 'estimate',
      confTarget: 3,
      mode: 'conservative',
    });
    assert.deepEqual(parseFeeRequest({}, 1008), { kind: 'estimate', confTarget: undefined, mode: 'unset' });
    fails(
      () => parseFeeRequest({ feeRate: 2, confTarget: 3 }, 1008),
      'invalid-parameter',
      'Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.',
    );
    fails(
      () => parseFeeRequest({ feeRate: 2, estimateMode: 'economical' }, 1008),
      'invalid-parameter',
      'Cannot specify both estimate_mode and fee_rate',
    );
  });

  it('fundrawtransaction’s feeRate excludes the rest and overrides the minimum', () => {
    assert.deepEqual(parseFundFeeRequest({ feeRateBtcKvb: 0.0002 }, 1008), {
      kind: 'explicit',
      feeRate: 20_000,
      overrideMinimum: true,
    });
    fails(
      () => parseFundFeeRequest({ feeRateBtcKvb: 0.0002, feeRate: 3 }, 1008),
      'invalid-parameter',
      'Cannot specify both fee_rate (sat/vB) and feeRate (BTC/kvB)',
    );
    fails(
      () => parseFundFeeRequest({ feeRateBtcKvb: 0.0002, estimateMode: 'economical' }, 1008),
      'invalid-parameter',
      'Cannot specify both estimate_mode and feeRate',
    );
  });

  it('prints rates as Core does', () => {
    assert.equal(formatFeeRateSatPerVb(1500), '1.500 sat/vB');
    assert.equal(formatFeeRateSatPerVb(1), '0.001 sat/vB');
    assert.equal(formatFeeRateSatPerVb(25_000), '25.000 sat/vB');
  });
});
