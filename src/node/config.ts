import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { getNetwork, type NetworkName, type NetworkParams } from '../consensus/params.js';

/**
 * Node configuration with bitcoind's names and precedence: command-line options override the config
 * file, and in the file a `[main]`/`[test]`/`[regtest]` section overrides the top level for that
 * network (bitcoind ignores network-only keys outside their section on non-main chains; we follow
 * the simpler rule "section beats top level", and report unknown keys instead of ignoring them).
 */
export interface NodeConfig {
  network: NetworkParams;
  /** Root data directory, as bitcoind's -datadir. */
  datadir: string;
  /** Where this network's files live: datadir itself for main, datadir/regtest, datadir/testnet3. */
  networkDir: string;
  port: number;
  listen: boolean;
  bind: string;
  connect: string[];
  addnode: string[];
  maxconnections: number;
  rpcport: number;
  /** Set only when the user gave -rpcbind (bitcoind binds loopback, IPv4 and IPv6, by default). */
  rpcbind?: string;
  rpcallowip: string[];
  rpcuser?: string;
  rpcpassword?: string;
  rpcauth: string[];
  txindex: boolean;
  dbcache: number;
  maxmempool: number;
  explorer: boolean;
  /** Address index for the explorer (-addressindex); default on with -explorer on regtest, else off. */
  addressindex: boolean;
  printtoconsole: boolean;
  debug: boolean;
  /**
   * -walletrebroadcastdelay (seconds, default 43200): each loaded wallet re-announces its
   * unconfirmed transactions to peers after a random delay in [N, 3N), then again (Core's fixed
   * 12-36 h of MaybeResendWalletTxs; a short one lets tests watch it happen).
   */
  walletrebroadcastdelay: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Raw option values as strings (repeated keys collect). */
export type RawOptions = Map<string, string[]>;

const NETWORK_SECTIONS: Record<NetworkName, string> = { main: 'main', testnet: 'test', regtest: 'regtest' };
const NETWORK_SUBDIR: Record<NetworkName, string> = { main: '', testnet: 'testnet3', regtest: 'regtest' };

const KNOWN_KEYS = new Set([
  'regtest',
  'testnet',
  'chain',
  'datadir',
  'conf',
  'port',
  'listen',
  'bind',
  'connect',
  'addnode',
  'maxconnections',
  'rpcport',
  'rpcbind',
  'rpcallowip',
  'rpcuser',
  'rpcpassword',
  'rpcauth',
  'server',
  'txindex',
  'dbcache',
  'maxmempool',
  'explorer',
  'addressindex',
  'printtoconsole',
  'debug',
  'walletrebroadcastdelay',
]);

/** Parses bitcoin.conf syntax: `key=value`, `# comments`, `[section]` headers. */
export function parseConfigFile(
  text: string,
  path = 'config',
): { top: RawOptions; sections: Map<string, RawOptions> } {
  const top: RawOptions = new Map();
  const sections = new Map<string, RawOptions>();
  let current = top;
  text.split(/\r?\n/).forEach((line, i) => {
    const stripped = line.replace(/#.*$/, '').trim();
    if (stripped === '') return;
    const section = /^\[([a-z0-9]+)\]$/.exec(stripped);
    if (section) {
      const name = section[1]!;
      if (!Object.values(NETWORK_SECTIONS).includes(name))
        throw new ConfigError(`${path}:${i + 1}: unknown section [${name}]`);
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      return;
    }
    const eq = stripped.indexOf('=');
    const key = (eq === -1 ? stripped : stripped.slice(0, eq)).trim();
    const value = eq === -1 ? '1' : stripped.slice(eq + 1).trim();
    if (!KNOWN_KEYS.has(key)) throw new ConfigError(`${path}:${i + 1}: unknown option '${key}'`);
    const list = current.get(key) ?? [];
    list.push(value);
    current.set(key, list);
  });
  return { top, sections };
}

function chooseNetwork(opts: RawOptions): NetworkName {
  const chain = last(opts, 'chain');
  const flags = [bool(opts, 'regtest', false) && 'regtest', bool(opts, 'testnet', false) && 'testnet'].filter(
    Boolean,
  );
  if (chain !== undefined) flags.push(chain === 'test' ? 'testnet' : chain);
  const unique = [...new Set(flags)];
  if (unique.length > 1) throw new ConfigError(`conflicting networks: ${unique.join(', ')}`);
  const name = (unique[0] || 'main') as string;
  if (getNetwork(name) === undefined) throw new ConfigError(`unknown network '${name}'`);
  return name as NetworkName;
}

/**
 * Builds the configuration: command line first, then (if present) the config file's network
 * section, then its top level, then defaults. `defaultDatadir` is ~/.tally like bitcoind's ~/.bitcoin.
 */
export function resolveConfig(cli: RawOptions, defaultDatadir = join(homedir(), '.tally')): NodeConfig {
  const datadir = resolve(last(cli, 'datadir') ?? defaultDatadir);
  const confPath = last(cli, 'conf');
  let file = { top: new Map() as RawOptions, sections: new Map<string, RawOptions>() };
  if (confPath !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(datadir, confPath), 'utf8');
    } catch (err) {
      throw new ConfigError(
        `cannot read config file '${confPath}': ${(err as NodeJS.ErrnoException).code ?? err}`,
      );
    }
    file = parseConfigFile(text, confPath);
  }
  const networkName = chooseNetwork(merge(cli, file.top));
  const section = file.sections.get(NETWORK_SECTIONS[networkName]) ?? new Map();
  const opts = merge(cli, section, file.top);
  const network = getNetwork(networkName)!;
  return {
    network,
    datadir,
    networkDir: join(datadir, NETWORK_SUBDIR[networkName]),
    port: int(opts, 'port', network.defaultPort, 0, 65535),
    listen: bool(opts, 'listen', true),
    bind: last(opts, 'bind') ?? '0.0.0.0',
    connect: opts.get('connect') ?? [],
    addnode: opts.get('addnode') ?? [],
    maxconnections: int(opts, 'maxconnections', 125, 0, 10_000),
    rpcport: int(opts, 'rpcport', network.rpcPort, 0, 65535),
    ...optional('rpcbind', last(opts, 'rpcbind')),
    rpcallowip: opts.get('rpcallowip') ?? [],
    ...optional('rpcuser', last(opts, 'rpcuser')),
    ...optional('rpcpassword', last(opts, 'rpcpassword')),
    rpcauth: opts.get('rpcauth') ?? [],
    txindex: bool(opts, 'txindex', true),
    dbcache: int(opts, 'dbcache', 450, 4, 1_000_000),
    maxmempool: int(opts, 'maxmempool', 300, 5, 1_000_000),
    explorer: bool(opts, 'explorer', false),
    addressindex: bool(opts, 'addressindex', networkName === 'regtest' && bool(opts, 'explorer', false)),
    printtoconsole: bool(opts, 'printtoconsole', true),
    debug: bool(opts, 'debug', false),
    walletrebroadcastdelay: int(opts, 'walletrebroadcastdelay', 12 * 60 * 60, 1, 10 * 365 * 24 * 60 * 60),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** Later arguments fill keys the earlier ones lack (earlier wins, as bitcoind's precedence). */
function merge(...layers: RawOptions[]): RawOptions {
  const out: RawOptions = new Map();
  for (const layer of layers) for (const [k, v] of layer) if (!out.has(k)) out.set(k, v);
  return out;
}

function last(opts: RawOptions, key: string): string | undefined {
  const list = opts.get(key);
  return list === undefined ? undefined : list[list.length - 1];
}

function bool(opts: RawOptions, key: string, fallback: boolean): boolean {
  const v = last(opts, key);
  if (v === undefined) return fallback;
  if (['1', 'true', ''].includes(v)) return true;
  if (['0', 'false'].includes(v)) return false;
  throw new ConfigError(`-${key} must be 0/1 or true/false, got '${v}'`);
}

function int(opts: RawOptions, key: string, fallback: number, min: number, max: number): number {
  const v = last(opts, key);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ConfigError(`-${key} must be an integer in ${min}..${max}, got '${v}'`);
  }
  return Number(v);
}
