import type { Command } from 'commander';
import { convertParam, type RpcClient, RpcTransportError } from '../../rpc/client.js';
import { RpcError, RpcErrorCode } from '../../rpc/errors.js';
import { writeJson } from '../../rpc/json/write.js';
import { UsageError } from '../errors.js';
import { canPrompt, promptNewPassphrase, readPassphrase, readPassphraseFile } from '../passphrase.js';
import {
  addConnectionOptions,
  type ConnectionDefaults,
  type ConnectionFlags,
  connect,
} from '../rpc-connection.js';
import { UP_DEFAULTS } from './up-defaults.js';
import {
  btc,
  formatBalances,
  formatHistory,
  formatTransaction,
  formatUtxos,
  formatWalletInfo,
  formatWalletList,
  isObject,
  type WalletListRow,
} from './wallet-format.js';

interface WalletFlags extends ConnectionFlags {
  wallet?: string;
  json?: boolean;
}

/** The defaults of `tally up`, so that its printed next steps work as typed. */
const DEFAULTS: ConnectionDefaults = { datadir: UP_DEFAULTS.datadir, network: UP_DEFAULTS.network };
const DEFAULT_UNLOCK_SECONDS = 300;

/** One command's view of the node: node-wide calls, calls on the chosen wallet, and output. */
interface Session {
  readonly walletName: string;
  /** --json: results print as the RPC returned them. */
  readonly json: boolean;
  node(method: string, params?: unknown[]): Promise<unknown>;
  wallet(method: string, params?: unknown[] | Record<string, unknown>): Promise<unknown>;
  walletNamed(name: string, method: string, params?: unknown[]): Promise<unknown>;
  /** Prints `human()` or, with --json, the raw result. */
  print(result: unknown, human: (r: unknown) => string): void;
}

/**
 * `tally wallet <command>`: the wallet RPCs of bitcoind (createwallet, getbalances, sendtoaddress,
 * gettransaction, ...) with output for people; `--json` prints the RPC result as `tally rpc` would.
 * Errors print the RPC's message (plus a hint where one helps) and exit 1.
 */
