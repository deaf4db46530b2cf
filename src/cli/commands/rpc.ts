import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { cookiePath } from '../../rpc/auth.js';
import { convertParam, RpcClient, RpcTransportError } from '../../rpc/client.js';
import { RpcError } from '../../rpc/errors.js';
import { writeJson } from '../../rpc/json/write.js';
import { createRegistry } from '../../rpc/methods/index.js';
import { UsageError } from '../errors.js';
import { networkFromOption } from '../network-option.js';
import { rpcCredentials, rpcEndpoint } from '../rpc-connection.js';

interface RpcOptions {
  datadir: string;
  network: string;
  rpcport?: string;
  rpcconnect: string;
  rpcuser?: string;
  rpcpassword?: string;
  rpccookiefile?: string;
  rpcwallet?: string;
  named?: boolean;
  rpcwait?: boolean;
  rpcwaittimeout: string;
  rpcclienttimeout: string;
}

/**
 * `tally rpc <method> [params...]`: bitcoin-cli for a Tally node (or a bitcoind). Credentials come
 * from the cookie the server writes unless a password is given; parameters are JSON where the
 * method expects JSON; the result prints as bitcoin-cli prints it (strings raw, other values as
 * indented JSON, nothing for null); an RPC error prints "error code: N" and its message, exit 1.
 */
export function registerRpcCommand(program: Command): void {
  // Parameters such as -1 must reach the method, not be read as options of `tally` itself.
  program.enablePositionalOptions();
  program
    .command('rpc')
    .description('call a JSON-RPC method of a running node, like bitcoin-cli')
    .argument('<method>', 'the RPC method, e.g. getblockchaininfo (see `tally rpc help`)')
    .argument('[params...]', 'its parameters (JSON values where the method takes numbers, objects, arrays)')
    .option('--datadir <dir>', 'data directory holding the .cookie', join(homedir(), '.tally'))
    .option('--network <name>', 'main, testnet or regtest', 'main')
    .option('--rpcport <port>', "RPC port (default: the network's)")
    .option('--rpcconnect <host>', 'server address, optionally host:port', '127.0.0.1')
    .option('--rpcuser <user>', 'user name for password authentication')
    .option('--rpcpassword <password>', 'password (instead of the cookie)')
    .option('--rpccookiefile <path>', 'cookie location (default <datadir>/<network>/.cookie)')
    .option('--rpcwallet <name>', 'send the call to /wallet/<name>')
    .option('--named', 'pass parameters as name=value pairs (bitcoin-cli -named)')
    .option('--rpcwait', 'wait for the server to start')
    .option('--rpcwaittimeout <seconds>', 'give up waiting after this long (0: forever)', '0')
    .option('--rpcclienttimeout <seconds>', 'HTTP timeout of one call', '900')
    .passThroughOptions()
    .action(async (method: string, params: string[], opts: RpcOptions) => {
      const network = networkFromOption(opts.network);
      const endpoint = rpcEndpoint(opts.rpcconnect, opts.rpcport, network.rpcPort);
      const credentials = rpcCredentials(
        opts,
        opts.rpccookiefile ?? cookiePath(opts.datadir, network.name),
        'See --rpcpassword.',
      );
      const client = new RpcClient({
        host: endpoint.host,
        port: endpoint.port,
        ...credentials,
        ...(opts.rpcwallet !== undefined && { wallet: opts.rpcwallet }),
        timeoutMs: Number(opts.rpcclienttimeout) * 1000,
      });
      const args = opts.named ? namedParams(method, params) : positionalParams(method, params);
      try {
        const waitMs =
          Number(opts.rpcwaittimeout) > 0 ? Number(opts.rpcwaittimeout) * 1000 : Number.MAX_SAFE_INTEGER;
        const result = opts.rpcwait
          ? await client.callWhenUp(method, args, waitMs)
          : await client.call(method, args);
        if (typeof result === 'string') process.stdout.write(`${result}\n`);
        else if (result !== null && result !== undefined) process.stdout.write(`${writeJson(result, 2)}\n`);
      } catch (err) {
        if (err instanceof RpcError) {
          process.stderr.write(`error code: ${err.code}\nerror message:\n${err.message}\n`);
          process.exitCode = 1;
        } else if (err instanceof RpcTransportError) {
          process.stderr.write(`error: ${err.message}\n`);
          process.exitCode = 1;
        } else {
          throw err;
        }
      } finally {
        client.close();
      }
    });
}

/** Whether the method's i-th parameter (or the one named so) takes a string (kept unparsed). */
let registry: ReturnType<typeof createRegistry> | undefined;

function takesString(method: string, key: number | string): boolean {
  registry ??= createRegistry();
  const params = registry.get(method)?.params;
  if (params === undefined) return false;
  const param = typeof key === 'number' ? params[key] : params.find((p) => p.name.split('|').includes(key));
  return param?.type === 'string' || param?.type === 'hex';
}

function positionalParams(method: string, params: readonly string[]): unknown[] {
  return params.map((text, i) => convertParam(text, takesString(method, i)));
}

/** bitcoin-cli -named: `name=value` pairs; values without a name go to "args" (leading positionals). */
function namedParams(method: string, params: readonly string[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  const positional: unknown[] = [];
  for (const text of params) {
    const eq = text.indexOf('=');
    if (eq <= 0) {
      positional.push(convertParam(text, takesString(method, positional.length)));
      continue;
    }
    const name = text.slice(0, eq);
    if (Object.hasOwn(named, name)) throw new UsageError(`Parameter ${name} specified multiple times`);
    named[name] = convertParam(text.slice(eq + 1), takesString(method, name));
  }
  if (positional.length > 0) named.args = positional;
  return named;
}
