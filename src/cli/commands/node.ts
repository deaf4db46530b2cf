import type { Command } from 'commander';
import pino, { type Logger } from 'pino';
import { FullNode, USER_AGENT } from '../../node/node.js';
import { ConfigError, type NodeConfig, type RawOptions, resolveConfig } from '../../node/config.js';
import type { RpcContext } from '../../rpc/context.js';
import { createRegistry } from '../../rpc/methods/index.js';
import type { RpcRegistry } from '../../rpc/registry.js';
import { RpcServer } from '../../rpc/server.js';
import { createExplorer } from '../../web/explorer.js';
import { UsageError } from '../errors.js';
import { writeSyncProgress } from '../progress-bar.js';

interface NodeCliOptions {
  network?: string;
  datadir?: string;
  port?: string;
  bind?: string;
  rpcport?: string;
  rpcbind?: string;
  rpcallowip?: string[];
  rpcuser?: string;
  rpcpassword?: string;
  connect?: string[];
  addnode?: string[];
  listen?: string | boolean;
  config?: string;
  txindex?: string;
  explorer?: boolean;
  addressindex?: string;
  debug?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerNodeCommand(program: Command): void {
  program
    .command('node')
    .description('run a full node: chain, mempool, miner, P2P and JSON-RPC (flags named after bitcoind)')
    .option('--network <name>', 'main, testnet or regtest')
    .option('--datadir <dir>', 'data directory (default ~/.tally)')
    .option('--port <port>', 'P2P port (default: 8333 main, 18333 testnet, 18444 regtest)')
    .option('--bind <addr>', 'P2P listen address (default 0.0.0.0)')
    .option('--rpcport <port>', 'JSON-RPC port (default: 8332 main, 18332 testnet, 18443 regtest)')
    .option('--rpcbind <addr>', 'JSON-RPC bind address, with --rpcallowip (default: loopback only)')
    .option('--rpcallowip <ip>', 'allow JSON-RPC from this address or subnet (repeatable)', collect)
    .option('--rpcuser <user>', 'JSON-RPC user (default: cookie authentication)')
    .option('--rpcpassword <password>', 'JSON-RPC password')
    .option('--connect <host:port>', 'connect only to this peer (repeatable)', collect)
    .option('--addnode <host:port>', 'also connect to this peer (repeatable)', collect)
    .option('--listen [bool]', 'accept incoming P2P connections (--listen=false to disable)')
    .option('--txindex <bool>', 'keep a transaction index (default 1)')
    .option('--explorer', 'serve the block explorer (REST API under /api and the web UI) on the RPC port')
    .option(
      '--addressindex <bool>',
      'keep an address index for the explorer (default: 1 with --explorer on regtest)',
    )
    .option('--config <file>', 'configuration file (bitcoin.conf syntax), relative to the data directory')
    .option('--debug', 'verbose logs')
    .action(async (opts: NodeCliOptions) => {
      const config = configFromCli(opts);
      const logger = pino({ level: config.debug ? 'debug' : 'info', base: undefined });
      await runNode(config, logger);
    });
}

function configFromCli(opts: NodeCliOptions): NodeConfig {
  const raw: RawOptions = new Map();
  const set = (key: string, value: string | string[] | undefined) => {
    if (value !== undefined) raw.set(key, Array.isArray(value) ? value : [value]);
  };
  if (opts.network !== undefined) set('chain', opts.network === 'testnet' ? 'test' : opts.network);
  set('datadir', opts.datadir);
  set('port', opts.port);
  set('bind', opts.bind);
  set('rpcport', opts.rpcport);
  set('rpcbind', opts.rpcbind);
  set('rpcallowip', opts.rpcallowip);
  set('rpcuser', opts.rpcuser);
  set('rpcpassword', opts.rpcpassword);
  set('connect', opts.connect);
  set('addnode', opts.addnode);
  if (opts.listen !== undefined) set('listen', opts.listen === true ? '1' : String(opts.listen));
  set('txindex', opts.txindex);
  if (opts.explorer) set('explorer', '1');
  set('addressindex', opts.addressindex);
  set('conf', opts.config);
  if (opts.debug) set('debug', '1');
  return resolveCliConfig(raw);
}

/** The node's settings from command-line options: a bad one is the user's error, shown as usage. */
export function resolveCliConfig(raw: RawOptions): NodeConfig {
  try {
    return resolveConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/** What a caller of runNode (`tally up`) receives once the node answers RPC. */
export interface NodeReady {
  readonly node: FullNode;
  readonly context: RpcContext;
  readonly registry: RpcRegistry<RpcContext>;
  /** The bound RPC port: the real one when the configuration asked for port 0. */
  readonly rpcPort: number;
  /** Aborted when shutdown begins (signal or `stop` RPC), so long work in onReady can end early. */
  readonly stopping: AbortSignal;
  /** Starts the same clean shutdown as Ctrl-C. */
  readonly shutdown: () => void;
}

export interface RunNodeHooks {
  /** Runs once RPC is up (signals are already handled); a throw stops the node and rejects runNode. */
  readonly onReady?: (ready: NodeReady) => Promise<void>;
  /** Runs first at shutdown, while RPC and the node still work (e.g. to relock wallets). */
  readonly beforeStop?: () => Promise<void>;
}

/** Starts the node and its RPC server; resolves when a signal or the `stop` RPC has shut it down. */
export async function runNode(config: NodeConfig, logger: Logger, hooks: RunNodeHooks = {}): Promise<void> {
  const node = await FullNode.open(config, logger);
  let rpc: RpcServer<RpcContext> | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let stopping = false;
  const stopSignal = new AbortController();
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stopSignal.abort();
    void (async () => {
      try {
        await hooks.beforeStop?.();
      } catch (err) {
        logger.error({ module: 'node', err }, 'shutdown hook failed');
      }
      await rpc?.stop();
      await node.stop();
      resolveDone();
    })();
  };
  const context: RpcContext = {
    network: config.network,
    startTime: node.startTime,
    now: () => Math.floor(Date.now() / 1000),
    chain: node.chain,
    mempool: node.mempool,
    assembler: node.assembler,
    miner: node.miner,
    peers: node.peers,
    wallets: node.wallets,
    subversion: USER_AGENT,
    shutdown,
    logger,
  };
  const registry = createRegistry();
  try {
    rpc = new RpcServer(
      {
        network: config.network,
        datadir: config.datadir,
        port: config.rpcport,
        ...(config.rpcbind === undefined ? {} : { bind: [config.rpcbind] }),
        allowIp: config.rpcallowip,
        ...(config.rpcuser === undefined ? {} : { user: config.rpcuser }),
        ...(config.rpcpassword === undefined ? {} : { password: config.rpcpassword }),
        rpcauth: config.rpcauth,
        logger,
      },
      {
        registry,
        context,
        ...(config.explorer && {
          explorer: createExplorer(
            {
              network: config.network,
              chain: node.chain,
              mempool: node.mempool,
              peers: node.peers,
              ...(node.addressIndex && { addressIndex: node.addressIndex }),
            },
            { logger },
          ),
        }),
      },
    );
    await rpc.start();
  } catch (err) {
    await node.stop();
    throw err;
  }
  if (config.explorer) {
    const port = rpc.addresses().find((a) => a.family === 'IPv4')?.port ?? config.rpcport;
    logger.info({ module: 'node', url: `http://127.0.0.1:${port}/` }, 'explorer ready');
  }
  logger.info({ module: 'node', rpcport: config.rpcport, datadir: config.datadir }, 'node ready');
  // Initial sync progress on stderr (the structured log stays on stdout).
  node.peers.on('sync-progress', (report) => writeSyncProgress(process.stderr, report));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  let hookError: unknown;
  if (hooks.onReady !== undefined) {
    const bound = rpc.addresses();
    const rpcPort = (bound.find((a) => a.family === 'IPv4') ?? bound[0])?.port ?? config.rpcport;
    const ready: NodeReady = { node, context, registry, rpcPort, stopping: stopSignal.signal, shutdown };
    try {
      await hooks.onReady(ready);
    } catch (err) {
      // A failure caused by a shutdown already under way is not the hook's error.
      if (!stopping) hookError = err;
      shutdown();
    }
  }
  await done;
  process.off('SIGINT', shutdown);
  process.off('SIGTERM', shutdown);
  if (hookError !== undefined) throw hookError;
}
