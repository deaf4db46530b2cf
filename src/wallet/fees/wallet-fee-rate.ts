import type { NetworkName } from '../../consensus/params.js';
import { DEFAULT_MIN_RELAY_TX_FEE, DUST_RELAY_TX_FEE } from '../../policy/constants.js';
import type { FeeEstimate, FeeEstimateMode } from './estimator.js';
import type { FeeRequest } from './fee-params.js';
import { formatFeeRateSatPerVb } from './fee-params.js';

/**
 * Which fee rate the wallet pays: Core's GetMinimumFeeRate and GetDiscardRate (wallet/fees.cpp) with
 * its wallet defaults (wallet/wallet.h). All rates are sat/kvB.
 */

/** Core's DEFAULT_FALLBACK_FEE: 0, so a wallet without estimates refuses to guess. */
export const DEFAULT_FALLBACK_FEE = 0;
/**
 * Tally's regtest default -fallbackfee: a fresh regtest chain never has estimates, and Core's
 * functional tests all pass -fallbackfee; 1 sat/vB makes sendtoaddress work out of the box there.
 */
export const REGTEST_FALLBACK_FEE = 1000;
/** Core's DEFAULT_DISCARD_FEE: change worth less than spending it at this rate is dropped to fees. */
export const DEFAULT_DISCARD_FEE = 10_000;
/** Core's DEFAULT_CONSOLIDATE_FEERATE: the long-term rate the waste metric compares against. */
export const DEFAULT_CONSOLIDATE_FEERATE = 10_000;
/** Core's DEFAULT_TRANSACTION_MINFEE (-mintxfee). */
export const DEFAULT_TRANSACTION_MINFEE = 1000;
/** Core's DEFAULT_TX_CONFIRM_TARGET (-txconfirmtarget). */
export const DEFAULT_TX_CONFIRM_TARGET = 6;
/** Core's DEFAULT_TRANSACTION_MAXFEE (-maxtxfee): 0.1 BTC. */
export const DEFAULT_TRANSACTION_MAXFEE = 10_000_000;

/** The -fallbackfee a network starts with. */
export function defaultFallbackFee(network: NetworkName): number {
  return network === 'regtest' ? REGTEST_FALLBACK_FEE : DEFAULT_FALLBACK_FEE;
}

/** Anything that estimates (a FeeEstimator, or the node's estimator through the wallet's client). */
export interface FeeRateEstimator {
  estimateFeeRate(targetBlocks: number, mode?: FeeEstimateMode): FeeEstimate | undefined;
  /** Core's estimateMaxBlocks: the longest target the estimator answers. */
  maxUsableTarget(): number;
}

export interface WalletFeeSettings {
  /** -fallbackfee; 0 disables it. */
  readonly fallbackFee: number;
  /** -paytxfee; 0 means unset. */
  readonly payTxFee: number;
  /** -txconfirmtarget. */
  readonly confirmTarget: number;
  /** -mintxfee. */
  readonly minTxFee: number;
  /** -walletrbf: opting in to RBF makes estimates economical by default. */
  readonly signalRbf: boolean;
  /** -discardfee. */
  readonly discardFee: number;
}

export const DEFAULT_WALLET_FEE_SETTINGS: WalletFeeSettings = Object.freeze({
  fallbackFee: DEFAULT_FALLBACK_FEE,
  payTxFee: 0,
  confirmTarget: DEFAULT_TX_CONFIRM_TARGET,
  minTxFee: DEFAULT_TRANSACTION_MINFEE,
  signalRbf: true,
  discardFee: DEFAULT_DISCARD_FEE,
});

/** What the node tells the wallet about relay: its -minrelaytxfee and the mempool's current floor. */
export interface RelayFeeFloor {
  readonly minRelayFee: number;
  readonly mempoolMinFee: number;
}

export const DEFAULT_RELAY_FEE_FLOOR: RelayFeeFloor = Object.freeze({
  minRelayFee: DEFAULT_MIN_RELAY_TX_FEE,
  mempoolMinFee: 0,
});

/** Core's FeeReason, for logs and for the RPCs that report why a rate was chosen. */
export type FeeReason = 'paytxfee' | 'estimate' | 'fallback' | 'mempool-min' | 'required';

