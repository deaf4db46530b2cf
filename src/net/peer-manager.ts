import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { isLocal } from './address-class.js';
import { formatHost } from './address-text.js';
import { AddrMan } from './addrman.js';
import { AddrRelay } from './addr-relay.js';
import { DEFAULT_DISCOURAGE_SECONDS, DiscouragedAddresses } from './discouraged.js';
import type { NetChain, NetContext } from './net-context.js';
import { NetProcessing } from './net-processing.js';
import { OutboundDialer, parseDialTarget } from './outbound-dialer.js';
import { type ConnectionType, Peer } from './peer.js';
import type { CloseInfo, PeerConnection } from './peer-connection.js';
import { PeerConnector } from './peer-connector.js';
import { type LocalNetworkInfo, localNetworkInfo, type PeerSnapshot, peerSnapshot } from './peer-info.js';
import { loadPeersFile, peersFilePath, savePeersFile } from './peers-file.js';
import {
  DEFAULT_MAX_INBOUND,
  DEFAULT_MAX_OUTBOUND,
  DEFAULT_USER_AGENT,
  type PeerManagerDeps,
  type PeerManagerEvents,
  type PeerManagerOptions,
  closePenaltyInput,
} from './peer-manager-types.js';
import { type PeerAction, type PenaltyInput, penaltyFor } from './penalty.js';
import { PROTOCOL_VERSION, ServiceFlags } from './wire/constants.js';
import type { NetAddress } from './wire/net-address.js';

export type { PenaltyEvent, PeerClosedEvent, PeerEvent, PeerManagerOptions } from './peer-manager-types.js';

const LOCAL_SERVICES = ServiceFlags.NETWORK | ServiceFlags.WITNESS;

/**
 * The node's connections (Core's CConnman): the listening socket, outbound dialling, limits,
 * discouragement, self-connection detection; each peer's messages go to NetProcessing. It answers
 * the network RPCs and satisfies rpc/context.ts's PeerManagerApi as is.
 */
export class PeerManager extends EventEmitter<PeerManagerEvents> {
  readonly network: PeerManagerOptions['network'];
  private readonly options: PeerManagerOptions;
  private readonly chain: NetChain;
  private readonly log: Logger | undefined;
  private readonly now: () => number;
  private readonly byId = new Map<number, Peer>();
  private readonly discouraged: DiscouragedAddresses;
  private readonly connector: PeerConnector;
  private readonly ctx: NetContext;
  private readonly processing: NetProcessing;
  private addrman: AddrMan;
  private addrRelay: AddrRelay;
  private dialer: OutboundDialer;
  private listener: Server | undefined;
  private timers: NodeJS.Timeout[] = [];
  private nextId = 0;
  private stopping = false;

  constructor(options: PeerManagerOptions, deps: PeerManagerDeps) {
    super();
    this.options = options;
    this.network = options.network;
    this.chain = deps.chain;
    this.log = deps.logger?.child({ module: 'net' });
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.discouraged = new DiscouragedAddresses(
      options.discourageSeconds ?? DEFAULT_DISCOURAGE_SECONDS,
      this.now,
    );
    this.connector = new PeerConnector(
      {
        magic: this.network.messageStart,
        local: {
          services: LOCAL_SERVICES,
          userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
          startHeight: () => this.chain.height,
          relay: true,
        },
        // Full-relay outbound peers must serve blocks with witnesses (Core's desirable services).
        requiredServices: LOCAL_SERVICES,
        ...(options.handshakeTimeoutMs === undefined
          ? {}
          : { handshakeTimeoutMs: options.handshakeTimeoutMs }),
        ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
        ...(this.log === undefined ? {} : { logger: this.log }),
      },
      {
        onConnection: (conn, type, addr, address) => this.attach(conn, type, addr, address),
        onDialFailed: (target, err) => {
          if (target.address !== undefined) this.addrman.attempt(target.address, true);
          this.log?.debug({ target: target.key, err: String(err) }, 'outbound connection failed');
        },
        refuseInbound: (host) => this.refuseInbound(host),
      },
    );
    this.ctx = {
      chain: this.chain,
      readyPeers: () => this.readyPeers(),
      punish: (peer, input, reason) => this.punish(peer, input, reason),
      nowMs: () => performance.now(),
      log: this.log,
    };
    this.processing = new NetProcessing(options, {
      ctx: this.ctx,
      mempool: deps.mempool,
      addrRelay: () => this.addrRelay,
      onProgress: (report) => this.emit('sync-progress', report),
    });
    this.addrman = new AddrMan({ now: this.now });
    this.addrRelay = new AddrRelay(this.addrman, this.now);
    this.dialer = this.makeDialer();
  }

