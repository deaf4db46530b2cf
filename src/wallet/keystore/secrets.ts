/**
 * What the keystore protects: the wallet's HD seed, the BIP39 mnemonic it came from (kept so it
 * can be shown again for a backup), and private keys imported as WIF. All of it is held in
 * Uint8Arrays so it can be wiped; the encoding below is written into one exactly-sized array for
 * the same reason (a growing buffer would leave copies behind in the arrays it outgrew).
 *
 * Encoding (version 1), all lengths big-endian:
 *   u8 version | u8 seed length (16..64) | seed | u16 mnemonic length (0 = none) | mnemonic UTF-8 NFKD
 *   | u16 imported key count | per key: 32-byte key, u8 flags (bit 0: compressed public key)
 */
import { privateKeyVerify } from '../../crypto/secp256k1.js';
import { INSPECT_CUSTOM, REDACTED, wipe } from '../keys/secret.js';
import { KeystoreCorruptError, KeystoreError } from './errors.js';

const SECRETS_VERSION = 1;
const MAX_MNEMONIC_BYTES = 0xffff;
const MAX_IMPORTED_KEYS = 0xffff;

export interface ImportedKey {
  /** 32 bytes, 0 < k < n. */
  readonly privateKey: Uint8Array;
  /** Whether the key's addresses use the compressed public key (the WIF flag). */
  readonly compressed: boolean;
}

export interface WalletSecretsInit {
  /** BIP32 seed: 16 to 64 bytes (a BIP39 seed is 64). */
  readonly seed: Uint8Array;
  /** The BIP39 sentence, as text or as its UTF-8 bytes (bytes avoid an unwipeable string copy). */
  readonly mnemonic?: string | Uint8Array | null;
  readonly importedKeys?: readonly ImportedKey[];
}

/**
 * The decrypted secrets. The arrays returned by the getters are the stored ones, not copies: when
 * the keystore locks, `wipe()` zeroes them wherever they are referenced, so callers should copy
 * only what an operation needs and wipe that copy themselves.
 */
export class WalletSecrets {
  #seed: Uint8Array;
  #mnemonic: Uint8Array | null;
  #importedKeys: ImportedKey[];
  #wiped = false;

