/**
 * The wallet's secrets at rest, with Bitcoin Core's passphrase semantics (wallet/rpc/encrypt.cpp):
 * a keystore opens locked; `unlock(passphrase, seconds)` keeps the decrypted secrets in memory for
 * that long (walletpassphrase: negative is refused, more than 100,000,000 s is clamped, a second
 * unlock sets a new deadline); `lock()` wipes them (walletlock); `changePassphrase` re-encrypts
 * (walletpassphrasechange); an unencrypted keystore exists only when explicitly created and can be
 * encrypted later (encryptwallet). The passphrase itself is never kept; while unlocked, the AES key
 * derived from it is, so secrets can be rewritten without asking again. See format.ts for the file.
 */
import { readFile } from 'node:fs/promises';
import { INSPECT_CUSTOM, wipe } from '../keys/secret.js';
import { createFileExclusive, fileExists, writeFileAtomic } from './atomic-file.js';
import { KeystoreError, KeystoreLockedError } from './errors.js';
import { decodeFile, type EncryptedHeader, encodePlainFile } from './format.js';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams } from './kdf.js';
import { RelockTimer } from './relock-timer.js';
import {
  checkPassphrase,
  encryptedHeaderOf,
  encryptWithPassphrase,
  keyForPassphrase,
  openFile,
  sealFile,
} from './sealed-file.js';
import { decodeSecrets, encodeSecrets, type WalletSecrets } from './secrets.js';

/** Core's walletpassphrase clamp: "capped at 100000000 (~3 years)". */
export const MAX_UNLOCK_SECONDS = 100_000_000;

export interface KeystoreOptions {
  /** scrypt parameters for newly written encryption (default DEFAULT_SCRYPT_PARAMS). */
  readonly kdf?: ScryptParams;
}

export interface KeystoreDependencies {
  /** Milliseconds since the epoch; injectable so tests can move time without waiting. */
  readonly now: () => number;
}

const defaultDependencies: KeystoreDependencies = { now: Date.now };

interface Unlocked {
  readonly key: Uint8Array;
  readonly secrets: WalletSecrets;
  readonly relockAt: number;
}

type Plain = { readonly kind: 'plain'; secrets: WalletSecrets };
type Encrypted = {
  readonly kind: 'encrypted';
  header: EncryptedHeader;
  file: Uint8Array;
  unlocked: Unlocked | null;
};

/** Encodes plain secrets as an unencrypted file, wiping the intermediate encoding. */
function plainFile(secrets: WalletSecrets): Uint8Array {
  const plaintext = encodeSecrets(secrets);
  try {
    return encodePlainFile(plaintext);
  } finally {
    wipe(plaintext);
  }
}

export class Keystore {
  #state: Plain | Encrypted;
  readonly #timer: RelockTimer;
  /** Operations that await (scrypt, disk) run one at a time, like Core's m_unlock_mutex. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Bumped by lock(): an unlock requested before a lock() must not end unlocked. */
  #lockEpoch = 0;

  private constructor(
    readonly path: string,
    state: Plain | Encrypted,
    private readonly deps: KeystoreDependencies,
  ) {
    this.#state = state;
    this.#timer = new RelockTimer(() => this.lock(), deps.now);
  }

  /** Creates an encrypted keystore at `path` (which must not exist) and returns it locked. */
  static async create(
    path: string,
    passphrase: string,
    secrets: WalletSecrets,
    options: KeystoreOptions = {},
    deps: KeystoreDependencies = defaultDependencies,
  ): Promise<Keystore> {
    checkPassphrase(passphrase);
    // Checked before scrypt so an existing file costs no 200 ms; the link() in
    // createFileExclusive is what actually guarantees no overwrite.
    await Keystore.#refuseExisting(path);
    const kdf = options.kdf ?? DEFAULT_SCRYPT_PARAMS;
    const { file, key } = await encryptWithPassphrase(passphrase, secrets, kdf);
    wipe(key);
    await Keystore.#createFile(path, file);
    return new Keystore(
      path,
      { kind: 'encrypted', header: encryptedHeaderOf(file), file, unlocked: null },
      deps,
    );
  }

  /** Creates an unencrypted keystore: the secrets are stored in the clear (mode 0600 only). */
  static async createUnencrypted(
    path: string,
    secrets: WalletSecrets,
    deps: KeystoreDependencies = defaultDependencies,
  ): Promise<Keystore> {
    await Keystore.#refuseExisting(path);
    const file = plainFile(secrets);
    try {
      await Keystore.#createFile(path, file);
    } finally {
      wipe(file);
    }
    return new Keystore(path, { kind: 'plain', secrets: secrets.clone() }, deps);
  }