  /** The port we listen on (the real one when `port: 0` asked for any). */
  get listeningPort(): number | undefined {
    const address = this.listener?.address();
    return address !== null && typeof address === 'object' ? address.port : undefined;
  }

  /** Loads peers.dat, starts listening and dialling. */
  async start(): Promise<void> {
    if (this.listener !== undefined || this.timers.length > 0 || this.stopping) {
      throw new Error('PeerManager.start: already started (or stopped; make a new one)');
    }
    const path = this.peersPath();
    if (path !== undefined) {
      this.addrman = await loadPeersFile(path, this.now, this.log);
      this.addrRelay = new AddrRelay(this.addrman, this.now);
      this.dialer = this.makeDialer();
    }
    for (const text of [...(this.options.connect ?? []), ...(this.options.addnode ?? [])]) {
      if (!this.dialer.add(text))
        this.log?.warn({ node: text }, 'ignoring unusable or repeated node address');
    }
    if (this.options.listen ?? true) {
      const listener = createServer((socket) => this.connector.accept(socket));
      listener.listen(this.options.port ?? this.network.defaultPort, this.options.bind ?? '0.0.0.0');
      await once(listener, 'listening');
      this.listener = listener;
      this.log?.info({ port: this.listeningPort }, 'listening for peers');
    }
    this.processing.start();
    this.every(this.options.tickMs ?? 500, () => {
      this.dialer.tick();
      this.processing.tick();
    });
    this.every(this.options.txRelayIntervalMs ?? 1_000, () => this.processing.flushTxs());
    this.dialer.tick();
  }

  /** Closes every connection and the listener, waits for work in progress, saves peers.dat. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.connector.close();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    const peers = [...this.byId.values()];
    for (const peer of peers) peer.conn.disconnect('shutting down');
    if (this.listener !== undefined) {
      const closed = once(this.listener, 'close');
      this.listener.close();
      await closed;
    }
    await Promise.all(peers.map((p) => p.idle()));
    await this.processing.stop();
    const path = this.peersPath();
    if (path !== undefined) await savePeersFile(this.addrman, path, this.log);
  }

  // The RPC surface (bitcoind's network methods; rpc/context.ts PeerManagerApi).

  /** getconnectioncount: every open connection, handshake complete or not. */
  connectionCount(): number {
    return this.byId.size;
  }

  /** getpeerinfo (`peers` is the name rpc/context.ts uses). */
  getPeerInfo(): PeerSnapshot[] {
    return [...this.byId.values()].map((p) => peerSnapshot(p, this.processing.inFlightHeights(p)));
  }
  peers = (): readonly PeerSnapshot[] => this.getPeerInfo();

  /** getnetworkinfo's connection manager part. */
  networkInfo(): LocalNetworkInfo {
    return localNetworkInfo(this.byId.values(), LOCAL_SERVICES, !this.stopping, PROTOCOL_VERSION);
  }

  localInfo = (): LocalNetworkInfo => this.networkInfo();
  /** Core's RelayTransaction, for the wallet's rebroadcast: false when txid is not in the mempool. */
  relayTransaction = (txid: Uint8Array): boolean => this.processing.relayTransaction(txid);

