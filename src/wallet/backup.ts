import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { NetworkParams } from '../consensus/params.js';
import { WalletError } from './api.js';
import { BackupFormatError, decodeBackup, encodeBackup, type WalletBackup } from './backup-format.js';
import { createFileExclusive } from './keystore/atomic-file.js';
import { Prefix } from './layout.js';
import { WalletDB, type WalletDbOp } from './store/wallet-db.js';
import { checkWalletName, walletPaths } from './wallet-files.js';
import type { WalletState, WriteQueue } from './wallet-state.js';

/** Core's backupwallet failure text (RPC_WALLET_ERROR), whatever went wrong. */
export const BACKUP_FAILED = 'Error: Wallet backup failed!';

/**
 * Every database record, read as of one moment while the wallet keeps following the chain.
 *
 * Why iterators rather than close-copy-reopen: closing the database would stall every wallet
 * operation and chain event for the length of the copy, and a failure to reopen would leave a
 * loaded wallet without its database. A LevelDB iterator instead reads from a snapshot taken when
 * it is created (classic-level creates it synchronously). The wallet's queued writes are drained
 * first and then one iterator per key prefix is created in the same synchronous step, so normally
 * all of them see one state. Should a write already in flight commit between two of them, the
 * order still makes the copy sound: the best-block record ('B') is snapshotted first, every other
 * record is then at least as new as it, and loading the restored wallet rescans from that block,
 * re-finding anything the later snapshots missed (a tx record is upserted, indexes only move up).
 */
async function snapshotEntries(state: WalletState, queue: WriteQueue): Promise<[Uint8Array, Uint8Array][]> {
  await queue.drain();
  // Keys start with one ASCII letter (layout.ts); every prefix byte below 0xff is covered so a
  // record kind added later is copied too.
  const reads = [state.db.entries(Prefix.BEST_BLOCK)];
  for (let p = 0; p < 0xff; p++) if (p !== Prefix.BEST_BLOCK) reads.push(state.db.entries(p));
  const rows = (await Promise.all(reads)).flat();
  return rows.sort(([a], [b]) => Buffer.compare(a, b));
}

/** Core's BackupWallet target: a directory gets a file named after the wallet inside it. */
export function backupPath(destination: string, walletName: string): string {
  const path = resolve(destination);
  if (existsSync(path) && statSync(path).isDirectory()) {
    return join(path, `${walletName === '' ? 'wallet' : walletName}.bak`);
  }
  return path;
}

/**
 * backupwallet: writes the wallet's database records and its keystore file (as on disk: encrypted
 * when the wallet is) to one new file, mode 0600, never over an existing one. The keystore is read
 * after the database so it holds at least every key the copied records name (a private import
 * writes the keystore before its record). Returns the file written.
 */
export async function backupWallet(
  state: WalletState,
  queue: WriteQueue,
  destination: string,
): Promise<string> {
  const path = backupPath(destination, state.name);
  try {
    const entries = await snapshotEntries(state, queue);
    const keystore =
      state.keystore === undefined ? undefined : new Uint8Array(await readFile(state.keystore.path));
    const backup: WalletBackup = { network: state.network.name, walletName: state.name, keystore, entries };
    await createFileExclusive(path, encodeBackup(backup));
  } catch (err) {
    state.logger?.error({ module: 'wallet', wallet: state.name, path, err }, 'wallet backup failed');
    throw new WalletError('WALLET_ERROR', BACKUP_FAILED);
  }
  state.logger?.info({ module: 'wallet', wallet: state.name, path }, 'wallet backed up');
  return path;
}

/** Core's first checks in RestoreWallet, in its order: the backup exists, the name is free. */
/** The largest backup restorewallet reads. */
const MAX_BACKUP_BYTES = 1024 * 1024 * 1024;

export function checkRestore(walletsDir: string, name: string, backupFile: string): void {
  checkWalletName(name);
  if (!existsSync(resolve(backupFile))) {
    throw new WalletError('INVALID_ADDRESS_OR_KEY', 'Backup file does not exist');
  }
  const { dir } = walletPaths(walletsDir, name);
  if (existsSync(dir)) {
    throw new WalletError(
      'WALLET_ALREADY_EXISTS',
      `Failed to create database path '${dir}'. Database already exists.`,
    );
  }
}

/**
 * The files of a wallet restored from a backup (Core's RestoreWallet before it loads): refuses a
 * missing backup, an existing wallet of that name, a damaged file or another network's wallet, and
 * leaves nothing behind when it fails. The caller loads the wallet (and removes it if that fails).
 */
export async function restoreWalletFiles(
  walletsDir: string,
  name: string,
  backupFile: string,
  network: NetworkParams,
): Promise<void> {
  checkRestore(walletsDir, name, backupFile);
  const source = resolve(backupFile);
  const paths = walletPaths(walletsDir, name);
  // Only a regular file of a sane size is read whole: /dev/zero or a huge file must not exhaust
  // the node's memory (a 100,000-transaction wallet's backup is tens of megabytes).
  const info = statSync(source);
  if (!info.isFile() || info.size > MAX_BACKUP_BYTES) {
    throw new WalletError(
      'WALLET_ERROR',
      `Wallet file verification failed: ${source} is not a wallet backup (${info.isFile() ? `${info.size} bytes` : 'not a regular file'})`,
    );
  }
  let backup: WalletBackup;
  try {
    backup = decodeBackup(new Uint8Array(await readFile(source)));
  } catch (e) {
    if (!(e instanceof BackupFormatError) && !(e instanceof Error && 'code' in e)) throw e;
    throw new WalletError('WALLET_ERROR', `Wallet file verification failed: ${source}: ${e.message}`);
  }
  if (backup.network !== network.name) {
    throw new WalletError(
      'WALLET_ERROR',
      `Wallet file verification failed: the backup belongs to network ${backup.network}, not ${network.name}`,
    );
  }
  mkdirSync(paths.dir, { recursive: false, mode: 0o700 });
  try {
    if (backup.keystore !== undefined) await createFileExclusive(paths.keystore, backup.keystore);
    const db = await WalletDB.open(paths.db);
    try {
      const ops: WalletDbOp[] = backup.entries.map(([key, value]) => ({ type: 'put', key, value }));
      await db.write(ops, true);
    } finally {
      await db.close();
    }
  } catch (e) {
    rmSync(paths.dir, { recursive: true, force: true });
    throw e;
  }
}
