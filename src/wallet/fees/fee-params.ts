/**
 * Fee-rate arguments as Core's wallet RPCs take them (wallet/rpc/spend.cpp SetFeeEstimateMode,
 * FundTransaction; rpc/util.cpp AmountFromValue, ParseConfirmTarget), returned in sat/kvB, the unit
 * of every fee rate in Tally. The messages are Core's; `kind` tells the RPC layer which code to use
 * (RPC_TYPE_ERROR -3 or RPC_INVALID_PARAMETER -8) without this layer importing it.
 */

export type FeeParamErrorKind = 'type-error' | 'invalid-parameter';

export class FeeParamError extends Error {
  override readonly name = 'FeeParamError';
  constructor(
    readonly kind: FeeParamErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const MAX_MONEY = 21_000_000 * 100_000_000;

/** Core's FeeEstimateMode names accepted by `estimate_mode` (compared case-insensitively). */
export type EstimateMode = 'unset' | 'economical' | 'conservative';
const ESTIMATE_MODES: readonly EstimateMode[] = ['unset', 'economical', 'conservative'];

/**
 * Core's ParseFixedPoint: JSON number text (optional sign, digits, fraction, exponent) scaled by
 * 10^decimals, refused when digits would be lost or the result has more than 18 digits.
 */
function parseFixedPoint(text: string, decimals: number): bigint | undefined {
  const m = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return undefined;
  const fraction = m[3] ?? '';
  const exponent = Number(m[4] ?? '0') - fraction.length + decimals;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 100) return undefined;
  let value = BigInt(m[2]! + fraction);
  if (exponent >= 0) value *= 10n ** BigInt(exponent);
  else {
    const divisor = 10n ** BigInt(-exponent);
    if (value % divisor !== 0n) return undefined;
    value /= divisor;
  }
  if (value >= 10n ** 18n) return undefined;
  return m[1] === '-' ? -value : value;
}

/** A JS number's JSON text: the shortest round-trip form, which is what Core received. */
function numberText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
}

/** Core's AmountFromValue with `decimals` places: a number or numeric string, in [0, MAX_MONEY]. */
function amountFromValue(value: unknown, decimals: number): number {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new FeeParamError('type-error', 'Amount is not a number or string');
  }
  const parsed = parseFixedPoint(typeof value === 'number' ? numberText(value) : value, decimals);
  if (parsed === undefined) throw new FeeParamError('type-error', 'Invalid amount');
  if (parsed < 0n || parsed > BigInt(MAX_MONEY)) throw new FeeParamError('type-error', 'Amount out of range');
  return Number(parsed);
}

/**
 * `fee_rate` in sat/vB → sat/kvB. Core parses it with 3 decimals (CFeeRate's resolution is
 * 1 sat/kvB = 0.001 sat/vB), so "1.5" is 1,500 sat/kvB and "1.0001" is an invalid amount.
 */
export function parseFeeRateSatPerVb(value: unknown): number {
  return amountFromValue(value, 3);
}

/** `feeRate` in BTC/kvB (fundrawtransaction, walletcreatefundedpsbt) → sat/kvB. */
export function parseFeeRateBtcPerKvb(value: unknown): number {
  return amountFromValue(value, 8);
}

/** Core's FeeModeFromString, case-insensitive. */
export function parseEstimateMode(value: unknown): EstimateMode {
  const text = typeof value === 'string' ? value.toLowerCase() : undefined;
  const mode = ESTIMATE_MODES.find((m) => m === text);
  if (mode === undefined) {
    throw new FeeParamError(
      'invalid-parameter',
      'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"',
    );
  }
  return mode;
}

/** Core's ParseConfirmTarget: an integer in [1, maxTarget]. */
export function parseConfTarget(value: unknown, maxTarget: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new FeeParamError('type-error', 'conf_target is not an integer');
  }
  if (value < 1 || value > maxTarget) {
    throw new FeeParamError('invalid-parameter', `Invalid conf_target, must be between 1 and ${maxTarget}`);
  }
  return value;
}

/** What a send RPC asked for: an explicit rate, or a target and mode for estimation (or neither). */
export type FeeRequest =
  | { readonly kind: 'explicit'; readonly feeRate: number; readonly overrideMinimum: boolean }
  | { readonly kind: 'estimate'; readonly confTarget: number | undefined; readonly mode: EstimateMode };

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * Core's SetFeeEstimateMode for sendtoaddress, sendmany, send, bumpfee: `fee_rate` (sat/vB) excludes
 * `conf_target` and any `estimate_mode` but "unset". `maxTarget` is the estimator's longest target.
 */
export function parseFeeRequest(
  args: { confTarget?: unknown; estimateMode?: unknown; feeRate?: unknown },
  maxTarget: number,
): FeeRequest {
  if (isSet(args.feeRate)) {
    if (isSet(args.confTarget)) {
      throw new FeeParamError(
        'invalid-parameter',
        'Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.',
      );
    }
    if (isSet(args.estimateMode) && args.estimateMode !== 'unset') {
      throw new FeeParamError('invalid-parameter', 'Cannot specify both estimate_mode and fee_rate');
    }
    return { kind: 'explicit', feeRate: parseFeeRateSatPerVb(args.feeRate), overrideMinimum: false };
  }
  const mode = isSet(args.estimateMode) ? parseEstimateMode(args.estimateMode) : 'unset';
  const confTarget = isSet(args.confTarget) ? parseConfTarget(args.confTarget, maxTarget) : undefined;
  return { kind: 'estimate', confTarget, mode };
}

/**
 * Core's FundTransaction options: `feeRate` (BTC/kvB) is the legacy spelling, exclusive with
 * `fee_rate`, `conf_target` and `estimate_mode`, and it overrides the wallet's minimum (Core sets
 * fOverrideFeeRate for it).
 */
export function parseFundFeeRequest(
  options: { confTarget?: unknown; estimateMode?: unknown; feeRate?: unknown; feeRateBtcKvb?: unknown },
  maxTarget: number,
): FeeRequest {
  if (isSet(options.feeRateBtcKvb)) {
    if (isSet(options.feeRate)) {
      throw new FeeParamError(
        'invalid-parameter',
        'Cannot specify both fee_rate (sat/vB) and feeRate (BTC/kvB)',
      );
    }
    if (isSet(options.confTarget)) {
      throw new FeeParamError(
        'invalid-parameter',
        'Cannot specify both conf_target and feeRate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.',
      );
    }
    if (isSet(options.estimateMode)) {
      throw new FeeParamError('invalid-parameter', 'Cannot specify both estimate_mode and feeRate');
    }
    return { kind: 'explicit', feeRate: parseFeeRateBtcPerKvb(options.feeRateBtcKvb), overrideMinimum: true };
  }
  return parseFeeRequest(options, maxTarget);
}

/** Core's CFeeRate::ToString(FeeEstimateMode::SAT_VB): "1.500 sat/vB". */
export function formatFeeRateSatPerVb(rate: number): string {
  const sign = rate < 0 ? '-' : '';
  const abs = Math.abs(rate);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')} sat/vB`;
}