export function registerWalletCommands(program: Command): void {
  const wallet = common(program.command('wallet'))
    .description('use the wallets of a running node (tally up): addresses, balances, payments')
    .addHelpText(
      'after',
      `\nDefaults match \`tally up\`: --datadir ${DEFAULTS.datadir} --network ${DEFAULTS.network}, wallet "default".`,
    );

  sub(wallet, 'create <name>', 'create a wallet (encrypted unless --no-passphrase)')
    .option('--passphrase-file <file>', 'encrypt with the passphrase in this file (first line)')
    .option('--no-passphrase', 'do not encrypt the wallet')
    .action(
      run(async (s, name: string, opts: { passphraseFile?: string; passphrase: boolean }) => {
        let passphrase = '';
        if (opts.passphraseFile !== undefined) passphrase = readPassphraseFile(opts.passphraseFile);
        else if (opts.passphrase) {
          if (!canPrompt()) {
            throw new UsageError(
              'no terminal to ask for a passphrase: use --passphrase-file <file> or --no-passphrase',
            );
          }
          passphrase = await promptNewPassphrase(`wallet "${name}"`);
        }
        // Without a passphrase the parameter is left out: an empty one makes bitcoind warn.
        const params = passphrase === '' ? [name] : [name, false, false, passphrase];
        const result = await s.node('createwallet', params);
        s.print(result, () => {
          const state =
            passphrase === ''
              ? 'not encrypted'
              : `encrypted and locked; unlock: tally wallet -w ${name} unlock`;
          return `Created wallet "${name}" (${state}).${warnings(result)}\nNew address: tally wallet -w ${name} address`;
        });
      }),
    );

  sub(wallet, 'list', 'wallets on disk, which are loaded, their balances').action(
    run(async (s) => {
      const loaded = names(await s.node('listwallets'));
      let onDisk: string[] = [];
      try {
        const dir = await s.node('listwalletdir');
        if (isObject(dir) && Array.isArray(dir.wallets))
          onDisk = dir.wallets.filter(isObject).map((w) => String(w.name));
      } catch (err) {
        if (!(err instanceof RpcError && err.code === RpcErrorCode.RPC_METHOD_NOT_FOUND)) throw err;
      }
      const all = [...new Set([...loaded, ...onDisk])].sort();
      const rows: WalletListRow[] = [];
      for (const name of all) {
        if (!loaded.includes(name)) {
          rows.push({ name, loaded: false });
          continue;
        }
        const info = await s.walletNamed(name, 'getwalletinfo');
        rows.push({ name, loaded: true, info, balances: await s.walletNamed(name, 'getbalances') });
      }
      s.print({ loaded, on_disk: onDisk }, () => formatWalletList(rows));
    }),
  );

  sub(wallet, 'load <name>', 'load a wallet from disk').action(
    run(async (s, name: string) => {
      const result = await s.node('loadwallet', [name]);
      s.print(result, () => `Loaded wallet "${name}".${warnings(result)}`);
    }),
  );

  sub(wallet, 'unload [name]', 'unload a wallet (default: the -w wallet)').action(
    run(async (s, name: string | undefined) => {
      const target = name ?? s.walletName;
      const result = await s.node('unloadwallet', [target]);
      s.print(result, () => `Unloaded wallet "${target}".${warnings(result)}`);
    }),
  );

  sub(wallet, 'info', 'the wallet: encryption, balances, transaction count').action(
    run(async (s) => {
      const info = await s.wallet('getwalletinfo');
      // --json prints getwalletinfo alone; the text adds the balances from getbalances.
      const balances = s.json ? undefined : await s.wallet('getbalances');
      s.print(info, (i) => formatWalletInfo(i, balances));
    }),
  );

  sub(wallet, 'balance', 'spendable, pending and immature balances').action(
    run(async (s) => s.print(await s.wallet('getbalances'), formatBalances)),
  );

  sub(wallet, 'address', 'a new receiving address')
    .option('--type <type>', "bech32, p2sh-segwit or legacy (default: the wallet's)")
    .option('--label <label>', 'label for the address', '')
    .action(
      run(async (s, opts: { type?: string; label: string }) => {
        const params: unknown[] = opts.type === undefined ? [opts.label] : [opts.label, opts.type];
        s.print(await s.wallet('getnewaddress', params), String);
      }),
    );

  sub(wallet, 'send <address> <amount>', 'pay <amount> BTC to <address>')
    .option('--fee-rate <sat/vB>', 'fee rate in sat/vB (default: estimated)')
    .option('--subtract-fee', 'the recipient pays the fee out of <amount>')
    .action(
      run(async (s, address: string, amount: string, opts: { feeRate?: string; subtractFee?: boolean }) => {
        const params: Record<string, unknown> = { address, amount: convertParam(amount, false) };
        if (opts.subtractFee === true) params.subtractfeefromamount = true;
        if (opts.feeRate !== undefined) params.fee_rate = convertParam(opts.feeRate, false);
        const txid = await s.wallet('sendtoaddress', params);
        s.print(txid, () =>
          [
            `Sent ${btc(convertParam(amount, false))} to ${address}${opts.subtractFee === true ? ' (the fee taken out of it)' : ''}`,
            `Transaction: ${String(txid)}`,
            `Watch it confirm: tally wallet${s.walletName === 'default' ? '' : ` -w ${s.walletName}`} tx ${String(txid)}`,
          ].join('\n'),
        );
      }),
    );

  sub(wallet, 'tx <txid>', 'one transaction: amount, fee, confirmations').action(
    run(async (s, txid: string) => s.print(await s.wallet('gettransaction', [txid]), formatTransaction)),
  );

  sub(wallet, 'history', 'recent transactions, oldest first')
    .option('--count <n>', 'how many', '10')
    .action(
      run(async (s, opts: { count: string }) => {
        const count = Number(opts.count);
        if (!Number.isInteger(count) || count < 0) throw new UsageError(`invalid --count '${opts.count}'`);
        s.print(await s.wallet('listtransactions', ['*', count]), formatHistory);
      }),
    );

  sub(wallet, 'utxos', 'unspent outputs').action(
    run(async (s) => s.print(await s.wallet('listunspent'), formatUtxos)),
  );

  sub(wallet, 'unlock', 'unlock an encrypted wallet (passphrase from the terminal, stdin or a file)')
    .option('--timeout <seconds>', 'lock again after this long', String(DEFAULT_UNLOCK_SECONDS))
    .option('--passphrase-file <file>', 'read the passphrase from this file')
    .action(
      run(async (s, opts: { timeout: string; passphraseFile?: string }) => {
        const seconds = Number(opts.timeout);
        if (!Number.isInteger(seconds) || seconds <= 0)
          throw new UsageError(`invalid --timeout '${opts.timeout}'`);
        const passphrase =
          opts.passphraseFile !== undefined
            ? readPassphraseFile(opts.passphraseFile)
            : await readPassphrase(`Passphrase for wallet "${s.walletName}": `);
        const result = await s.wallet('walletpassphrase', [passphrase, seconds]);
        s.print(result, () => `Wallet "${s.walletName}" unlocked for ${seconds} s.`);
      }),
    );

  sub(wallet, 'lock', 'lock an encrypted wallet now').action(
    run(async (s) => {
      const result = await s.wallet('walletlock');
      s.print(result, () => `Wallet "${s.walletName}" locked.`);
    }),
  );

  sub(wallet, 'encrypt', 'encrypt an unencrypted wallet (passphrase typed twice, or from a file)')
    .option('--passphrase-file <file>', 'read the new passphrase from this file')
    .action(
      run(async (s, opts: { passphraseFile?: string }) => {
        let passphrase: string;
        if (opts.passphraseFile !== undefined) passphrase = readPassphraseFile(opts.passphraseFile);
        else if (canPrompt()) passphrase = await promptNewPassphrase(`wallet "${s.walletName}"`);
        else throw new UsageError('no terminal to ask for a passphrase: use --passphrase-file <file>');
        const result = await s.wallet('encryptwallet', [passphrase]);
        s.print(result, () => `Wallet "${s.walletName}" encrypted and locked.`);
      }),
    );
}

