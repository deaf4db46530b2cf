import { WALLET_MESSAGES, WalletError } from './api.js';
import { CoinSelectionError } from './coin-selection/errors.js';
import { WalletFeeError } from './fees/wallet-fee-rate.js';
import { KeystoreError } from './keystore/errors.js';

/**
 * Keystore failures as Core's wallet RPC errors: wrong passphrase -14, locked -13, wrong
 * encryption state -15, bad arguments -8. Anything else passes through.
 */
export function fromKeystoreError(e: unknown): unknown {
  if (!(e instanceof KeystoreError)) return e;
  switch (e.code) {
    case 'wrong-passphrase':
      return new WalletError('PASSPHRASE_INCORRECT', WALLET_MESSAGES.PASSPHRASE_INCORRECT);
    case 'locked':
      return new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
    case 'wrong-encryption-state':
      return new WalletError('WRONG_ENC_STATE', e.message);
    case 'invalid-argument':
      return new WalletError('INVALID_PARAMETER', e.message);
    default:
      return new WalletError('WALLET_ERROR', e.message);
  }
}

/**
 * Funding failures as sendtoaddress/sendmany report them: every CreateTransaction error is
 * RPC_WALLET_INSUFFICIENT_FUNDS (-6) with Core's message; fundrawtransaction-style callers pass
 * WALLET_ERROR (-4) instead.
 */
export function fromFundingError(
  e: unknown,
  code: 'INSUFFICIENT_FUNDS' | 'WALLET_ERROR' = 'INSUFFICIENT_FUNDS',
): unknown {
  if (e instanceof CoinSelectionError) {
    return new WalletError(e.code === 'insufficient-funds' ? 'INSUFFICIENT_FUNDS' : code, e.message);
  }
  if (e instanceof WalletFeeError) return new WalletError(code, e.message);
  return e;
}
