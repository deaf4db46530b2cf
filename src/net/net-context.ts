import type { Logger } from 'pino';
import type { Chain } from '../chain/chain.js';
import type { Mempool } from '../mempool/mempool.js';
import type { PeerAction, PenaltyInput } from './penalty.js';
import type { Peer } from './peer.js';

/**
 * What the sync and relay components use of the node and of the peer manager. Each component gets
 * this narrow view instead of the manager itself, so it can be tested with a real chain and a few
 * peers, and so nothing but the manager owns connections.
 */

/** The Chain as the network layer uses it. */
export type NetChain = Pick<
  Chain,
  | 'network'
  | 'tip'
  | 'height'
  | 'bestHeader'
  | 'getEntry'
  | 'getEntryAtHeight'
  | 'getAncestor'
  | 'isOnActiveChain'
  | 'processHeaders'
  | 'processBlock'
  | 'getBlock'
  | 'on'
  | 'off'
>;

/** The Mempool as the network layer uses it. */
export type NetMempool = Pick<
  Mempool,
  'accept' | 'has' | 'get' | 'getByWtxid' | 'hasOrphan' | 'entries' | 'minFeeRate' | 'on' | 'off'
>;

export interface NetContext {
  readonly chain: NetChain;
  /** Peers whose handshake is complete and whose connection is open. */
  readyPeers(): Iterable<Peer>;
  /**
   * Applies penaltyFor(input) to the peer (the only way a component punishes) and reports it with
   * Core's reject reason; returns the action taken.
   */
  punish(peer: Peer, input: PenaltyInput, reason: string): PeerAction;
  /** Milliseconds from a monotonic clock, for timeouts. */
  nowMs(): number;
  readonly log?: Logger | undefined;
}
