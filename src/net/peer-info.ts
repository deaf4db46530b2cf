import { isRoutable } from './address-class.js';
import type { Peer } from './peer.js';
import type { NetAddress } from './wire/net-address.js';

/**
 * The node's view of its peers and of itself, as plain data for bitcoind's getpeerinfo and
 * getnetworkinfo; the RPC layer imports these types and shapes them into Core's JSON, so the peer
 * manager is handed to the RPC server as is.
 */
export interface PeerSnapshot {
  readonly id: number;
  readonly addr: string;
  readonly addrLocal?: string;
  readonly network: string;
  readonly services: bigint;
  readonly relayTxes: boolean;
  readonly lastSend: number;
  readonly lastRecv: number;
  readonly lastTransaction: number;
  readonly lastBlock: number;
  readonly bytesSent: number;
  readonly bytesRecv: number;
  readonly connTime: number;
  readonly timeOffset: number;
  /** Seconds; undefined until a pong arrived. */
  readonly pingTime?: number;
  readonly minPing?: number;
  readonly pingWait?: number;
  readonly version: number;
  readonly subver: string;
  readonly inbound: boolean;
  readonly bip152HbTo: boolean;
  readonly bip152HbFrom: boolean;
  readonly startingHeight: number;
  readonly presyncedHeaders: number;
  readonly syncedHeaders: number;
  readonly syncedBlocks: number;
  readonly inflight: readonly number[];
  readonly addrRelayEnabled: boolean;
  readonly addrProcessed: number;
  readonly addrRateLimited: number;
  readonly permissions: readonly string[];
  /** sat/kvB. */
  readonly minFeeFilter: number;
  readonly bytesSentPerMsg: Readonly<Record<string, number>>;
  readonly bytesRecvPerMsg: Readonly<Record<string, number>>;
  readonly connectionType: string;
  readonly transportProtocolType: string;
  readonly sessionId: string;
}

export interface NetworkReachability {
  readonly name: string;
  readonly limited: boolean;
  readonly reachable: boolean;
  readonly proxy: string;
  readonly proxyRandomizeCredentials: boolean;
}

export interface LocalNetworkInfo {
  readonly protocolVersion: number;
  readonly localServices: bigint;
  readonly localRelay: boolean;
  readonly timeOffset: number;
  readonly networkActive: boolean;
  readonly connectionsIn: number;
  readonly connectionsOut: number;
  readonly networks: readonly NetworkReachability[];
  readonly localAddresses: readonly {
    readonly address: string;
    readonly port: number;
    readonly score: number;
  }[];
}

/** Core's GetNetworkName for getpeerinfo: unroutable addresses (loopback, LAN) are named so. */
export function networkName(address: NetAddress | undefined): string {
  if (address === undefined || !isRoutable(address)) return 'not_publicly_routable';
  return address.network === 'torv3' ? 'onion' : address.network;
}

/** Tally speaks plain TCP over IPv4 and IPv6; no proxy, so the overlay networks are unreachable. */
export const NETWORKS: readonly NetworkReachability[] = ['ipv4', 'ipv6', 'onion', 'i2p', 'cjdns'].map(
  (name) => ({
    name,
    limited: name !== 'ipv4' && name !== 'ipv6',
    reachable: name === 'ipv4' || name === 'ipv6',
    proxy: '',
    proxyRandomizeCredentials: false,
  }),
);

/**
 * One row of getpeerinfo. Not tracked (reported empty or zero): per-message byte counts, BIP152
 * high-bandwidth modes (we do not do compact blocks), header presync, permissions.
 */
export function peerSnapshot(peer: Peer, inflight: readonly number[]): PeerSnapshot {
  const v = peer.remote?.version;
  const pings = peer.conn.pings;
  return {
    id: peer.id,
    addr: peer.addr,
    network: networkName(peer.address),
    services: v?.services ?? 0n,
    relayTxes: v?.relay ?? false,
    lastSend: peer.lastSend,
    lastRecv: peer.lastRecv,
    lastTransaction: peer.lastTransaction,
    lastBlock: peer.lastBlock,
    bytesSent: peer.conn.bytesSent,
    bytesRecv: peer.conn.bytesReceived,
    connTime: peer.connTime,
    timeOffset: peer.timeOffset,
    ...(pings.lastMs === undefined ? {} : { pingTime: pings.lastMs / 1000 }),
    ...(pings.minMs === undefined ? {} : { minPing: pings.minMs / 1000 }),
    version: v?.version ?? 0,
    subver: v?.userAgent ?? '',
    inbound: peer.inbound,
    bip152HbTo: false,
    bip152HbFrom: false,
    startingHeight: v?.startHeight ?? -1,
    presyncedHeaders: -1,
    syncedHeaders: peer.bestKnown?.height ?? -1,
    syncedBlocks: peer.lastCommon?.height ?? -1,
    inflight,
    addrRelayEnabled: true,
    addrProcessed: peer.addrProcessed,
    addrRateLimited: peer.addrRateLimited,
    permissions: [],
    minFeeFilter: peer.feeFilter,
    bytesSentPerMsg: {},
    bytesRecvPerMsg: {},
    connectionType: peer.type,
    transportProtocolType: 'v1',
    sessionId: '',
  };
}

/** getnetworkinfo's connection part, from the open connections. */
export function localNetworkInfo(
  peers: Iterable<Peer>,
  localServices: bigint,
  networkActive: boolean,
  protocolVersion: number,
): LocalNetworkInfo {
  let inbound = 0;
  let outbound = 0;
  const offsets: number[] = [];
  for (const p of peers) {
    if (p.inbound) inbound++;
    else {
      outbound++;
      if (p.remote !== undefined) offsets.push(p.timeOffset);
    }
  }
  offsets.sort((a, b) => a - b);
  return {
    protocolVersion,
    localServices,
    localRelay: true,
    // Core reports the median clock offset of outbound peers (for its warning; it adjusts nothing).
    timeOffset: offsets.length === 0 ? 0 : offsets[Math.floor(offsets.length / 2)]!,
    networkActive,
    connectionsIn: inbound,
    connectionsOut: outbound,
    networks: NETWORKS,
    localAddresses: [],
  };
}