  /** Copies its input: the caller keeps ownership (and the duty to wipe) of what it passed. */
  constructor(init: WalletSecretsInit) {
    if (init.seed.length < 16 || init.seed.length > 64) {
      throw new KeystoreError('invalid-argument', `seed must be 16 to 64 bytes, got ${init.seed.length}`);
    }
    const given = init.mnemonic ?? null;
    const mnemonic =
      given === null || given.length === 0
        ? null
        : typeof given === 'string'
          ? Buffer.from(given.normalize('NFKD'), 'utf8')
          : given;
    if (mnemonic !== null && mnemonic.length > MAX_MNEMONIC_BYTES) {
      throw new KeystoreError('invalid-argument', 'mnemonic too long');
    }
    const imported = init.importedKeys ?? [];
    if (imported.length > MAX_IMPORTED_KEYS)
      throw new KeystoreError('invalid-argument', 'too many imported keys');
    for (const k of imported) {
      if (!privateKeyVerify(k.privateKey))
        throw new KeystoreError('invalid-argument', 'invalid imported key');
    }
    this.#seed = init.seed.slice();
    this.#mnemonic = mnemonic === null ? null : new Uint8Array(mnemonic);
    if (typeof given === 'string') mnemonic?.fill(0); // our temporary, not the caller's bytes
    this.#importedKeys = imported.map((k) => ({
      privateKey: k.privateKey.slice(),
      compressed: k.compressed,
    }));
  }

  #check(): void {
    if (this.#wiped)
      throw new KeystoreError('locked', 'these wallet secrets were wiped (the keystore locked)');
  }

  get seed(): Uint8Array {
    this.#check();
    return this.#seed;
  }

  /** The mnemonic's UTF-8 bytes (wipeable), or null if the wallet was not made from one. */
  get mnemonicBytes(): Uint8Array | null {
    this.#check();
    return this.#mnemonic;
  }

  /** The mnemonic as a string, for display. A JS string cannot be wiped: drop it promptly. */
  mnemonic(): string | null {
    this.#check();
    return this.#mnemonic === null ? null : Buffer.from(this.#mnemonic).toString('utf8');
  }

  get importedKeys(): readonly ImportedKey[] {
    this.#check();
    return this.#importedKeys;
  }

  /** An independent copy (its own arrays, wiped separately). */
  clone(): WalletSecrets {
    this.#check();
    return new WalletSecrets({
      seed: this.#seed,
      mnemonic: this.#mnemonic,
      importedKeys: this.#importedKeys,
    });
  }

  get isWiped(): boolean {
    return this.#wiped;
  }

  /** Zeroes every secret byte; any later access throws. */
  wipe(): void {
    wipe(this.#seed, this.#mnemonic);
    for (const k of this.#importedKeys) wipe(k.privateKey);
    this.#wiped = true;
  }

  toJSON(): Record<string, string | number | boolean> {
    return {
      seed: REDACTED,
      mnemonic: this.#mnemonic === null ? 'none' : REDACTED,
      importedKeys: this.#importedKeys.length,
      wiped: this.#wiped,
    };
  }

  [INSPECT_CUSTOM](): string {
    return `WalletSecrets ${JSON.stringify(this.toJSON())}`;
  }
}

/** Serialises secrets into a fresh, exactly-sized array (the caller wipes it after encrypting). */
export function encodeSecrets(secrets: WalletSecrets): Uint8Array {
  const seed = secrets.seed;
  const mnemonic = secrets.mnemonicBytes;
  const keys = secrets.importedKeys;
  const out = new Uint8Array(1 + 1 + seed.length + 2 + (mnemonic?.length ?? 0) + 2 + keys.length * 33);
  let o = 0;
  out[o++] = SECRETS_VERSION;
  out[o++] = seed.length;
  out.set(seed, o);
  o += seed.length;
  const mLen = mnemonic?.length ?? 0;
  out[o++] = mLen >> 8;
  out[o++] = mLen & 0xff;
  if (mnemonic !== null) out.set(mnemonic, o);
  o += mLen;
  out[o++] = keys.length >> 8;
  out[o++] = keys.length & 0xff;
  for (const k of keys) {
    out.set(k.privateKey, o);
    out[o + 32] = k.compressed ? 1 : 0;
    o += 33;
  }
  return out;
}

/** Parses decrypted secrets. They were authenticated, so a failure here is a bug or a future version. */
export function decodeSecrets(bytes: Uint8Array): WalletSecrets {
  const fail = (why: string): never => {
    throw new KeystoreCorruptError(`secrets: ${why}`);
  };
  let o = 0;
  const take = (n: number): Uint8Array => {
    if (o + n > bytes.length) fail('truncated');
    const v = bytes.subarray(o, o + n);
    o += n;
    return v;
  };
  const u8 = (): number => take(1)[0]!;
  const u16 = (): number => (u8() << 8) | u8();
  if (u8() !== SECRETS_VERSION) fail('unknown secrets version');
  const seed = take(u8());
  const mLen = u16();
  const mnemonic = mLen === 0 ? null : take(mLen);
  const count = u16();
  const importedKeys: ImportedKey[] = [];
  for (let i = 0; i < count; i++) {
    const privateKey = take(32);
    const flags = u8();
    if (flags > 1) fail('unknown key flags');
    importedKeys.push({ privateKey, compressed: flags === 1 });
  }
  if (o !== bytes.length) fail('trailing bytes');
  // The constructor copies every array; the caller wipes `bytes`.
  try {
    return new WalletSecrets({ seed, mnemonic, importedKeys });
  } catch (cause) {
    throw new KeystoreCorruptError(`secrets: ${(cause as Error).message}`, { cause });
  }
}
