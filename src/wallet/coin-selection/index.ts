/** Coin selection: Core's algorithms and the funding of a payment (wallet/coinselection.cpp, spend.cpp). */
export * from './bnb.js';
export * from './choose.js';
export * from './coin-grinder.js';
export * from './eligibility.js';
export * from './errors.js';
export * from './fund.js';
export * from './knapsack.js';
export * from './params.js';
export * from './pool.js';
export * from './random.js';
export * from './srd.js';
export * from './types.js';
export * from './waste.js';
