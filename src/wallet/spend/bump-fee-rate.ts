import { feeForSize } from '../../policy/fee-rate.js';
import { type BumpFeeRequest, WalletError } from '../api.js';
import { DEFAULT_TRANSACTION_MAXFEE, requiredFeeRate } from '../fees/wallet-fee-rate.js';
import { fromFundingError } from '../wallet-errors.js';
import type { WalletState } from '../wallet-state.js';
import { feeRates } from './send.js';

/**
 * The fee rate of a BIP125 replacement (Core's wallet/feebumper.cpp CheckFeeRate and
 * EstimateFeeRate), shared by bumpfee and psbtbumpfee.
 */

/** Core's WALLET_INCREMENTAL_RELAY_FEE (sat/kvB): the wallet's own floor on a bump's increment. */
export const WALLET_INCREMENTAL_RELAY_FEE = 5000;

/** Core's FormatMoney: BTC with trailing zeros trimmed to at least two decimals. */
export function formatMoney(sats: number): string {
  const abs = Math.abs(sats);
  let text = `${sats < 0 ? '-' : ''}${Math.floor(abs / 1e8)}.${String(abs % 1e8).padStart(8, '0')}`;
  while (text.endsWith('0') && /\d/.test(text[text.length - 3]!)) text = text.slice(0, -1);
  return text;
}

const fail = (code: 'INVALID_PARAMETER' | 'WALLET_ERROR', message: string): never => {
  throw new WalletError(code, message);
};

function relayFloor(s: WalletState): { minRelayFee: number; mempoolMinFee: number; incremental: number } {
  const info = s.mempool?.info();
  return {
    minRelayFee: info?.minrelaytxfee ?? 1000,
    mempoolMinFee: info?.mempoolminfee ?? 0,
    // The node's increment or the wallet's, whichever is larger: the wallet's stays safe should the
    // network raise its incremental relay fee (BIP125 rule 4).
    incremental: Math.max(info?.incrementalrelayfee ?? 1000, WALLET_INCREMENTAL_RELAY_FEE),
  };
}

/**
 * Core's CheckFeeRate: a fee rate the user chose (sat/kvB), against the largest the signed
 * replacement can be (`maxSize` vB: the original's inputs paying the new outputs). Nothing is
 * built when it fails.
 */
export function checkFeeRate(s: WalletState, feeRate: number, maxSize: number, oldFee: number): void {
  const relay = relayFloor(s);
  if (feeRate < relay.mempoolMinFee) {
    fail(
      'WALLET_ERROR',
      `New fee rate (${formatMoney(feeRate)}) is lower than the minimum fee rate (${formatMoney(relay.mempoolMinFee)}) to get into the mempool -- `,
    );
  }
  const newTotal = feeForSize(feeRate, maxSize);
  const incrementalFee = feeForSize(relay.incremental, maxSize);
  if (newTotal < oldFee + incrementalFee) {
    fail(
      'INVALID_PARAMETER',
      `Insufficient total fee ${formatMoney(newTotal)}, must be at least ${formatMoney(oldFee + incrementalFee)} (oldFee ${formatMoney(oldFee)} + incrementalFee ${formatMoney(incrementalFee)})`,
    );
  }
  const required = feeForSize(requiredFeeRate(s.fees.settings, relay), maxSize);
  if (newTotal < required) {
    fail(
      'INVALID_PARAMETER',
      `Insufficient total fee (cannot be less than required fee ${formatMoney(required)})`,
    );
  }
  if (newTotal > DEFAULT_TRANSACTION_MAXFEE) {
    fail(
      'WALLET_ERROR',
      `Specified or calculated fee ${formatMoney(newTotal)} is too high (cannot be higher than -maxtxfee ${formatMoney(DEFAULT_TRANSACTION_MAXFEE)})`,
    );
  }
}

/**
 * Core's EstimateFeeRate, when no rate was given: the original's rate (rounded down, plus
 * 1 sat/kvB) plus the increment, and at least what the wallet would pay for a new transaction now.
 */
export function estimateFeeRate(
  s: WalletState,
  oldFee: number,
  oldVsize: number,
  req: BumpFeeRequest,
): number {
  const oldRate = Math.floor((oldFee * 1000) / oldVsize) + 1;
  return Math.max(oldRate + relayFloor(s).incremental, walletMinimumRate(s, req));
}

/** The rate the wallet would choose for a new transaction (Core's GetMinimumFeeRate). */
function walletMinimumRate(s: WalletState, req: BumpFeeRequest): number {
  try {
    return feeRates(s, {
      recipients: [],
      ...(req.confTarget === undefined ? {} : { confTarget: req.confTarget }),
      ...(req.estimateMode === undefined ? {} : { estimateMode: req.estimateMode }),
    }).feeRate;
  } catch (e) {
    throw fromFundingError(e, 'WALLET_ERROR');
  }
}
