import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { NetworkParams } from '../consensus/params.js';
import {
  type AuthRecord,
  COOKIE_USER,
  checkAuthorization,
  cookiePath,
  deleteCookie,
  hashCredential,
  parseRpcAuth,
  writeCookie,
} from './auth.js';
import { ClientFilter, parseBindAddress } from './net-access.js';
import { handleBody, type RequestState } from './protocol.js';
import type { CallInfo, RpcRegistry } from './registry.js';

/** Core's MAX_SIZE: the largest HTTP body bitcoind reads (a 4 MB block is 8 MB of hex). */
export const DEFAULT_RPC_BODY_LIMIT = 0x02000000;
/** Core sleeps this long before answering a wrong password, to slow brute force (httprpc.cpp). */
export const AUTH_FAILURE_DELAY_MS = 250;

export interface RpcServerOptions {
  readonly network: NetworkParams;
  /** Data directory for the cookie (`<datadir>/<network subdir>/.cookie`); needed without a password. */
  readonly datadir?: string;
  /** Overrides the cookie location (bitcoind's -rpccookiefile). */
  readonly cookieFile?: string;
  /** Default port for every bind address (bitcoind's -rpcport); default the network's RPC port. */
  readonly port?: number;
  /** `host[:port]` to listen on (-rpcbind); used only together with allowIp, as bitcoind does. */
  readonly bind?: readonly string[];
  /** Extra client addresses or subnets allowed besides loopback (-rpcallowip). */
  readonly allowIp?: readonly string[];
  readonly user?: string;
  readonly password?: string;
  /** `user:salt$hash` lines (-rpcauth). */
  readonly rpcauth?: readonly string[];
  readonly bodyLimit?: number;
  /** Delay before a 401 for wrong credentials; tests lower it. */
  readonly authFailureDelayMs?: number;
  readonly logger?: Logger;
}

export interface RpcServerDeps<Ctx> {
  readonly registry: RpcRegistry<Ctx>;
  readonly context: Ctx;
  /**
   * Registers the explorer's GET routes (src/web/explorer.ts): `/api/*` and the UI's pages answer
   * without RPC credentials; GET `/` becomes the UI. Absent, GET `/` answers 405 as bitcoind does.
   */
  readonly explorer?: (app: FastifyInstance) => void;
}

const WWW_AUTHENTICATE = 'Basic realm="jsonrpc"';
const WALLET_PREFIX = '/wallet/';

/**
 * bitcoind's HTTP RPC server (httpserver.cpp + httprpc.cpp) on fastify: POST `/` and
 * `/wallet/<name>`, HTTP Basic authentication checked before the body is read, loopback-only unless
 * -rpcallowip and -rpcbind are both given, and JSON-RPC handling in protocol.ts.
 */
export class RpcServer<Ctx> {
  private readonly options: RpcServerOptions;
  private readonly registry: RpcRegistry<Ctx>;
  private readonly context: Ctx;
  private readonly explorer: ((app: FastifyInstance) => void) | undefined;
  private readonly log: Logger | undefined;
  private readonly filter: ClientFilter;
  private readonly app: FastifyInstance;
  private handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  private readonly servers: Server[] = [];
  private records: AuthRecord[] = [];
  /** The authenticated user of each request in flight (set before the body is read). */
  private readonly users = new WeakMap<FastifyRequest, string>();
  private cookie: string | undefined;

  constructor(options: RpcServerOptions, deps: RpcServerDeps<Ctx>) {
    this.options = options;
    this.registry = deps.registry;
    this.context = deps.context;
    this.explorer = deps.explorer;
    this.log = options.logger?.child({ module: 'rpc' });
    this.filter = new ClientFilter(options.allowIp ?? []);
    this.app = Fastify({
      bodyLimit: options.bodyLimit ?? DEFAULT_RPC_BODY_LIMIT,
      // A URL that is not valid percent-encoding: the explorer's JSON error shape, not fastify's.
      ...(deps.explorer && {
        frameworkErrors: (_err: Error, _req: FastifyRequest, reply: FastifyReply) => {
          void reply
            .code(400)
            .send({ error: { code: 'bad-url', message: 'the URL is not valid percent-encoding' } });
        },
      }),
      // The listening sockets are ours (one per bind address); fastify only supplies the handler.
      serverFactory: (handler) => {
        this.handler = handler;
        return createServer(handler);
      },
    });
    this.routes();
  }

