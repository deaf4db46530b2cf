import type { Command } from 'commander';
import pino, { type Logger } from 'pino';
import { FullNode, USER_AGENT } from '../../node/node.js';
import { ConfigError, type NodeConfig, type RawOptions, resolveConfig } from '../../node/config.js';
import type { RpcContext } from '../../rpc/context.js';
import { createRegistry } from '../../rpc/methods/index.js';
import { RpcServer } from '../../rpc/server.js';
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
  set('conf', opts.config);
  if (opts.debug) set('debug', '1');
  try {
    return resolveConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/** Starts the node and its RPC server; resolves when a signal or the `stop` RPC has shut it down. */
export async function runNode(config: NodeConfig, logger: Logger): Promise<void> {
  const node = await FullNode.open(config, logger);
  let rpc: RpcServer<RpcContext> | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void (async () => {
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
    subversion: USER_AGENT,
    shutdown,
    logger,
  };
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
      { registry: createRegistry(), context },
    );
    await rpc.start();
  } catch (err) {
    await node.stop();
    throw err;
  }
  logger.info({ module: 'node', rpcport: config.rpcport, datadir: config.datadir }, 'node ready');
  // Initial sync progress on stderr (the structured log stays on stdout).
  node.peers.on('sync-progress', (report) => writeSyncProgress(process.stderr, report));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await done;
  process.off('SIGINT', shutdown);
  process.off('SIGTERM', shutdown);
}