  /**
   * addnode: 'add' keeps a connection to the node (false when already added or unparsable),
   * 'remove' forgets it (false when not added), 'onetry' dials it once.
   */
  addNode(address: string, command: 'add' | 'remove' | 'onetry'): boolean {
    if (command === 'onetry') return this.connectOnce(address);
    if (command === 'remove') return this.dialer.remove(address);
    const added = this.dialer.add(address);
    if (added && !this.stopping) this.dialer.tick();
    return added;
  }

  /** addnode onetry: one manual connection attempt, not remembered. */
  connectOnce(address: string): boolean {
    const target = parseDialTarget(address, this.network.defaultPort, 'manual');
    if (target === undefined || this.stopping) return false;
    this.connector.dial(target);
    return true;
  }

  /** disconnectnode by `host:port` or by id; false when no such peer is connected. */
  disconnectNode(target: string | number): boolean {
    const peer = typeof target === 'number' ? this.byId.get(target) : this.findByAddress(target);
    if (peer === undefined) return false;
    peer.conn.disconnect('disconnectnode');
    return true;
  }

  disconnect(target: { readonly address: string } | { readonly id: number }): boolean {
    return this.disconnectNode('id' in target ? target.id : target.address);
  }

  /** Discouraged hosts (bitcoind's listbanned shows these as bans). */
  discouragedHosts(): { host: string; until: number }[] {
    return this.discouraged.list();
  }

  isDiscouraged(host: string): boolean {
    return this.discouraged.isDiscouraged(host);
  }

  /** Resolves when every peer's queued messages and the block queue are handled (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.byId.values()].map((p) => p.idle()));
    await this.processing.idle();
  }

  // Connections.

  private makeDialer(): OutboundDialer {
    return new OutboundDialer(
      {
        connectOnly: (this.options.connect?.length ?? 0) > 0,
        maxOutbound: this.options.maxOutbound ?? DEFAULT_MAX_OUTBOUND,
        defaultPort: this.network.defaultPort,
        retryMs: this.options.retryMs,
      },
      {
        addrman: this.addrman,
        isBusy: (key) => this.connector.isDialling(key) || this.findByAddress(key) !== undefined,
        isDiscouraged: (host) => this.discouraged.isDiscouraged(host),
        isSelf: (key) => this.connector.selfKeys.has(key),
        automaticOutbound: () => this.automaticOutbound(),
        dial: (target) => this.connector.dial(target),
        nowMs: () => performance.now(),
      },
    );
  }

  /**
   * Deviation: Core lets a discouraged host in while inbound slots are plentiful; we refuse it for
   * the whole period, so a peer that sent invalid data cannot simply reconnect and send more.
   */
  private refuseInbound(host: string): string | undefined {
    if (this.discouraged.isDiscouraged(host)) return 'discouraged';
    let inbound = 0;
    for (const p of this.byId.values()) if (p.inbound) inbound++;
    // Deviation: Core evicts an existing inbound peer when full; we refuse the newcomer.
    if (inbound >= (this.options.maxInbound ?? DEFAULT_MAX_INBOUND)) return 'inbound slots full';
    return undefined;
  }

  private attach(
    conn: PeerConnection,
    type: ConnectionType,
    addr: string,
    address: NetAddress | undefined,
  ): void {
    if (conn.isClosed) return;
    const peer = new Peer(
      {
        id: this.nextId++,
        type,
        addr,
        address,
        now: this.now,
        onError: (p, err) => this.onHandlerError(p, err),
      },
      { conn },
    );
    this.byId.set(peer.id, peer);
    conn.on('ready', (remote) => {
      peer.remote = remote;
      this.onReady(peer);
    });
    conn.on('message', (m) => {
      peer.lastRecv = this.now();
      peer.enqueue(() => this.processing.route(peer, m));
    });
    conn.on('pong', () => {
      peer.lastRecv = this.now();
    });
    conn.on('dropped', (error) => {
      const input: PenaltyInput = { kind: 'wire', code: error.code, command: error.command };
      this.emitPenalty(peer, input, penaltyFor(input), error.message);
    });
    conn.on('close', (info) => this.onClose(peer, info));
  }

