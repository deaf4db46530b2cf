import type { Chain } from '../../chain/chain.js';
import type { NetworkParams } from '../../consensus/params.js';
import type { Mempool } from '../../mempool/mempool.js';
import type {
  AddressIndexStatus,
  AddressSummary,
  HistoryEntry,
  IndexedUtxo,
  Spender,
} from '../../node/address-index/address-index.js';
import type { PeerSnapshot } from '../../net/peer-info.js';

/**
 * What the explorer's routes read, as narrow slices of the node's parts so tests can hand in the
 * real classes (the routes never write: the REST API is read-only).
 */
export type ExplorerChain = Pick<
  Chain,
  | 'network'
  | 'tip'
  | 'height'
  | 'getEntry'
  | 'getEntryAtHeight'
  | 'getAncestor'
  | 'isOnActiveChain'
  | 'medianTimePast'
  | 'getCoin'
  | 'getBlock'
  | 'getRawBlock'
  | 'getTxLocation'
  | 'getUndo'
  | 'on'
  | 'off'
>;

export type ExplorerMempool = Pick<
  Mempool,
  'get' | 'getCoin' | 'spender' | 'entries' | 'info' | 'on' | 'off'
>;

export interface ExplorerPeers {
  peers(): readonly PeerSnapshot[];
}

export interface ExplorerAddressIndex {
  status(): AddressIndexStatus;
  summary(script: Uint8Array): Promise<AddressSummary | undefined>;
  history(script: Uint8Array, offset: number, limit: number): Promise<HistoryEntry[]>;
  utxos(script: Uint8Array, offset: number, limit: number): Promise<IndexedUtxo[]>;
  spenders(outpoints: readonly { hash: Uint8Array; index: number }[]): Promise<(Spender | undefined)[]>;
}

export interface ExplorerDeps {
  readonly network: NetworkParams;
  readonly chain: ExplorerChain;
  readonly mempool?: ExplorerMempool;
  readonly peers?: ExplorerPeers;
  /** Absent when the node runs without -addressindex: address routes answer 503. */
  readonly addressIndex?: ExplorerAddressIndex;
}
