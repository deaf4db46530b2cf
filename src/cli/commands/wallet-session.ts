import type { Command } from 'commander';
import { type RpcClient, RpcTransportError } from '../../rpc/client.js';
import { RpcError, RpcErrorCode } from '../../rpc/errors.js';
import { writeJson } from '../../rpc/json/write.js';
import {
  addConnectionOptions,
  type ConnectionDefaults,
  type ConnectionFlags,
  connect,
} from '../rpc-connection.js';
import { UP_DEFAULTS } from './up-defaults.js';
import { isObject } from './wallet-format.js';

/**
 * The plumbing every `tally wallet` subcommand shares: its flags (-w, --json, the connection),
 * a session with node-wide and per-wallet RPC clients, and one way to print results and errors.
 */
interface WalletFlags extends ConnectionFlags {
  wallet?: string;
  json?: boolean;
}

/** The defaults of `tally up`, so that its printed next steps work as typed. */
export const DEFAULTS: ConnectionDefaults = { datadir: UP_DEFAULTS.datadir, network: UP_DEFAULTS.network };

/** One command's view of the node: node-wide calls, calls on the chosen wallet, and output. */
export interface Session {
  readonly walletName: string;
  /** --json: results print as the RPC returned them. */
  readonly json: boolean;
  node(method: string, params?: unknown[]): Promise<unknown>;
  wallet(method: string, params?: unknown[] | Record<string, unknown>): Promise<unknown>;
  walletNamed(name: string, method: string, params?: unknown[]): Promise<unknown>;
  /** Prints `human()` or, with --json, the raw result. */
  print(result: unknown, human: (r: unknown) => string): void;
}

/** -w/--json and the connection flags, on `wallet` and on each subcommand (either place works). */
export function common(command: Command): Command {
  return addConnectionOptions(
    command
      .option('-w, --wallet <name>', 'the wallet to use (default "default")')
      .option('--json', 'print the RPC result as JSON instead of text'),
    DEFAULTS,
  );
}

export function sub(parent: Command, spec: string, description: string): Command {
  return common(parent.command(spec)).description(description);
}

/**
 * Wraps an action: builds the session from the merged flags, runs it, and turns RPC failures into
 * the RPC's message on stderr with exit code 1 (usage errors go on to main: exit 2). Commander calls
 * an action with its arguments, its options, then the command itself.
 */
export function run<A extends unknown[]>(action: (s: Session, ...args: A) => Promise<void>) {
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
export function warnings(result: unknown): string {
  if (!isObject(result)) return '';
  const list = Array.isArray(result.warnings) ? result.warnings.map(String) : [];
  if (typeof result.warning === 'string' && result.warning !== '') list.push(result.warning);
  return list.map((w) => `\nwarning: ${w}`).join('');
}
