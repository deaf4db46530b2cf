import { join } from 'node:path';
import type { Command } from 'commander';
import pino, { type Logger } from 'pino';
import type { NodeConfig, RawOptions } from '../../node/config.js';
import { cookiePath } from '../../rpc/auth.js';
import { formatBtc } from '../../rpc/json/amount.js';
import { UsageError } from '../errors.js';
import { type NodeReady, resolveCliConfig, runNode } from './node.js';
import { UP_DEFAULTS } from './up-defaults.js';
import { UpMiner } from './up-mining.js';
import { formatNextSteps } from './up-next-steps.js';
import { inProcessRpc, type RpcCall } from './up-rpc.js';
import {
  type DefaultWallet,
  ensureDefaultWallet,
  loadOtherWallets,
  relockDefaultWallet,
} from './up-wallet.js';

interface UpOptions {
  datadir: string;
  rpcport: string;
  port?: string;
  listen?: boolean;
  passphraseFile?: string;
  mineInterval: string;
  /** --no-explorer turns the block explorer off (commander's negated flag). */
  explorer: boolean;
  debug?: boolean;
}

const print = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `tally up`: the first command of the README. A single-node regtest chain in ./.tally with an
 * encrypted wallet "default" funded by 101 mined blocks, a block whenever a payment waits, RPC (and
 * the explorer) on, and the next steps printed. Ctrl-C stops it cleanly; running it again resumes the
 * same chain and wallet. Everything it does to the chain and wallets goes through bitcoind's RPCs.
 */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('start a local regtest chain with a funded, encrypted wallet (the quick start)')
    .option('--datadir <dir>', 'data directory', UP_DEFAULTS.datadir)
    .option('--rpcport <port>', 'JSON-RPC port (0: any free port, printed)', String(UP_DEFAULTS.rpcport))
    .option('--port <port>', 'P2P port when --listen is given (default 18444)')
    .option('--listen', 'accept P2P connections from other nodes (off by default)')
    .option('--passphrase-file <file>', 'passphrase of wallet "default" (generated into the file if missing)')
    .option(
      '--mine-interval <seconds>',
      'mine a block once a transaction has waited this long',
      String(UP_DEFAULTS.mineIntervalSeconds),
    )
    .option('--no-explorer', 'do not serve the block explorer')
    .option('--debug', 'verbose logs (in <datadir>/regtest/debug.log)')
    .action(async (opts: UpOptions) => {
      const interval = Number(opts.mineInterval);
      if (!Number.isFinite(interval) || interval < 0 || interval > 3600) {
        throw new UsageError(`invalid --mine-interval '${opts.mineInterval}' (seconds, 0..3600)`);
      }
      const config = upConfig(opts);
      const logger = upLogger(config);
      print(`Starting a local regtest chain in ${config.datadir} ...`);
      let session: UpSession | undefined;
      await runNode(config, logger, {
        onReady: async (ready) => {
          session = new UpSession(config, ready, {
            intervalSeconds: interval,
            passphraseFile: opts.passphraseFile,
          });
          await session.start();
        },
        beforeStop: async () => {
          print('Stopping...');
          await session?.stop();
        },
      });
      print('Stopped. Run `tally up` (or `npm start`) again to resume this chain.');
    });
}

/** What `tally up` adds to a running node: the default wallet, the miner, the printed next steps. */
class UpSession {
  private readonly call: RpcCall;
  private miner: UpMiner | undefined;
  private wallet: DefaultWallet | undefined;

  constructor(
    private readonly config: NodeConfig,
    private readonly ready: NodeReady,
    private readonly o: { intervalSeconds: number; passphraseFile: string | undefined },
  ) {
    this.call = inProcessRpc(ready.registry, ready.context);
  }

  async start(): Promise<void> {
    const { call, config, ready } = this;
    this.wallet = await ensureDefaultWallet(call, {
      networkDir: config.networkDir,
      ...(this.o.passphraseFile !== undefined && { passphraseFile: this.o.passphraseFile }),
      print,
    });
    await loadOtherWallets(call, print);
    const address = String(await call('getnewaddress', [''], this.wallet.name));
    this.miner = new UpMiner(call, { address, intervalSeconds: this.o.intervalSeconds, print });
    const height = await this.miner.mineTo(UP_DEFAULTS.initialBlocks, ready.stopping);
    if (ready.stopping.aborted) return;
    this.miner.start();
    const balances = (await call('getbalances', [], this.wallet.name)) as { mine?: { trusted?: number } };
    const explorerUrl = config.explorer ? await probeExplorer(ready.rpcPort) : undefined;
    print(
      formatNextSteps({
        datadir: config.datadir,
        rpcPort: ready.rpcPort,
        height,
        balance: formatBtc(Math.round((balances.mine?.trusted ?? 0) * 1e8)),
        encrypted: this.wallet.encrypted,
        cookieFile: cookiePath(config.datadir, 'regtest'),
        ...(explorerUrl !== undefined && { explorerUrl }),
      }),
    );
  }

  /** Stops mining (finishing a block under way) and locks the wallet while RPC still works. */
  async stop(): Promise<void> {
    await this.miner?.stop();
    if (this.wallet !== undefined) {
      try {
        await relockDefaultWallet(this.call, this.wallet);
      } catch (err) {
        print(`warning: could not lock wallet "${this.wallet.name}": ${(err as Error).message}`);
      }
    }
  }
}

function upConfig(opts: UpOptions): NodeConfig {
  const raw: RawOptions = new Map([
    ['chain', ['regtest']],
    ['datadir', [opts.datadir]],
    ['rpcport', [opts.rpcport]],
    ['listen', [opts.listen === true ? '1' : '0']],
    // The explorer helper's switch (config key `explorer`); on unless --no-explorer.
    ['explorer', [opts.explorer ? '1' : '0']],
  ]);
  if (opts.port !== undefined) raw.set('port', [opts.port]);
  if (opts.debug === true) raw.set('debug', ['1']);
  return resolveCliConfig(raw);
}

/**
 * The node's JSON log goes to `<datadir>/regtest/debug.log` (bitcoind's file), so the terminal shows
 * only what a person needs; warnings and errors also reach stderr.
 */
function upLogger(config: NodeConfig): Logger {
  const file = pino.destination({ dest: join(config.networkDir, 'debug.log'), mkdir: true, sync: true });
  const level = config.debug ? 'debug' : 'info';
  return pino(
    { level, base: undefined },
    pino.multistream([
      { level, stream: file },
      { level: 'warn', stream: process.stderr },
    ]),
  );
}

/** The explorer's address when it answers (the explorer is optional in a build); undefined otherwise. */
async function probeExplorer(port: number): Promise<string | undefined> {
  const url = `http://127.0.0.1:${port}/`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok ? url : undefined;
  } catch {
    return undefined;
  }
}
