/**
 * Why funding a transaction failed, with Bitcoin Core's messages (wallet/spend.cpp,
 * wallet/coinselection.cpp) verbatim: users, scripts and the functional-test suites match on them.
 * The RPC code depends on the method, not on the error, as in Core: sendtoaddress and sendmany
 * report every one as RPC_WALLET_INSUFFICIENT_FUNDS (-6), fundrawtransaction as RPC_WALLET_ERROR (-4).
 */
export const COIN_SELECTION_ERRORS = {
  'insufficient-funds': 'Insufficient funds',
  'max-weight-exceeded':
    "The inputs size exceeds the maximum weight. Please try sending a smaller amount or manually consolidating your wallet's UTXOs",
  'long-mempool-chain':
    'Unconfirmed UTXOs are available, but spending them creates a chain of transactions that will be rejected by the mempool',
  'preset-insufficient':
    'The preselected coins total amount does not cover the transaction target. Please allow other inputs to be automatically selected or include more coins manually',
  'no-recipients': 'Transaction must have at least one recipient',
  'negative-amount': 'Transaction amounts must not be negative',
  'amount-too-small': 'Transaction amount too small',
  'amount-too-small-to-pay-fee': 'The transaction amount is too small to pay the fee',
  'amount-too-small-after-fee': 'The transaction amount is too small to send after the fee has been deducted',
  'zero-target':
    'Transaction requires one destination of non-zero value, a non-zero feerate, or a pre-selected input',
  'max-weight-below-overhead': 'Maximum transaction weight is less than transaction weight without inputs',
  'max-weight-below-change': 'Maximum transaction weight is too low, can not accommodate change output',
  'change-index-out-of-range': 'Transaction change output index out of range',
  'tx-too-large': 'Transaction too large',
  'max-fee-exceeded': 'Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)',
  /** Core's STR_INTERNAL_BUG cases: a broken invariant, never a user mistake. */
  'internal-bug': 'Internal bug detected',
} as const;

export type CoinSelectionErrorCode = keyof typeof COIN_SELECTION_ERRORS;

export class CoinSelectionError extends Error {
  override readonly name: string = 'CoinSelectionError';
  constructor(
    readonly code: CoinSelectionErrorCode,
    message: string = COIN_SELECTION_ERRORS[code],
  ) {
    super(message);
  }
}

/** The general failure: no eligible set of coins covers the amount and its fee. */
export class InsufficientFundsError extends CoinSelectionError {
  override readonly name = 'InsufficientFundsError';
  constructor() {
    super('insufficient-funds');
  }
}
