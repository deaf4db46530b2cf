import { getRandomValues } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { Handshake, type HandshakeOptions, type RemotePeer } from './handshake.js';
import { type LocalNodeInfo, localVersionMessage } from './local-version.js';
import { type PeerAction, type PenaltyInput, type ProtocolViolation, penaltyFor } from './penalty.js';
import { PingTracker } from './ping-tracker.js';
import { MAX_PROTOCOL_MESSAGE_LENGTH, MESSAGE_HEADER_SIZE } from './wire/constants.js';
import { toWireError, WireError } from './wire/errors.js';
import { type Magic, MessageParser } from './wire/framing.js';
import { decodeMessage, type EncodeOptions, type NetMessage, serializeMessage } from './wire/message.js';

/**
 * One TCP connection to a peer, speaking the v1 transport: frames out, parsed messages in, the
 * version handshake (with BIP339/BIP155 negotiation), keep-alive pings, and the limits that keep a
 * peer from costing us unbounded memory. It knows nothing about chains: the peer manager and sync
 * listen to 'message' and call send().
 *
 * Every problem ends in one place: close(cause, action), where the action comes from penaltyFor(),
 * and one 'close' event reports both, so the peer manager can record a discouragement.
 */

export type { RemotePeer } from './handshake.js';
export type { LocalNodeInfo } from './local-version.js';

/** Handshake rules (inbound, minPeerVersion, requiredServices, isOwnNonce) come from HandshakeOptions. */
export interface PeerConnectionOptions extends HandshakeOptions {
  readonly magic: Magic;
  readonly local: LocalNodeInfo;
  /** The services the peer was known for (addrman), sent back in `version` as Core does. */
  readonly remoteServices?: bigint;
  /** Our `version` nonce (random by default). */
  readonly nonce?: bigint;
  /** Core's 60 s peer connect timeout for the handshake. */
  readonly handshakeTimeoutMs?: number;
  /** Core's PING_INTERVAL (2 min). */
  readonly pingIntervalMs?: number;
  /** Core's TIMEOUT_INTERVAL (20 min) for an unanswered ping. */
  readonly pingTimeoutMs?: number;
  /** Soft limit (Core's -maxsendbuffer, 1 MB): above it we stop reading from the peer. */
  readonly maxSendBufferBytes?: number;
  /** Hard limit: above it the peer is not reading at all and is disconnected. */
  readonly maxSendQueueBytes?: number;
  readonly logger?: Logger;
}

export type CloseCause =
  | { readonly kind: 'wire'; readonly error: WireError }
  | { readonly kind: 'protocol'; readonly code: ProtocolViolation }
  | { readonly kind: 'penalty'; readonly input: PenaltyInput }
  | { readonly kind: 'local'; readonly reason: string }
  | { readonly kind: 'remote' }
  | { readonly kind: 'socket-error'; readonly error: Error };

export interface CloseInfo {
  readonly cause: CloseCause;
  readonly action: PeerAction;
}

export interface PeerConnectionEvents {
  ready: [RemotePeer];
  message: [NetMessage];
  /** A command we do not know (Core ignores these); raw for whoever cares. */
  unknown: [command: string, payload: Uint8Array];
  /** A message dropped without disconnecting (bad checksum, malformed but harmless). */
  dropped: [WireError];
  pong: [latencyMs: number];
  /** The send queue fell below the soft limit again. */
  drain: [];
  close: [CloseInfo];
}

function randomNonce(): bigint {
  return getRandomValues(new BigUint64Array(1))[0]!;
}

