import type { Logger } from 'pino';
import type { BlockReader } from './block-reader.js';
import type { ExplorerDeps } from './deps.js';
import type { TxLookup } from './tx-lookup.js';

/** What every route module shares: the node's parts, the block cache and the tx finder. */
export interface ApiContext {
  readonly deps: ExplorerDeps;
  readonly blocks: BlockReader;
  readonly txs: TxLookup;
  readonly log?: Logger;
}
