export * from './block-assembler.js';
export * from './block-template.js';
export * from './coinbase.js';
export * from './errors.js';
export * from './merkle-branch.js';
export * from './miner.js';
export * from './nonce-search.js';
export * from './template-solver.js';