  /** Registers the credentials (writing the cookie when no password is set) and starts listening. */
  async start(): Promise<void> {
    this.records = this.credentials();
    await this.app.ready();
    const handler = this.handler!;
    const endpoints = this.endpoints();
    const errors: Error[] = [];
    for (const { host, port } of endpoints) {
      const server = createServer(handler);
      server.keepAliveTimeout = 30_000;
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host, port }, () => {
            server.off('error', reject);
            resolve();
          });
        });
        this.servers.push(server);
        this.log?.info({ host, port: (server.address() as AddressInfo).port }, 'RPC server listening');
      } catch (err) {
        // bitcoind also goes on when one of its default addresses (::1 without IPv6) cannot be bound.
        errors.push(err as Error);
        this.log?.warn({ host, port, err }, 'RPC server could not bind');
      }
    }
    if (this.servers.length === 0) {
      this.removeCookie();
      throw errors[0] ?? new Error('RPC server: no address to bind');
    }
  }

  /** The bound addresses (port 0 in the options becomes the real port here). */
  addresses(): AddressInfo[] {
    return this.servers.map((s) => s.address() as AddressInfo);
  }

  /** Stops listening, drops open connections and removes the cookie (bitcoind's StopHTTPRPC). */
  async stop(): Promise<void> {
    const servers = this.servers.splice(0);
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    await this.app.close();
    this.removeCookie();
  }

  private removeCookie(): void {
    if (this.cookie !== undefined) deleteCookie(this.cookie);
    this.cookie = undefined;
  }

  private credentials(): AuthRecord[] {
    const o = this.options;
    // rpcauth lines first: a malformed one stops start-up before a cookie is written.
    const records = (o.rpcauth ?? []).map(parseRpcAuth);
    if (o.password === undefined || o.password === '') {
      const path =
        o.cookieFile ?? (o.datadir !== undefined ? cookiePath(o.datadir, o.network.name) : undefined);
      if (path !== undefined) {
        records.unshift(hashCredential(COOKIE_USER, writeCookie(path)));
        this.cookie = path;
      }
    } else {
      records.unshift(hashCredential(o.user ?? '', o.password));
    }
    return records;
  }

  /** bitcoind's HTTPBindAddresses: -rpcbind counts only together with -rpcallowip. */
  private endpoints(): { host: string; port: number }[] {
    const port = this.options.port ?? this.options.network.rpcPort;
    const bind = this.options.bind ?? [];
    if (bind.length > 0 && (this.options.allowIp ?? []).length > 0) {
      return bind.map((b) => parseBindAddress(b, port));
    }
    if (bind.length > 0) {
      this.log?.warn(
        'rpcbind ignored because rpcallowip was not specified, refusing to allow everyone to connect',
      );
    }
    // Port 0 asks for any free port; binding two addresses would give two different ones.
    return port === 0
      ? [{ host: '127.0.0.1', port }]
      : [
          { host: '::1', port },
          { host: '127.0.0.1', port },
        ];
  }

  private routes(): void {
    const app = this.app;
    // bitcoind reads every body as JSON text whatever its Content-Type says.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.addHook('onRequest', async (req, reply) => {
      delete req.headers['content-type'];
      if (!this.filter.allowed(req.socket.remoteAddress)) {
        this.log?.warn({ peer: req.socket.remoteAddress }, 'RPC client network is not allowed');
        return reply.code(403).send('');
      }
    });
    app.setNotFoundHandler((_req, reply) => reply.code(404).send(''));
    const route = {
      onRequest: (req: FastifyRequest, reply: FastifyReply) => this.authenticate(req, reply),
      handler: (req: FastifyRequest, reply: FastifyReply) => this.serve(req, reply),
    };
    if (this.explorer === undefined) {
      app.all('/', route);
    } else {
      // The explorer answers GET (and HEAD) `/` with its UI; every other method stays JSON-RPC's.
      app.route({
        method: app.supportedMethods.filter((m) => m !== 'GET' && m !== 'HEAD'),
        url: '/',
        ...route,
      });
      this.explorer(app);
    }
    app.all(`${WALLET_PREFIX}*`, route);
  }

  private async authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (req.method !== 'POST') {
      await reply.code(405).send('JSONRPC server handles only POST requests');
      return;
    }
    const header = req.headers.authorization;
    if (header === undefined) {
      await reply.code(401).header('WWW-Authenticate', WWW_AUTHENTICATE).send('');
      return;
    }
    const user = checkAuthorization(header, this.records);
    if (user === undefined) {
      this.log?.warn({ peer: req.socket.remoteAddress }, 'ThreadRPCServer incorrect password attempt');
      await sleep(this.options.authFailureDelayMs ?? AUTH_FAILURE_DELAY_MS);
      await reply.code(401).header('WWW-Authenticate', WWW_AUTHENTICATE).send('');
      return;
    }
    this.users.set(req, user);
  }

  private async serve(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const body = typeof req.body === 'string' ? req.body : '';
    const uri = req.url;
    const call: CallInfo = {
      user: this.users.get(req),
      wallet: walletFromUri(uri),
      uri,
    };
    const exec = (request: RequestState) => {
      this.log?.debug({ method: request.method, user: call.user }, 'RPC call');
      return this.registry.execute(this.context, request.method, request.params, call);
    };
    const result = await handleBody(body, exec);
    if (result.body === undefined) {
      await reply.code(result.status).send();
      return;
    }
    // A Buffer goes out as it is: fastify would append "; charset=utf-8" to a string's JSON type,
    // and bitcoind sends plain "application/json".
    await reply
      .code(result.status)
      .header('Content-Type', 'application/json')
      .send(Buffer.from(result.body, 'utf8'));
  }
}

/** `/wallet/<url-encoded name>` names a wallet (bitcoind's GetWalletNameFromJSONRPCRequest). */
export function walletFromUri(uri: string): string | undefined {
  if (!uri.startsWith(WALLET_PREFIX)) return undefined;
  const raw = uri.slice(WALLET_PREFIX.length).split('?')[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
