import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RpcError, RpcErrorCode } from '../../rpc/errors.js';
import { UsageError } from '../errors.js';
import {
  canPrompt,
  generatePassphrase,
  promptHidden,
  promptNewPassphrase,
  readPassphraseFile,
  writePassphraseFile,
} from '../passphrase.js';
import { MAX_UNLOCK_SECONDS, UP_DEFAULTS } from './up-defaults.js';
import type { RpcCall } from './up-rpc.js';

export interface DefaultWalletOptions {
  /** `<datadir>/regtest`: the generated passphrase is kept in `wallets/default.passphrase` under it. */
  readonly networkDir: string;
  /** --passphrase-file: use (or, when absent, create) this file instead. */
  readonly passphraseFile?: string;
  readonly print: (line: string) => void;
}

export interface DefaultWallet {
  readonly name: string;
  readonly created: boolean;
  readonly encrypted: boolean;
}

const PROMPT_ATTEMPTS = 3;

export function defaultPassphrasePath(networkDir: string): string {
  return join(networkDir, 'wallets', `${UP_DEFAULTS.wallet}.passphrase`);
}

/**
 * The demo wallet of `tally up`, through bitcoind's wallet RPCs: loaded if it exists, created
 * encrypted if not, then unlocked for as long as the process runs (walletpassphrase with the longest
 * timeout; `relockDefaultWallet` locks it at shutdown). Its keys stay encrypted on disk.
 *
 * Where the passphrase comes from: --passphrase-file (generated into it when the file is missing);
 * else the generated file of an earlier run; else the terminal (asked twice for a new wallet); else,
 * with no terminal (scripts, CI), a generated one kept in `wallets/default.passphrase`, mode 0600.
 */
export async function ensureDefaultWallet(call: RpcCall, o: DefaultWalletOptions): Promise<DefaultWallet> {
  const name = UP_DEFAULTS.wallet;
  const created = !(await loadExisting(call, name));
  if (created) {
    const passphrase = await newPassphrase(o);
    await call('createwallet', [name, false, false, passphrase]);
    o.print(`Created wallet "${name}" (encrypted).`);
    await call('walletpassphrase', [passphrase, MAX_UNLOCK_SECONDS], name);
    return { name, created, encrypted: true };
  }
  const info = await call('getwalletinfo', [], name);
  const encrypted = typeof info === 'object' && info !== null && 'unlocked_until' in info;
  if (!encrypted) {
    o.print(`Loaded wallet "${name}" (not encrypted).`);
    return { name, created, encrypted };
  }
  await unlockExisting(call, name, o);
  o.print(`Loaded wallet "${name}" and unlocked it for this session.`);
  return { name, created, encrypted };
}

/**
 * Loads the other wallets on disk (listwalletdir) too, so that `tally up` resumes the whole demo:
 * bitcoind loads only those listed in its settings, but wallets made with `tally wallet create` are
 * part of this chain's story. A wallet that fails to load is reported and left alone.
 */
export async function loadOtherWallets(call: RpcCall, print: (line: string) => void): Promise<string[]> {
  let listed: unknown;
  try {
    listed = await call('listwalletdir');
  } catch (err) {
    if (err instanceof RpcError && err.code === RpcErrorCode.RPC_METHOD_NOT_FOUND) return [];
    throw err;
  }
  const wallets = (listed as { wallets?: { name?: unknown }[] }).wallets ?? [];
  const loaded: string[] = [];
  for (const { name } of wallets) {
    if (typeof name !== 'string' || name === UP_DEFAULTS.wallet) continue;
    try {
      await call('loadwallet', [name]);
      loaded.push(name);
    } catch (err) {
      if (err instanceof RpcError && err.code === RpcErrorCode.RPC_WALLET_ALREADY_LOADED) continue;
      print(`warning: could not load wallet "${name}": ${err instanceof Error ? err.message : err}`);
    }
  }
  if (loaded.length > 0)
    print(`Loaded wallet${loaded.length === 1 ? '' : 's'} ${loaded.map((n) => `"${n}"`).join(', ')}.`);
  return loaded;
}

/** Locks the wallet again (shutdown); the keys leave memory even before the process does. */
export async function relockDefaultWallet(call: RpcCall, wallet: DefaultWallet): Promise<void> {
  if (wallet.encrypted) await call('walletlock', [], wallet.name);
}

/** true when the wallet exists (loaded now or already loaded), false when there is none to load. */
async function loadExisting(call: RpcCall, name: string): Promise<boolean> {
  try {
    await call('loadwallet', [name]);
    return true;
  } catch (err) {
    if (!(err instanceof RpcError)) throw err;
    if (err.code === RpcErrorCode.RPC_WALLET_ALREADY_LOADED) return true;
    if (err.code === RpcErrorCode.RPC_WALLET_NOT_FOUND) return false;
    throw err;
  }
}

async function newPassphrase(o: DefaultWalletOptions): Promise<string> {
  const file = o.passphraseFile ?? defaultPassphrasePath(o.networkDir);
  if (existsSync(file)) return readPassphraseFile(file);
  if (o.passphraseFile === undefined && canPrompt()) {
    return promptNewPassphrase(`the new wallet "${UP_DEFAULTS.wallet}"`);
  }
  const passphrase = generatePassphrase();
  writePassphraseFile(file, passphrase);
  o.print(`Generated the wallet passphrase and saved it in ${file} (readable only by you).`);
  o.print(
    'warning: a passphrase kept next to the wallet protects nothing; this is for demos and tests only.',
  );
  return passphrase;
}

async function unlockExisting(call: RpcCall, name: string, o: DefaultWalletOptions): Promise<void> {
  const file = o.passphraseFile ?? defaultPassphrasePath(o.networkDir);
  if (existsSync(file)) {
    await call('walletpassphrase', [readPassphraseFile(file), MAX_UNLOCK_SECONDS], name);
    return;
  }
  if (!canPrompt()) {
    throw new UsageError(
      `wallet "${name}" is encrypted and there is no terminal to ask for its passphrase: give --passphrase-file <file>`,
    );
  }
  for (let attempt = 1; ; attempt++) {
    const passphrase = await promptHidden(`Passphrase for wallet "${name}": `);
    try {
      await call('walletpassphrase', [passphrase, MAX_UNLOCK_SECONDS], name);
      return;
    } catch (err) {
      const wrong = err instanceof RpcError && err.code === RpcErrorCode.RPC_WALLET_PASSPHRASE_INCORRECT;
      if (!wrong || attempt >= PROMPT_ATTEMPTS) throw err;
      o.print(`${err.message} Try again.`);
    }
  }
}
