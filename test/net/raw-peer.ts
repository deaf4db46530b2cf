import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { regtest } from '../../src/consensus/networks/regtest.js';
import {
  type CloseInfo,
  type LocalNodeInfo,
  PeerConnection,
  type PeerConnectionOptions,
  type RemotePeer,
} from '../../src/net/peer-connection.js';
import { ServiceFlags } from '../../src/net/wire/constants.js';
import { MessageParser } from '../../src/net/wire/framing.js';
import { decodeMessage, type NetMessage, serializeMessage } from '../../src/net/wire/message.js';

/**
 * Loopback helpers for connection tests: a server that wraps each inbound socket in a
 * PeerConnection, and a scripted "raw" peer that speaks the wire format by hand so tests can
 * misbehave on purpose. Every wait is bounded by a timeout.
 */
export const MAGIC = regtest.messageStart;

export const LOCAL: LocalNodeInfo = {
  services: ServiceFlags.NETWORK | ServiceFlags.WITNESS,
  userAgent: '/Tally:test/',
  startHeight: 0,
  relay: true,
};

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Listeners attached the moment a connection exists, so no early event is missed. */
export interface Tracked {
  readonly peer: PeerConnection;
  readonly ready: Promise<RemotePeer>;
  readonly closed: Promise<CloseInfo>;
  readonly messages: NetMessage[];
}

export function track(peer: PeerConnection): Tracked {
  const messages: NetMessage[] = [];
  peer.on('message', (m) => messages.push(m));
  const closed = new Promise<CloseInfo>((resolve) => peer.once('close', resolve));
  const ready = new Promise<RemotePeer>((resolve, reject) => {
    peer.once('ready', resolve);
    peer.once('close', (info) => reject(new Error(`closed before ready: ${info.action.reason}`)));
  });
  ready.catch(() => {}); // observed by tests that expect it
  return { peer, ready, closed, messages };
}

export interface TestServer {
  readonly server: Server;
  readonly port: number;
  /** Resolves with the next inbound PeerConnection. */
  next(): Promise<Tracked>;
  close(): Promise<void>;
}

export async function startServer(options: Partial<PeerConnectionOptions> = {}): Promise<TestServer> {
  const waiting: Array<(p: Tracked) => void> = [];
  const ready: Tracked[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const peer = track(
      new PeerConnection({ magic: MAGIC, local: LOCAL, ...options, inbound: true }, { socket }),
    );
    const w = waiting.shift();
    if (w) w(peer);
    else ready.push(peer);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    server,
    port: address.port,
    next: () =>
      withTimeout(
        new Promise<Tracked>((resolve) => {
          const p = ready.shift();
          if (p) resolve(p);
          else waiting.push(resolve);
        }),
        2_000,
        'an inbound connection',
      ),
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A hand-driven peer: raw bytes out, decoded messages in. */
export class RawPeer {
  readonly received: NetMessage[] = [];
  closed = false;
  private readonly parser = new MessageParser(MAGIC);
  private readonly waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.parser.feed(chunk)) {
        if (!f.ok) continue;
        const m = decodeMessage(f.command, f.payload);
        if (m) this.received.push(m);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(port: number): Promise<RawPeer> {
    const socket = connect({ host: '127.0.0.1', port });
    await withTimeout(once(socket, 'connect'), 2_000, 'connect');
    return new RawPeer(socket);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(m: NetMessage): void {
    this.socket.write(serializeMessage(MAGIC, m));
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Waits until a condition on the received messages (or the close) holds. */
  async until(what: string, cond: () => boolean, ms = 2_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await withTimeout(new Promise<void>((r) => this.waiters.push(r)), left, what).catch(() => {});
    }
  }

  async waitFor<C extends NetMessage['command']>(command: C): Promise<Extract<NetMessage, { command: C }>> {
    await this.until(command, () => this.received.some((m) => m.command === command));
    return this.received.find((m) => m.command === command) as Extract<NetMessage, { command: C }>;
  }

  version(overrides: Partial<Extract<NetMessage, { command: 'version' }>> = {}): NetMessage {
    return {
      command: 'version',
      version: 70016,
      services: 9n,
      timestamp: BigInt(Math.floor(Date.now() / 1000)),
      addrRecv: { services: 0n, address: { network: 'ipv4', bytes: new Uint8Array(4), port: 0 } },
      addrFrom: { services: 0n, address: { network: 'ipv4', bytes: new Uint8Array(4), port: 0 } },
      nonce: 12345n,
      userAgent: '/raw/',
      startHeight: 0,
      relay: true,
      ...overrides,
    };
  }

  /** Completes the handshake with an inbound PeerConnection (which answers our version). */
  async handshake(): Promise<void> {
    this.send(this.version());
    await this.waitFor('version');
    await this.waitFor('verack');
    this.send({ command: 'verack' });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
