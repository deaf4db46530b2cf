/** The transaction memory pool: validation against chain and pool, packages, eviction, persistence. */
export { selectPackages } from './block-selection.js';
export { MEMPOOL_HEIGHT } from './coin-view.js';
export { MempoolEntry } from './entry.js';
export type { MempoolEntryInfo, MempoolInfo } from './info.js';
export type { PackageLimits } from './limits.js';
export { Mempool, type MempoolDeps, type MempoolEvents } from './mempool.js';
export type { MempoolAcceptResult, MempoolOptions, MempoolRejection, RemovalReason } from './options.js';
