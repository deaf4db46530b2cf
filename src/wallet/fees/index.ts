/** Wallet fees: size estimates, the fee estimator, the wallet's fee-rate choice, RPC fee arguments. */
export * from './estimator.js';
export * from './fee-params.js';
export * from './tx-size.js';
export * from './wallet-fee-rate.js';
