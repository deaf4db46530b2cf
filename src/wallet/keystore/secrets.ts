/**
 * What the keystore protects: the wallet's HD seed, the BIP39 mnemonic it came from (kept so it
 * can be shown again for a backup), private keys imported one by one (WIF, non-ranged
 * descriptors) and the extended private keys of imported ranged descriptors (extended-keys.ts,
 * so every index of their chains can be signed). All of it is held in
 * Uint8Arrays so it can be wiped; the encoding below is written into one exactly-sized array for
 * the same reason (a growing buffer would leave copies behind in the arrays it outgrew).
 *
 * Encoding, all lengths big-endian:
 *   u8 version | u8 seed length (16..64) | seed | u16 mnemonic length (0 = none) | mnemonic UTF-8 NFKD
 *   | u16 imported key count | per key: 32-byte key, u8 flags (bit 0: compressed public key)
 *   version 2 only: | u16 extended key count | the keys as extended-keys.ts writes them
 * Version 2 is version 1 with a field appended. Secrets without extended keys are still written
 * as version 1, byte for byte as before, so a wallet that never imported a ranged xprv
 * descriptor keeps a file that older builds open; both versions are read.
 */
import { privateKeyVerify } from '../../crypto/secp256k1.js';
import { INSPECT_CUSTOM, REDACTED, wipe } from '../keys/secret.js';
import { KeystoreCorruptError, KeystoreError } from './errors.js';
import {
  checkExtendedKey,
  copyExtendedKey,
  type ExtendedKeySecret,
  extendedKeysSize,
  MAX_EXTENDED_KEYS,
  readExtendedKeys,
  wipeExtendedKey,
  writeExtendedKeys,
} from './extended-keys.js';

/** Seed, mnemonic and imported keys. */
const SECRETS_V1 = 1;
/** Version 1 plus extended private keys. */
const SECRETS_V2 = 2;
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
  readonly extendedKeys?: readonly ExtendedKeySecret[];
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
  #extendedKeys: ExtendedKeySecret[];
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
    const extended = init.extendedKeys ?? [];
    if (extended.length > MAX_EXTENDED_KEYS)
      throw new KeystoreError('invalid-argument', 'too many extended keys');
    for (const k of extended) checkExtendedKey(k);
    this.#seed = init.seed.slice();
    this.#mnemonic = mnemonic === null ? null : new Uint8Array(mnemonic);
    if (typeof given === 'string') mnemonic?.fill(0); // our temporary, not the caller's bytes
    this.#importedKeys = imported.map((k) => ({
      privateKey: k.privateKey.slice(),
      compressed: k.compressed,
    }));
    this.#extendedKeys = extended.map(copyExtendedKey);
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

  /** Extended private keys of imported ranged descriptors, with their key origins. */
  get extendedKeys(): readonly ExtendedKeySecret[] {
    this.#check();
    return this.#extendedKeys;
  }

  /** An independent copy (its own arrays, wiped separately). */
  clone(): WalletSecrets {
    this.#check();
    return new WalletSecrets({
      seed: this.#seed,
      mnemonic: this.#mnemonic,
      importedKeys: this.#importedKeys,
      extendedKeys: this.#extendedKeys,
    });
  }

  get isWiped(): boolean {
    return this.#wiped;
  }

  /** Zeroes every secret byte; any later access throws. */
  wipe(): void {
    wipe(this.#seed, this.#mnemonic);
    for (const k of this.#importedKeys) wipe(k.privateKey);
    for (const k of this.#extendedKeys) wipeExtendedKey(k);
    this.#wiped = true;
  }

  toJSON(): Record<string, string | number | boolean> {
    return {
      seed: REDACTED,
      mnemonic: this.#mnemonic === null ? 'none' : REDACTED,
      importedKeys: this.#importedKeys.length,
      extendedKeys: this.#extendedKeys.length,
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
  const extended = secrets.extendedKeys;
  const version = extended.length === 0 ? SECRETS_V1 : SECRETS_V2;
  const v1Size = 1 + 1 + seed.length + 2 + (mnemonic?.length ?? 0) + 2 + keys.length * 33;
  const out = new Uint8Array(v1Size + (version === SECRETS_V2 ? extendedKeysSize(extended) : 0));
  let o = 0;
  out[o++] = version;
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
  if (version === SECRETS_V2) o = writeExtendedKeys(out, o, extended);
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
  const version = u8();
  if (version !== SECRETS_V1 && version !== SECRETS_V2) fail('unknown secrets version');
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
  const extendedKeys = version === SECRETS_V2 ? readExtendedKeys(take) : [];
  if (o !== bytes.length) fail('trailing bytes');
  // The constructor copies every array; the caller wipes `bytes`.
  try {
    return new WalletSecrets({ seed, mnemonic, importedKeys, extendedKeys });
  } catch (cause) {
    throw new KeystoreCorruptError(`secrets: ${(cause as Error).message}`, { cause });
  }
}
