import type { Logger } from 'pino';
import type { NetworkParams } from '../consensus/params.js';
import type { BlockDownloadOptions } from './block-download.js';
import type { NetChain, NetMempool } from './net-context.js';
import type { CloseCause } from './peer-connection.js';
import type { PeerAction, PenaltyInput } from './penalty.js';
import type { SyncProgressReport } from './sync-progress.js';

/** bitcoind's defaults: 8 full-relay outbound connections, 125 connections in all. */
export const DEFAULT_MAX_OUTBOUND = 8;
export const DEFAULT_MAX_INBOUND = 125 - DEFAULT_MAX_OUTBOUND;
export const DEFAULT_USER_AGENT = '/Tally:0.1.0/';

export interface PeerManagerOptions {
  readonly network: NetworkParams;
  /** Accept inbound connections (bitcoind -listen, default true). */
  readonly listen?: boolean;
  /** Port to listen on (default the network's; 0 picks a free one, see `listeningPort`). */
  readonly port?: number;
  /** Address to listen on (default 0.0.0.0; tests use 127.0.0.1). */
  readonly bind?: string;
  /** bitcoind -connect: connect only to these, never to addresses from addrman. */
  readonly connect?: readonly string[];
  /** bitcoind -addnode: keep connections to these, besides the automatic ones. */
  readonly addnode?: readonly string[];
  readonly maxOutbound?: number;
  readonly maxInbound?: number;
  /** Where peers.dat lives (`<dataDir>/<network>/peers.dat`; main: `<dataDir>/peers.dat`). */
  readonly dataDir?: string;
  readonly userAgent?: string;
  /** Unix seconds (discouragement expiry, getpeerinfo times). */
  readonly now?: () => number;
  /** How long a discouraged host is refused (default 24 h). */
  readonly discourageSeconds?: number;
  /**
   * Discourage loopback peers too. Core never does (every local process would share the one
   * address); tests of the refusal turn it on.
   */
  readonly discourageLocal?: boolean;
  /** Connection management tick: dialling, timeouts, stall checks (default 500 ms). */
  readonly tickMs?: number;
  /** Transaction announcement round (default 1 s; Core averages 2 s outbound, 5 s inbound). */
  readonly txRelayIntervalMs?: number;
  /** First retry delay for manual connections (default 2 s, doubling to 60 s). */
  readonly retryMs?: number;
  /** A sync-progress report every this many blocks (default 500). */
  readonly progressEveryBlocks?: number;
  readonly handshakeTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
  readonly blockDownload?: BlockDownloadOptions;
}

export interface PeerManagerDeps {
  readonly chain: NetChain;
  readonly mempool: NetMempool;
  readonly logger?: Logger;
}

/**
 * A refused block, transaction or message, and what was done to the peer: emitted for every
 * rejection, including those that cost the peer nothing (action 'none'), so an operator or a test
 * sees each verdict.
 */
export interface PenaltyEvent {
  readonly peerId: number;
  readonly addr: string;
  readonly input: PenaltyInput;
  readonly action: PeerAction;
  /** Core's reject reason for blocks and transactions (`bad-txnmrklroot`), else the action's. */
  readonly reason: string;
}

export interface PeerEvent {
  readonly id: number;
  readonly addr: string;
  readonly inbound: boolean;
}

export interface PeerClosedEvent extends PeerEvent {
  readonly cause: CloseCause;
  readonly action: PeerAction;
}

export interface PeerManagerEvents {
  'peer-connected': [PeerEvent];
  'peer-disconnected': [PeerClosedEvent];
  penalty: [PenaltyEvent];
  'sync-progress': [SyncProgressReport];
}

/** The penalty input behind a connection's close, when the peer's own data or conduct caused it. */
export function closePenaltyInput(cause: CloseCause): PenaltyInput | undefined {
  if (cause.kind === 'wire') return { kind: 'wire', code: cause.error.code, command: cause.error.command };
  if (cause.kind === 'protocol') return { kind: 'protocol', code: cause.code };
  return undefined;
}
