import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkParams } from '../consensus/params.js';
import { fromHex } from '../encoding/hex.js';
import { WalletError } from './api.js';
import { HDKey } from './keys/bip32.js';
import { MnemonicError, generateMnemonic, mnemonicToSeed } from './keys/bip39.js';
import { HDAccount } from './keys/paths.js';
import { wipe } from './keys/secret.js';
import { PURPOSE_OF } from './keychain/key-chain.js';
import { ADDRESS_TYPES } from './keychain/wallet-scripts.js';
import { Keystore, type KeystoreOptions } from './keystore/keystore.js';
import { WalletSecrets } from './keystore/secrets.js';
import { bestBlockKey, metaKey, WALLET_DB_VERSION } from './layout.js';
import type { BestBlockRecord, WalletMetaRecord } from './store/records.js';
import { put, WalletDB } from './store/wallet-db.js';
import type { AddressType, CreateWalletOptions } from './api.js';

/** Where a wallet lives: `<networkDir>/wallets/<name>/{db/,keystore}`. */
export function walletPaths(walletsDir: string, name: string): { dir: string; db: string; keystore: string } {
  const dir = join(walletsDir, name);
  return { dir, db: join(dir, 'db'), keystore: join(dir, 'keystore') };
}

/** Core's wallet names: any text, but not a path that leaves the wallets directory. */
export function checkWalletName(name: string): void {
  if (
    typeof name !== 'string' ||
    name.includes('/') ||
    name.includes('\\') ||
    name === '.' ||
    name === '..' ||
    name.includes('\0')
  ) {
    throw new WalletError('INVALID_PARAMETER', `Invalid wallet name: ${name}`);
  }
}

/** Wallet directories on disk (listwalletdir): those holding a wallet database. */
export function walletsOnDisk(walletsDir: string): string[] {
  if (!existsSync(walletsDir)) return [];
  return readdirSync(walletsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(walletsDir, d.name, 'db')))
    .map((d) => d.name)
    .sort();
}

/**
 * Writes a new wallet: the keystore (seed and mnemonic, encrypted when a passphrase is given) and
 * the database with the public half (account xpubs, fingerprint) and its starting block. A wallet
 * restored from a mnemonic starts before genesis so loading it scans the whole chain.
 */
export async function createWalletFiles(
  walletsDir: string,
  o: CreateWalletOptions,
  network: NetworkParams,
  tip: BestBlockRecord,
  now: number,
  kdf: KeystoreOptions = {},
): Promise<void> {
  checkWalletName(o.name);
  const paths = walletPaths(walletsDir, o.name);
  if (existsSync(paths.db) || existsSync(paths.keystore)) {
    throw new WalletError(
      'WALLET_ALREADY_EXISTS',
      `Wallet file verification failed. Failed to create database path '${paths.dir}'. Database already exists.`,
    );
  }
  const disablePrivateKeys = o.disablePrivateKeys === true;
  const blank = o.blank === true;
  if (o.passphrase !== undefined && o.passphrase !== '' && disablePrivateKeys) {
    throw new WalletError(
      'WALLET_ERROR',
      'Passphrase provided but private keys are disabled. A passphrase is only used to encrypt private keys, so cannot be used for wallets with private keys disabled.',
    );
  }
  const withSeed = !disablePrivateKeys && !blank;
  if (o.mnemonic !== undefined && !withSeed) {
    throw new WalletError('INVALID_PARAMETER', 'A mnemonic needs a wallet with private keys');
  }
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  let accounts: Partial<Record<AddressType, string>> | undefined;
  let masterFingerprint: string | undefined;
  try {
    if (withSeed) {
      const mnemonic = o.mnemonic ?? generateMnemonic();
      let seed: Uint8Array;
      try {
        seed = mnemonicToSeed(mnemonic);
      } catch (e) {
        if (e instanceof MnemonicError)
          throw new WalletError('INVALID_PARAMETER', `Invalid mnemonic: ${e.message}`);
        throw e;
      }
      const master = HDKey.fromSeed(seed);
      try {
        accounts = {};
        for (const type of ADDRESS_TYPES) {
          const account = HDAccount.fromMaster(master, PURPOSE_OF[type], network);
          accounts[type] = account.extendedPublicKey;
          account.wipe();
        }
        masterFingerprint = master.fingerprint.toString(16).padStart(8, '0');
        await writeKeystore(paths.keystore, new WalletSecrets({ seed, mnemonic }), o.passphrase, kdf);
      } finally {
        master.wipe();
        wipe(seed);
      }
    } else if (!disablePrivateKeys) {
      // A blank wallet has no HD chains but still keeps private keys it is given (importdescriptors),
      // encrypted when created with a passphrase. The keystore format needs a seed: a random one
      // that nothing derives from.
      const filler = new Uint8Array(randomBytes(32));
      try {
        await writeKeystore(paths.keystore, new WalletSecrets({ seed: filler }), o.passphrase, kdf);
      } finally {
        wipe(filler);
      }
    }
    const meta: WalletMetaRecord = {
      version: WALLET_DB_VERSION,
      network: network.name,
      birthTime: now,
      disablePrivateKeys,
      blank,
      ...(masterFingerprint === undefined ? {} : { masterFingerprint }),
      ...(accounts === undefined ? {} : { accounts }),
    };
    const db = await WalletDB.open(paths.db);
    try {
      const start: BestBlockRecord = o.mnemonic === undefined ? tip : { hash: '', height: -1 };
      await db.write([put(metaKey(), meta), put(bestBlockKey(), start)], true);
    } finally {
      await db.close();
    }
  } catch (e) {
    rmSync(paths.dir, { recursive: true, force: true });
    throw e;
  }
}

/** Writes a new keystore (encrypted when a passphrase is given) and wipes `secrets`. */
async function writeKeystore(
  path: string,
  secrets: WalletSecrets,
  passphrase: string | undefined,
  kdf: KeystoreOptions,
): Promise<void> {
  try {
    if (passphrase !== undefined && passphrase !== '')
      (await Keystore.create(path, passphrase, secrets, kdf)).close();
    else (await Keystore.createUnencrypted(path, secrets)).close();
  } finally {
    secrets.wipe();
  }
}

export function decodeFingerprint(hex: string | undefined): number {
  return hex === undefined ? 0 : new DataView(fromHex(hex).buffer).getUint32(0, false);
}
