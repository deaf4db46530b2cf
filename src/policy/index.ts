/** Relay policy: what we relay and keep in the mempool (never what is valid). */
export * from './constants.js';
export * from './ephemeral.js';
export * from './fee-rate.js';
export * from './inputs.js';
export * from './rbf.js';
export * from './reject.js';
export * from './standard.js';
export * from './truc.js';
export * from './vsize.js';
