import type { LocalNetworkInfo, PeerSnapshot } from '../net/peer-info.js';
import type { Logger } from 'pino';
import type { Chain } from '../chain/chain.js';
import type { NetworkParams } from '../consensus/params.js';
import type { Mempool } from '../mempool/mempool.js';
import type { BlockAssembler } from '../mining/block-assembler.js';
import type { Miner } from '../mining/miner.js';
import type { WalletManagerApi } from '../wallet/api.js';
import { RpcError, RpcErrorCode } from './errors.js';

/**
 * What the RPC methods reach: the node's parts, each optional so that the server runs with only
 * what exists: decode methods need nothing, and a node without P2P answers network methods with
 * RPC_CLIENT_P2P_DISABLED as bitcoind does without a connection manager. Each part is the narrow
 * slice the methods use, so tests can supply the real classes or small fakes.
 */

/** The Chain (src/chain/chain.ts) as the RPC methods use it. */
export type ChainApi = Pick<
  Chain,
  | 'network'
  | 'tip'
  | 'height'
  | 'bestHeader'
  | 'txIndex'
  | 'getEntry'
  | 'getEntryAtHeight'
  | 'isOnActiveChain'
  | 'medianTimePast'
  | 'nextWorkRequired'
  | 'getCoin'
  | 'getBlock'
  | 'getRawBlock'
  | 'getTxLocation'
  | 'getChainTips'
  | 'processBlock'
  | 'invalidateBlock'
  | 'reconsiderBlock'
  | 'utxoDigest'
  | 'getUndo'
>;

/** The Mempool (src/mempool/mempool.ts) as the RPC methods use it. */
export type MempoolApi = Pick<
  Mempool,
  'accept' | 'testAccept' | 'has' | 'get' | 'getCoin' | 'spender' | 'entries' | 'info' | 'entryInfo'
>;

export type AssemblerApi = Pick<BlockAssembler, 'createTemplate'>;
export type MinerApi = Pick<Miner, 'generate' | 'mineTemplate'>;

// The P2P layer owns the shapes of its peers and of its own network state; RPC formats them.
export type { LocalNetworkInfo, PeerSnapshot } from '../net/peer-info.js';

/**
 * What the network methods need from the P2P layer (to be implemented by src/net's peer manager).
 * Results are plain data; the RPC layer shapes them into bitcoind's JSON.
 */
export interface PeerManagerApi {
  connectionCount(): number;
  peers(): readonly PeerSnapshot[];
  localInfo(): LocalNetworkInfo;
  /** addnode add/remove: false when already added (add) or not found (remove). */
  addNode(address: string, command: 'add' | 'remove'): boolean;
  /** addnode onetry: one outbound attempt, not remembered. */
  connectOnce(address: string): void;
  /** Disconnects by address or by id; false when no such peer is connected. */
  disconnect(target: { readonly address: string } | { readonly id: number }): boolean;
}

export interface RpcContext {
  readonly network: NetworkParams;
  /** Unix seconds when the node started (uptime). */
  readonly startTime: number;
  /** Seconds since the epoch; injectable for tests. */
  readonly now: () => number;
  readonly chain?: ChainApi;
  readonly mempool?: MempoolApi;
  readonly assembler?: AssemblerApi;
  readonly miner?: MinerApi;
  readonly peers?: PeerManagerApi;
  /** The node's user agent, e.g. "/Tally:0.1.0/". */
  readonly subversion?: string;
  /** Core's IsInitialBlockDownload with its latch; without it the RPC layer judges from the tip. */
  readonly isInitialBlockDownload?: () => boolean;
  /** Core's GuessVerificationProgress (0..1). */
  readonly verificationProgress?: () => number;
  /** Bytes of block storage (getblockchaininfo size_on_disk). */
  readonly sizeOnDisk?: () => number;
  /** Bytes of the UTXO database (gettxoutsetinfo disk_size). */
  readonly chainstateSize?: () => number;
  /** Called by `stop` once its reply is on the way. */
  readonly shutdown?: () => void;
  readonly logger?: Logger;
  /** The loaded wallets (absent: the node runs without wallet support). */
  readonly wallets?: WalletManagerApi;
}

// Core's Ensure* helpers: a missing part is the node's configuration, reported with Core's codes.

export function ensureChain(ctx: RpcContext): ChainApi {
  if (ctx.chain === undefined) throw new RpcError(RpcErrorCode.RPC_INTERNAL_ERROR, 'Node chainman not found');
  return ctx.chain;
}

export function ensureMempool(ctx: RpcContext): MempoolApi {
  if (ctx.mempool === undefined) {
    throw new RpcError(RpcErrorCode.RPC_CLIENT_MEMPOOL_DISABLED, 'Mempool disabled or instance not found');
  }
  return ctx.mempool;
}

export function ensurePeers(ctx: RpcContext): PeerManagerApi {
  if (ctx.peers === undefined) {
    throw new RpcError(
      RpcErrorCode.RPC_CLIENT_P2P_DISABLED,
      'Error: Peer-to-peer functionality missing or disabled',
    );
  }
  return ctx.peers;
}

export function ensureMining(ctx: RpcContext): { assembler: AssemblerApi; miner: MinerApi } {
  if (ctx.assembler === undefined || ctx.miner === undefined) {
    throw new RpcError(RpcErrorCode.RPC_INTERNAL_ERROR, 'Node miner not found');
  }
  return { assembler: ctx.assembler, miner: ctx.miner };
}
