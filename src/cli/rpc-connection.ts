import type { Command } from 'commander';
import { cookiePath, readCookie } from '../rpc/auth.js';
import { RpcClient } from '../rpc/client.js';
import { parseBindAddress } from '../rpc/net-access.js';
import { UsageError } from './errors.js';
import { networkFromOption } from './network-option.js';

/**
 * How a client command finds a running node: the flags of `tally rpc` (bitcoin-cli's names) and the
 * credential rule of bitcoin-cli: a password when one is given, the cookie the server wrote otherwise.
 */
export interface ConnectionFlags {
  datadir?: string;
  network?: string;
  rpcport?: string;
  rpcconnect?: string;
  rpcuser?: string;
  rpcpassword?: string;
  rpccookiefile?: string;
}

/** Defaults of the client (the ones `tally up` uses, so its printed next steps need no flags). */
export interface ConnectionDefaults {
  readonly datadir: string;
  readonly network: string;
}

/**
 * Adds the connection flags without commander defaults, so the same flags can sit on a command and
 * on its subcommands (`tally wallet --rpcport 1 send ...` and `tally wallet send ... --rpcport 1`)
 * and the defaults are applied once, in connect().
 */
export function addConnectionOptions(command: Command, defaults: ConnectionDefaults): Command {
  return command
    .option('--datadir <dir>', `data directory holding the .cookie (default ${defaults.datadir})`)
    .option('--network <name>', `main, testnet or regtest (default ${defaults.network})`)
    .option('--rpcport <port>', "RPC port (default: the network's)")
    .option('--rpcconnect <host>', 'server address, optionally host:port (default 127.0.0.1)')
    .option('--rpcuser <user>', 'user name for password authentication')
    .option('--rpcpassword <password>', 'password (instead of the cookie)')
    .option('--rpccookiefile <path>', 'cookie location (default <datadir>/<network>/.cookie)');
}

/** The server's address: --rpcconnect (a host, optionally host:port), else 127.0.0.1, at --rpcport. */
export function rpcEndpoint(
  rpcconnect: string,
  rpcport: string | undefined,
  defaultPort: number,
): { host: string; port: number } {
  const port = rpcport === undefined ? defaultPort : Number(rpcport);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`invalid --rpcport '${rpcport}'`);
  }
  try {
    return parseBindAddress(rpcconnect, port);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * bitcoin-cli's credential rule: the password when one is given, else the cookie the server wrote
 * at `cookieFile`. `advice` ends the error when there is neither.
 */
export function rpcCredentials(
  flags: Pick<ConnectionFlags, 'rpcuser' | 'rpcpassword'>,
  cookieFile: string,
  advice: string,
): { user: string; password: string } {
  if (flags.rpcpassword !== undefined && flags.rpcpassword !== '') {
    return { user: flags.rpcuser ?? '', password: flags.rpcpassword };
  }
  const cookie = readCookie(cookieFile);
  if (cookie === undefined) {
    throw new UsageError(
      `Could not locate RPC credentials. No authentication cookie could be found (${cookieFile}), and RPC password is not set. ${advice}`,
    );
  }
  return cookie;
}

/** A client for the node the flags name; `wallet` routes calls to /wallet/<name>. */
export function connect(flags: ConnectionFlags, defaults: ConnectionDefaults, wallet?: string): RpcClient {
  const network = networkFromOption(flags.network ?? defaults.network);
  const endpoint = rpcEndpoint(flags.rpcconnect ?? '127.0.0.1', flags.rpcport, network.rpcPort);
  const credentials = rpcCredentials(
    flags,
    flags.rpccookiefile ?? cookiePath(flags.datadir ?? defaults.datadir, network.name),
    'Is the node running (tally up)? See --datadir and --rpcpassword.',
  );
  return new RpcClient({
    host: endpoint.host,
    port: endpoint.port,
    ...credentials,
    ...(wallet !== undefined && { wallet }),
    timeoutMs: 120_000,
  });
}