  /** Opens an existing keystore; an encrypted one starts locked. */
  static async open(path: string, deps: KeystoreDependencies = defaultDependencies): Promise<Keystore> {
    const file = new Uint8Array(await readFile(path));
    const parsed = decodeFile(file);
    if (parsed.protection === 'none') {
      const secrets = decodeSecrets(parsed.plaintext);
      wipe(file);
      return new Keystore(path, { kind: 'plain', secrets }, deps);
    }
    return new Keystore(
      path,
      { kind: 'encrypted', header: encryptedHeaderOf(file), file, unlocked: null },
      deps,
    );
  }

  static async #refuseExisting(path: string): Promise<void> {
    if (await fileExists(path)) throw new KeystoreError('exists', `keystore already exists: ${path}`);
  }

  static async #createFile(path: string, file: Uint8Array): Promise<void> {
    try {
      await createFileExclusive(path, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new KeystoreError('exists', `keystore already exists: ${path}`);
      }
      throw e;
    }
  }

  get isEncrypted(): boolean {
    return this.#state.kind === 'encrypted';
  }

  /**
   * An unencrypted keystore is never locked (Core: such a wallet has no lock state). The deadline
   * is checked here as well as by the timer, so a stalled event loop cannot stretch an unlock.
   */
  get isLocked(): boolean {
    const s = this.#state;
    if (s.kind === 'plain') return false;
    if (s.unlocked !== null && this.deps.now() >= s.unlocked.relockAt) this.lock();
    return s.unlocked === null;
  }

  /** When the keystore locks itself (ms since the epoch), or null when locked or unencrypted. */
  get unlockedUntil(): number | null {
    const s = this.#state;
    return s.kind === 'encrypted' && !this.isLocked ? (s.unlocked?.relockAt ?? null) : null;
  }

  /** The scrypt parameters of the file, or null for an unencrypted keystore. */
  get kdfParams(): ScryptParams | null {
    return this.#state.kind === 'encrypted' ? this.#state.header.kdf : null;
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** The encrypted state, or Core's RPC_WALLET_WRONG_ENC_STATE error text for `rpc`. */
  #encrypted(rpc: string): Encrypted {
    if (this.#state.kind !== 'encrypted') {
      throw new KeystoreError(
        'wrong-encryption-state',
        `Error: running with an unencrypted wallet, but ${rpc} was called.`,
      );
    }
    return this.#state;
  }

  /**
   * Decrypts and keeps the secrets for `seconds` (fractions allowed; Core takes whole seconds).
   * A wrong passphrase throws WrongPassphraseError and leaves the state as it was.
   */
  async unlock(passphrase: string, seconds: number): Promise<void> {
    this.#encrypted('walletpassphrase');
    checkPassphrase(passphrase);
    if (typeof seconds !== 'number' || Number.isNaN(seconds)) {
      throw new KeystoreError('invalid-argument', 'timeout must be a number of seconds');
    }
    if (seconds < 0) throw new KeystoreError('invalid-argument', 'Timeout cannot be negative.');
    const timeoutMs = Math.min(seconds, MAX_UNLOCK_SECONDS) * 1000;
    // Taken at the call, not when the queued operation starts: a lock() issued after this call
    // wins, as in Core where walletlock waits for a running walletpassphrase and then locks.
    const epoch = this.#lockEpoch;
    return this.#exclusive(async () => {
      const state = this.#encrypted('walletpassphrase');
      const key = await keyForPassphrase(passphrase, state.header);
      let secrets: WalletSecrets;
      try {
        secrets = openFile(key, state.file);
      } catch (e) {
        wipe(key);
        throw e;
      }
      if (epoch !== this.#lockEpoch) {
        wipe(key);
        secrets.wipe();
        return;
      }
      this.#wipeUnlocked();
      state.unlocked = { key, secrets, relockAt: this.deps.now() + timeoutMs };
      this.#timer.arm(state.unlocked.relockAt);
    });
  }

  #wipeUnlocked(): void {
    this.#timer.cancel();
    const s = this.#state;
    if (s.kind !== 'encrypted' || s.unlocked === null) return;
    wipe(s.unlocked.key);
    s.unlocked.secrets.wipe();
    s.unlocked = null;
  }

  /** Wipes the decrypted secrets and the key from memory (Core's walletlock). */
  lock(): void {
    this.#encrypted('walletlock');
    this.#lockEpoch++;
    this.#wipeUnlocked();
  }

  /** The decrypted secrets (wiped in place on lock); KeystoreLockedError when locked. */
  getSecrets(): WalletSecrets {
    const s = this.#state;
    if (s.kind === 'plain') return s.secrets;
    if (this.isLocked || s.unlocked === null) throw new KeystoreLockedError();
    return s.unlocked.secrets;
  }

  /**
   * Re-encrypts under a new passphrase with a new salt, nonce and (by default) the current
   * default scrypt parameters, replacing the file atomically. A wrong old passphrase changes
   * nothing. The lock state is kept, as in Core.
   */
  async changePassphrase(
    oldPassphrase: string,
    newPassphrase: string,
    options: KeystoreOptions = {},
  ): Promise<void> {
    this.#encrypted('walletpassphrasechange');
    checkPassphrase(oldPassphrase);
    checkPassphrase(newPassphrase);
    return this.#exclusive(async () => {
      const state = this.#encrypted('walletpassphrasechange');
      const oldKey = await keyForPassphrase(oldPassphrase, state.header);
      let secrets: WalletSecrets;
      try {
        secrets = openFile(oldKey, state.file);
      } finally {
        wipe(oldKey);
      }
      try {
        const kdf = options.kdf ?? DEFAULT_SCRYPT_PARAMS;
        const { file, key } = await encryptWithPassphrase(newPassphrase, secrets, kdf);
        try {
          await writeFileAtomic(this.path, file);
        } catch (e) {
          wipe(key);
          throw e;
        }
        state.header = encryptedHeaderOf(file);
        state.file = file;
        // While unlocked the in-memory key must be the new one, or later writes would use the old.
        if (state.unlocked !== null) {
          wipe(state.unlocked.key);
          state.unlocked = { ...state.unlocked, key };
        } else {
          wipe(key);
        }
      } finally {
        secrets.wipe();
      }
    });
  }

  /**
   * Replaces the stored secrets (a new imported key, say). An encrypted keystore must be unlocked:
   * the in-memory key encrypts, with a fresh nonce, so no passphrase is needed.
   */
  async setSecrets(secrets: WalletSecrets): Promise<void> {
    return this.#exclusive(async () => {
      const s = this.#state;
      if (s.kind === 'plain') {
        const file = plainFile(secrets);
        try {
          await writeFileAtomic(this.path, file);
        } finally {
          wipe(file);
        }
        s.secrets.wipe();
        s.secrets = secrets.clone();
        return;
      }
      if (this.isLocked || s.unlocked === null) throw new KeystoreLockedError();
      const file = sealFile(s.unlocked.key, s.header, secrets);
      await writeFileAtomic(this.path, file);
      s.header = encryptedHeaderOf(file);
      s.file = file;
      // The unlock may have ended while the file was written; then the new copy is not kept.
      if (s.unlocked !== null) {
        s.unlocked.secrets.wipe();
        s.unlocked = { ...s.unlocked, secrets: secrets.clone() };
      }
    });
  }

  /** Encrypts an unencrypted keystore (Core's encryptwallet); it is locked afterwards. */
  async encrypt(passphrase: string, options: KeystoreOptions = {}): Promise<void> {
    checkPassphrase(passphrase);
    return this.#exclusive(async () => {
      const s = this.#state;
      if (s.kind !== 'plain') {
        throw new KeystoreError(
          'wrong-encryption-state',
          'Error: running with an encrypted wallet, but encryptwallet was called.',
        );
      }
      const kdf = options.kdf ?? DEFAULT_SCRYPT_PARAMS;
      const { file, key } = await encryptWithPassphrase(passphrase, s.secrets, kdf);
      wipe(key);
      await writeFileAtomic(this.path, file);
      s.secrets.wipe();
      this.#state = { kind: 'encrypted', header: encryptedHeaderOf(file), file, unlocked: null };
    });
  }

  /** Wipes everything secret this object holds (for shutdown); an unencrypted one is unusable after. */
  close(): void {
    if (this.#state.kind === 'encrypted') this.lock();
    else this.#state.secrets.wipe();
  }

  toJSON(): Record<string, string | boolean | number | null> {
    const encrypted = this.isEncrypted;
    return {
      path: this.path,
      encrypted,
      locked: encrypted ? this.isLocked : false,
      unlockedUntil: this.unlockedUntil,
    };
  }

  [INSPECT_CUSTOM](): string {
    return `Keystore ${JSON.stringify(this.toJSON())}`;
  }
}