export class PeerConnection extends EventEmitter<PeerConnectionEvents> {
  readonly inbound: boolean;
  readonly nonce: bigint;
  readonly connectedAt = Date.now();
  bytesSent = 0;
  bytesReceived = 0;
  /** Ping state; `pings.lastMs` and `pings.minMs` are the measured round trips. */
  readonly pings = new PingTracker();
  private readonly socket: Socket;
  private readonly options: PeerConnectionOptions;
  private readonly parser: MessageParser;
  private readonly maxSendBuffer: number;
  private readonly maxSendQueue: number;
  private readonly handshake: Handshake;
  private closed = false;
  private sendPaused = false;
  private receivePaused = false;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(options: PeerConnectionOptions, deps: { readonly socket: Socket }) {
    super();
    this.options = options;
    this.socket = deps.socket;
    this.inbound = options.inbound;
    this.nonce = options.nonce ?? randomNonce();
    this.parser = new MessageParser(options.magic);
    this.handshake = new Handshake(options);
    this.maxSendBuffer = options.maxSendBufferBytes ?? 1_000_000;
    this.maxSendQueue =
      options.maxSendQueueBytes ?? this.maxSendBuffer + MAX_PROTOCOL_MESSAGE_LENGTH + MESSAGE_HEADER_SIZE;
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.close({ kind: 'socket-error', error }));
    this.socket.on('close', () => this.close({ kind: 'remote' }));
    this.handshakeTimer = setTimeout(
      () => this.violation('handshake-timeout'),
      options.handshakeTimeoutMs ?? 60_000,
    );
    this.handshakeTimer.unref();
    if (!this.inbound) this.sendVersion();
  }

  /** Opens an outbound TCP connection and starts the handshake. */
  static connect(
    host: string,
    port: number,
    options: Omit<PeerConnectionOptions, 'inbound'> & { readonly connectTimeoutMs?: number },
  ): Promise<PeerConnection> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, options.connectTimeoutMs ?? 5_000);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new PeerConnection({ ...options, inbound: false }, { socket }));
      });
    });
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  /** The peer after a completed handshake. */
  get remote(): RemotePeer | undefined {
    return this.handshake.remote;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes handed to the socket and not yet written to the kernel. */
  get sendQueueBytes(): number {
    return this.socket.writableLength;
  }

  /**
   * Queues a message. Returns false when the queue is above the soft limit (we have stopped reading
   * from the peer until it drains: wait for 'drain') or the connection is closed.
   */
  send(message: NetMessage, options?: EncodeOptions): boolean {
    if (this.closed) return false;
    const frame = serializeMessage(this.options.magic, message, options);
    this.bytesSent += frame.length;
    this.socket.write(frame, () => this.checkDrained());
    const queued = this.socket.writableLength;
    if (queued > this.maxSendQueue) {
      this.violation('send-buffer-overflow');
      return false;
    }
    if (queued >= this.maxSendBuffer && !this.sendPaused) {
      // Core's fPauseSend: a peer that does not read what we send gets no more of our attention.
      this.sendPaused = true;
      this.updateReading();
    }
    return !this.sendPaused;
  }

  /** Lets the consumer apply back-pressure when it cannot keep up with this peer's messages. */
  pauseReceive(): void {
    this.receivePaused = true;
    this.updateReading();
  }

  resumeReceive(): void {
    this.receivePaused = false;
    this.updateReading();
  }

  /** Sends a ping now unless one is outstanding; the answer comes as a 'pong' event. */
  ping(): boolean {
    if (this.closed || this.handshake.remote === undefined) return false;
    const nonce = this.pings.start(performance.now());
    if (nonce === undefined) return false;
    this.send({ command: 'ping', nonce });
    return true;
  }

  /** Applies a penalty decided elsewhere (an invalid block or transaction from this peer). */
  punish(input: PenaltyInput): PeerAction {
    const action = penaltyFor(input);
    if (action.action !== 'none') this.close({ kind: 'penalty', input }, action);
    return action;
  }

  disconnect(reason: string): void {
    this.close({ kind: 'local', reason });
  }

  private checkDrained(): void {
    if (this.sendPaused && this.socket.writableLength < this.maxSendBuffer) {
      this.sendPaused = false;
      this.updateReading();
      this.emit('drain');
    }
  }

  private updateReading(): void {
    if (this.closed) return;
    if (this.sendPaused || this.receivePaused) this.socket.pause();
    else this.socket.resume();
  }

  private onData(chunk: Uint8Array): void {
    this.bytesReceived += chunk.length;
    for (const frame of this.parser.feed(chunk)) {
      if (this.closed) return;
      if (!frame.ok) this.onWireError(frame.error);
      else this.onFrame(frame.command, frame.payload);
    }
  }

  private onWireError(error: WireError): void {
    const action = penaltyFor({ kind: 'wire', code: error.code, command: error.command });
    if (action.action === 'none' && !error.fatal) {
      this.options.logger?.debug({ code: error.code, err: error.message }, 'dropped message');
      this.emit('dropped', error);
      return;
    }
    this.close({ kind: 'wire', error }, action);
  }

  private onFrame(command: string, payload: Uint8Array): void {
    let message: NetMessage | undefined;
    try {
      message = decodeMessage(command, payload);
    } catch (err) {
      this.onWireError(err instanceof WireError ? err : toWireError(err, command));
      return;
    }
    const step = this.handshake.onMessage(message);
    switch (step.kind) {
      case 'violation':
        this.violation(step.code);
        return;
      case 'ignore':
        return;
      case 'answer-version':
        if (step.sendVersion) this.sendVersion();
        if (step.sendWtxidRelay) this.send({ command: 'wtxidrelay' });
        this.send({ command: 'sendaddrv2' });
        this.send({ command: 'verack' });
        return;
      case 'ready':
        this.onReady(step.remote);
        return;
      case 'deliver':
        break;
    }
    if (message === undefined) this.emit('unknown', command, payload);
    else if (message.command === 'ping') this.send({ command: 'pong', nonce: message.nonce });
    else if (message.command === 'pong') this.onPong(message.nonce);
    else this.emit('message', message);
  }

  private onReady(remote: RemotePeer): void {
    clearTimeout(this.handshakeTimer);
    const interval = this.options.pingIntervalMs ?? 120_000;
    const timeout = this.options.pingTimeoutMs ?? 20 * 60_000;
    this.pingTimer = setInterval(() => this.pingTick(interval, timeout), Math.min(interval, timeout) / 4);
    this.pingTimer.unref();
    this.emit('ready', remote);
    // Core pings as soon as the handshake completes, so latency is known from the start.
    this.ping();
  }

  private pingTick(interval: number, timeout: number): void {
    const now = performance.now();
    if (this.pings.timedOut(now, timeout)) this.violation('ping-timeout');
    else if (this.pings.due(now, interval)) this.ping();
  }

  private onPong(nonce: bigint): void {
    const latency = this.pings.onPong(nonce, performance.now());
    if (latency !== undefined) this.emit('pong', latency);
  }

  private sendVersion(): void {
    const remote = {
      host: this.socket.remoteAddress,
      port: this.socket.remotePort,
      services: this.options.remoteServices ?? 0n,
    };
    const nowSeconds = Math.floor(Date.now() / 1000);
    this.send(localVersionMessage(this.options.local, this.nonce, remote, nowSeconds));
  }

  private violation(code: ProtocolViolation): void {
    this.close({ kind: 'protocol', code }, penaltyFor({ kind: 'protocol', code }));
  }

  private close(cause: CloseCause, action?: PeerAction): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    clearInterval(this.pingTimer);
    this.socket.destroy();
    const info: CloseInfo = { cause, action: action ?? { action: 'disconnect', reason: cause.kind } };
    this.options.logger?.debug({ cause: cause.kind, action: info.action }, 'peer connection closed');
    this.emit('close', info);
  }
}
