import type { Chain } from '../chain/chain.js';
import type { Mempool } from '../mempool/mempool.js';

/**
 * What the wallet needs from the node, as narrow slices of the real classes (the wallet sits below
 * node/ and reaches the chain and mempool only through these, like RpcContext does).
 */
export type WalletChain = Pick<
  Chain,
  | 'network'
  | 'tip'
  | 'height'
  | 'getEntry'
  | 'getEntryAtHeight'
  | 'getBlock'
  | 'isOnActiveChain'
  | 'on'
  | 'off'
>;

export type WalletMempool = Pick<Mempool, 'accept' | 'has' | 'get' | 'info' | 'entries' | 'on' | 'off'>;