export interface WalletFeeRate {
  readonly feeRate: number;
  readonly reason: FeeReason;
  /** The target the estimate answered, when one was used. */
  readonly blocks?: number;
}

export type WalletFeeErrorCode = 'fallback-disabled' | 'below-minimum';

export class WalletFeeError extends Error {
  override readonly name = 'WalletFeeError';
  constructor(
    readonly code: WalletFeeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Core's GetRequiredFeeRate: never below -mintxfee nor the node's relay minimum. */
export function requiredFeeRate(settings: WalletFeeSettings, relay: RelayFeeFloor): number {
  return Math.max(settings.minTxFee, relay.minRelayFee);
}

/**
 * Core's GetMinimumFeeRate followed by CreateTransaction's checks. Precedence: an explicit rate;
 * else -paytxfee when no target was asked for; else an estimate for the asked (or wallet) target,
 * else -fallbackfee (an error when disabled), raised to the mempool's floor. Finally no rate goes
 * below the required minimum, except an explicit one with overrideMinimum (fundrawtransaction's
 * feeRate); an explicit rate that would be raised is refused with Core's message instead.
 */
export function walletFeeRate(
  request: FeeRequest,
  estimator: FeeRateEstimator | undefined,
  settings: WalletFeeSettings = DEFAULT_WALLET_FEE_SETTINGS,
  relay: RelayFeeFloor = DEFAULT_RELAY_FEE_FLOOR,
): WalletFeeRate {
  let chosen: WalletFeeRate;
  if (request.kind === 'explicit') {
    if (request.overrideMinimum) return { feeRate: request.feeRate, reason: 'paytxfee' };
    chosen = { feeRate: request.feeRate, reason: 'paytxfee' };
  } else if (request.confTarget === undefined && settings.payTxFee !== 0) {
    chosen = { feeRate: settings.payTxFee, reason: 'paytxfee' };
  } else {
    const target = request.confTarget ?? settings.confirmTarget;
    // Opting in to RBF makes an underestimate cheap to fix, hence economical unless told otherwise.
    const mode: FeeEstimateMode =
      request.mode === 'unset' ? (settings.signalRbf ? 'economical' : 'conservative') : request.mode;
    const estimate = estimator?.estimateFeeRate(target, mode);
    if (estimate !== undefined) {
      chosen = { feeRate: estimate.feeRate, reason: 'estimate', blocks: estimate.blocks };
    } else if (settings.fallbackFee === 0) {
      throw new WalletFeeError(
        'fallback-disabled',
        'Fee estimation failed. Fallbackfee is disabled. Wait a few blocks or enable -fallbackfee.',
      );
    } else {
      chosen = { feeRate: settings.fallbackFee, reason: 'fallback' };
    }
    if (chosen.feeRate < relay.mempoolMinFee)
      chosen = { feeRate: relay.mempoolMinFee, reason: 'mempool-min' };
  }
  const required = requiredFeeRate(settings, relay);
  if (required > chosen.feeRate) {
    if (request.kind === 'explicit') {
      throw new WalletFeeError(
        'below-minimum',
        `Fee rate (${formatFeeRateSatPerVb(request.feeRate)}) is lower than the minimum fee rate setting (${formatFeeRateSatPerVb(required)})`,
      );
    }
    chosen = { feeRate: required, reason: 'required' };
  }
  return chosen;
}

/**
 * Core's GetDiscardRate: the estimate for the longest target, capped by -discardfee, never below the
 * dust relay rate (so change kept is never dust to relaying nodes).
 */
export function discardFeeRate(
  estimator: FeeRateEstimator | undefined,
  settings: WalletFeeSettings = DEFAULT_WALLET_FEE_SETTINGS,
  dustRelayFee = DUST_RELAY_TX_FEE,
): number {
  const longest = estimator?.maxUsableTarget() ?? 0;
  const estimate = longest > 0 ? estimator?.estimateFeeRate(longest, 'economical') : undefined;
  const rate = estimate === undefined ? settings.discardFee : Math.min(estimate.feeRate, settings.discardFee);
  return Math.max(rate, dustRelayFee);
}