  private onReady(peer: Peer): void {
    const remote = peer.remote!;
    peer.timeOffset = Number(remote.version.timestamp) - this.now();
    if (!peer.inbound) {
      if (peer.address !== undefined) this.addrman.good(peer.address);
      this.dialer.onConnected(peer.addr);
    }
    this.log?.info(
      { peer: peer.id, addr: peer.addr, inbound: peer.inbound, agent: remote.version.userAgent },
      'peer connected',
    );
    this.processing.onReady(peer);
    this.emit('peer-connected', { id: peer.id, addr: peer.addr, inbound: peer.inbound });
  }

  private onClose(peer: Peer, info: CloseInfo): void {
    this.byId.delete(peer.id);
    this.processing.onPeerClosed(peer);
    const { cause, action } = info;
    const input = closePenaltyInput(cause);
    if (input !== undefined) this.emitPenalty(peer, input, action, action.reason);
    if (action.action === 'discourage') this.discourage(peer);
    if (!peer.inbound && peer.remote !== undefined && peer.address !== undefined)
      this.addrman.connected(peer.address);
    this.log?.info(
      { peer: peer.id, addr: peer.addr, cause: cause.kind, action: action.action, reason: action.reason },
      'peer disconnected',
    );
    this.emit('peer-disconnected', { id: peer.id, addr: peer.addr, inbound: peer.inbound, cause, action });
  }

  /** The one place a peer is punished: penaltyFor decides, the connection carries it out. */
  private punish(peer: Peer, input: PenaltyInput, reason: string): PeerAction {
    const action = penaltyFor(input);
    this.emitPenalty(peer, input, action, reason);
    if (action.action === 'none') {
      this.log?.debug({ peer: peer.id, reason }, 'rejected data from peer');
      return action;
    }
    this.log?.info({ peer: peer.id, addr: peer.addr, reason, action: action.action }, 'punishing peer');
    if (peer.isOpen) peer.conn.punish(input);
    else if (action.action === 'discourage') this.discourage(peer);
    return action;
  }

  private emitPenalty(peer: Peer, input: PenaltyInput, action: PeerAction, reason: string): void {
    this.emit('penalty', { peerId: peer.id, addr: peer.addr, input, action, reason });
  }

  /** Core's MaybeDiscourageAndDisconnect: local peers are only disconnected (they share one address). */
  private discourage(peer: Peer): void {
    if (peer.address === undefined) return;
    if (isLocal(peer.address) && this.options.discourageLocal !== true) return;
    this.discouraged.discourage(formatHost(peer.address));
  }

  private *readyPeers(): Generator<Peer> {
    for (const peer of this.byId.values()) if (peer.remote !== undefined && peer.isOpen) yield peer;
  }

  private automaticOutbound(): number {
    let n = 0;
    for (const p of this.byId.values()) if (p.type === 'outbound-full-relay') n++;
    return n + this.connector.dialsOf('outbound-full-relay');
  }

  private findByAddress(text: string): Peer | undefined {
    const key = parseDialTarget(text, this.network.defaultPort, 'manual')?.key ?? text;
    for (const p of this.byId.values()) if (p.addr === key) return p;
    return undefined;
  }

  private onHandlerError(peer: Peer, err: unknown): void {
    if (this.stopping) return;
    this.log?.error({ peer: peer.id, err }, 'peer message handler failed');
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  private peersPath(): string | undefined {
    const { dataDir } = this.options;
    return dataDir === undefined ? undefined : peersFilePath(dataDir, this.network);
  }
}
