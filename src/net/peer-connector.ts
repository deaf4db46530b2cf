import { getRandomValues } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { formatHost, formatNetAddress, parseNetAddress } from './address-text.js';
import type { DialTarget, DialType } from './outbound-dialer.js';
import type { ConnectionType } from './peer.js';
import { type LocalNodeInfo, PeerConnection, type PeerConnectionOptions } from './peer-connection.js';
import type { Magic } from './wire/framing.js';
import type { NetAddress } from './wire/net-address.js';

export interface PeerConnectorOptions {
  readonly magic: Magic;
  readonly local: LocalNodeInfo;
  /** Services an outbound full-relay peer must offer. */
  readonly requiredServices: bigint;
  readonly handshakeTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly logger?: Logger;
}

export interface PeerConnectorDeps {
  /** A new connection (its handshake still to come). */
  readonly onConnection: (
    conn: PeerConnection,
    type: ConnectionType,
    addr: string,
    address: NetAddress | undefined,
  ) => void;
  /** A dial failed before a connection existed. */
  readonly onDialFailed: (target: DialTarget, err: unknown) => void;
  /** Why an inbound connection from `host` is refused, or undefined to accept it. */
  readonly refuseInbound: (host: string) => string | undefined;
}

function randomNonce(): bigint {
  return getRandomValues(new BigUint64Array(1))[0]!;
}

/**
 * Opens and accepts TCP connections as PeerConnections with the node's options, and remembers the
 * `version` nonce of each outbound one: an inbound `version` carrying one of those nonces means we
 * dialled ourselves (Core's CheckIncomingNonce), and the target is remembered as our own address.
 */
export class PeerConnector {
  /** Targets found to be ourselves. */
  readonly selfKeys = new Set<string>();
  /** Nonce of each outbound connection → its target key. */
  private readonly ownNonces = new Map<bigint, string>();
  /** Target key → type of each dial in progress. */
  private readonly dialling = new Map<string, DialType>();
  private closed = false;

  constructor(
    private readonly options: PeerConnectorOptions,
    private readonly deps: PeerConnectorDeps,
  ) {}

  isDialling(key: string): boolean {
    return this.dialling.has(key);
  }

  /** Dials in progress of this type. */
  dialsOf(type: DialType): number {
    let n = 0;
    for (const t of this.dialling.values()) if (t === type) n++;
    return n;
  }

  dial(target: DialTarget): void {
    if (this.closed || this.dialling.has(target.key)) return;
    this.dialling.set(target.key, target.type);
    const nonce = randomNonce();
    // Registered before the socket opens: our own inbound side may read the version at once.
    this.ownNonces.set(nonce, target.key);
    const { connectTimeoutMs } = this.options;
    PeerConnection.connect(target.host, target.port, {
      ...this.connectionOptions(false),
      nonce,
      ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    }).then(
      (conn) => {
        this.dialling.delete(target.key);
        conn.once('close', () => this.ownNonces.delete(nonce));
        if (this.closed) conn.disconnect('shutting down');
        else this.deps.onConnection(conn, target.type, target.key, target.address);
      },
      (err: unknown) => {
        this.dialling.delete(target.key);
        this.ownNonces.delete(nonce);
        this.deps.onDialFailed(target, err);
      },
    );
  }

  accept(socket: Socket): void {
    socket.on('error', () => {});
    const address = parseNetAddress(socket.remoteAddress ?? '', socket.remotePort ?? 0);
    const host = address === undefined ? (socket.remoteAddress ?? '') : formatHost(address);
    const refusal = this.closed ? 'shutting down' : this.deps.refuseInbound(host);
    if (refusal !== undefined) {
      this.options.logger?.debug({ host, reason: refusal }, 'inbound connection refused');
      socket.destroy();
      return;
    }
    const conn = new PeerConnection({ ...this.connectionOptions(true), inbound: true }, { socket });
    const addr = address === undefined ? `${host}:${socket.remotePort ?? 0}` : formatNetAddress(address);
    this.deps.onConnection(conn, 'inbound', addr, address);
  }

  /** No more dials or accepts (connections already open are the caller's to close). */
  close(): void {
    this.closed = true;
  }

  private isOwnNonce(nonce: bigint): boolean {
    const key = this.ownNonces.get(nonce);
    if (key === undefined) return false;
    this.selfKeys.add(key);
    return true;
  }

  private connectionOptions(inbound: boolean): Omit<PeerConnectionOptions, 'inbound'> {
    const { handshakeTimeoutMs, logger } = this.options;
    return {
      magic: this.options.magic,
      local: this.options.local,
      ...(inbound ? {} : { requiredServices: this.options.requiredServices }),
      isOwnNonce: (nonce) => this.isOwnNonce(nonce),
      ...(handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs }),
      ...(logger === undefined ? {} : { logger }),
    };
  }
}