/** -w/--json and the connection flags, on `wallet` and on each subcommand (either place works). */
function common(command: Command): Command {
  return addConnectionOptions(
    command
      .option('-w, --wallet <name>', 'the wallet to use (default "default")')
      .option('--json', 'print the RPC result as JSON instead of text'),
    DEFAULTS,
  );
}

function sub(parent: Command, spec: string, description: string): Command {
  return common(parent.command(spec)).description(description);
}

/**
 * Wraps an action: builds the session from the merged flags, runs it, and turns RPC failures into
 * the RPC's message on stderr with exit code 1 (usage errors go on to main: exit 2). Commander calls
 * an action with its arguments, its options, then the command itself.
 */
function run<A extends unknown[]>(action: (s: Session, ...args: A) => Promise<void>) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const flags = command.optsWithGlobals<WalletFlags>();
    const walletName = flags.wallet ?? 'default';
    const clients = new Map<string | undefined, RpcClient>();
    const client = (wallet: string | undefined) => {
      let c = clients.get(wallet);
      if (c === undefined) {
        c = connect(flags, DEFAULTS, wallet);
        clients.set(wallet, c);
      }
      return c;
    };
    const session: Session = {
      walletName,
      json: flags.json === true,
      node: (method, params = []) => client(undefined).call(method, params),
      wallet: (method, params = []) => client(walletName).call(method, params),
      walletNamed: (name, method, params = []) => client(name).call(method, params),
      print: (result, human) => {
        if (flags.json !== true) process.stdout.write(`${human(result)}\n`);
        else if (typeof result === 'string') process.stdout.write(`${result}\n`);
        else if (result !== null && result !== undefined) process.stdout.write(`${writeJson(result, 2)}\n`);
      },
    };
    try {
      await action(session, ...(args.slice(0, -1) as A));
    } catch (err) {
      if (err instanceof RpcError) {
        process.stderr.write(`error: ${err.message}${hint(err, walletName)}\n`);
        process.exitCode = 1;
      } else if (err instanceof RpcTransportError) {
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = 1;
      } else throw err;
    } finally {
      for (const c of clients.values()) c.close();
    }
  };
}

/** A next step for the errors a person can fix with another `tally wallet` command. */
function hint(err: RpcError, wallet: string): string {
  const w = wallet === 'default' ? '' : ` -w ${wallet}`;
  switch (err.code) {
    case RpcErrorCode.RPC_WALLET_UNLOCK_NEEDED:
      return `\nhint: unlock it first: tally wallet${w} unlock`;
    case RpcErrorCode.RPC_WALLET_NOT_FOUND:
      return '\nhint: see the wallets with: tally wallet list';
    case RpcErrorCode.RPC_WALLET_INSUFFICIENT_FUNDS:
      return `\nhint: see the balance with: tally wallet${w} balance`;
    default:
      return '';
  }
}

/** bitcoind adds "warnings" (or "warning") to createwallet/loadwallet/unloadwallet results. */
function warnings(result: unknown): string {
  if (!isObject(result)) return '';
  const list = Array.isArray(result.warnings) ? result.warnings.map(String) : [];
  if (typeof result.warning === 'string' && result.warning !== '') list.push(result.warning);
  return list.map((w) => `\nwarning: ${w}`).join('');
}

function names(result: unknown): string[] {
  return Array.isArray(result) ? result.map(String) : [];
}
