/**
 * BIP32 hierarchical deterministic keys: master key from a seed, private and public child key
 * derivation (CKDpriv, CKDpub), neutering, and the 78-byte Base58Check serialisation (xprv/xpub on
 * main, tprv/tpub on testnet and regtest), decoded strictly: every rule of BIP32 test vector 5
 * is an error here.
 */
import type { NetworkParams } from '../../consensus/params.js';
import { hash160, hmacSha512 } from '../../crypto/hash.js';
import {
  isValidPublicKey,
  privateKeyTweakAdd,
  privateKeyVerify,
  publicKeyCreate,
  publicKeyTweakAdd,
} from '../../crypto/secp256k1.js';
import { base58CheckDecode, base58CheckEncode } from '../../encoding/base58.js';
import { DecodeError } from '../../encoding/errors.js';
import { INSPECT_CUSTOM, REDACTED, wipe } from './secret.js';
import { formatPath, HARDENED, parsePath } from './path-string.js';

export { formatPath, HARDENED, parsePath } from './path-string.js';

/** The two version numbers a network serialises extended keys with (Core's EXT_PUBLIC/SECRET_KEY). */
export type ExtendedKeyVersions = Pick<NetworkParams, 'extPublicKeyPrefix' | 'extSecretKeyPrefix'>;

/** What could not be derived. Only callers' mistakes reach here: invalid children are skipped. */
export class HDKeyError extends Error {
  override readonly name = 'HDKeyError';
  constructor(
    readonly code: 'bad-seed' | 'invalid-master' | 'hardened-from-public' | 'depth' | 'index' | 'no-child',
    message: string,
  ) {
    super(message);
  }
}

/** BIP32: "Calculate I = HMAC-SHA512(Key = "Bitcoin seed", Data = S)". */
const MASTER_HMAC_KEY = new TextEncoder().encode('Bitcoin seed');
/** version(4) depth(1) parent fingerprint(4) child number(4) chain code(32) key data(33). */
const SERIALIZED_LENGTH = 78;
/** Depth is one byte in the serialisation, so no key is deeper than 255. */
const MAX_DEPTH = 255;

const isIndex = (i: number): boolean => Number.isInteger(i) && i >= 0 && i <= 0xffffffff;

function readU32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>>
    0
  );
}

function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = value >>> 16;
  bytes[offset + 2] = value >>> 8;
  bytes[offset + 3] = value;
}

/**
 * The first index from `start` whose child exists, staying inside its half (normal 0..2^31-1 or
 * hardened 2^31..2^32-1). BIP32: when I_L >= n or the child key is zero (or infinity), "the
 * resulting key is invalid, and one should proceed with the next value for i". Exported so the
 * skipping itself can be tested: no invalid child of a real key is known (p < 2^-127).
 */
export function firstValidChild<T>(
  start: number,
  attempt: (index: number) => T | null,
): { index: number; value: T } {
  const end = start >= HARDENED ? 0xffffffff : HARDENED - 1;
  for (let index = start; index <= end; index++) {
    const value = attempt(index);
    if (value !== null) return { index, value };
  }
  throw new HDKeyError('no-child', `no valid child at or after index ${start}`);
}

interface HDKeyFields {
  depth: number;
  parentFingerprint: number;
  childNumber: number;
  chainCode: Uint8Array;
  publicKey: Uint8Array;
  privateKey: Uint8Array | null;
}

export class HDKey {
  /** 0 for the master key, 1 for its children, ... */
  readonly depth: number;
  /** First 4 bytes of the parent's identifier as a big-endian number (0 for the master). */
  readonly parentFingerprint: number;
  /** The index this key was derived at (>= 2^31 for hardened children; 0 for the master). */
  readonly childNumber: number;
  readonly chainCode: Uint8Array;
  /** Compressed SEC1 public key (33 bytes), as BIP32's ser_P. */
  readonly publicKey: Uint8Array;
  #privateKey: Uint8Array | null;
  #identifier: Uint8Array | null = null;

  private constructor(fields: HDKeyFields) {
    this.depth = fields.depth;
    this.parentFingerprint = fields.parentFingerprint;
    this.childNumber = fields.childNumber;
    this.chainCode = fields.chainCode;
    this.publicKey = fields.publicKey;
    this.#privateKey = fields.privateKey;
  }

  /** BIP32 master key generation. The seed is 128 to 512 bits, as the BIP specifies. */
  static fromSeed(seed: Uint8Array): HDKey {
    if (seed.length < 16 || seed.length > 64) {
      throw new HDKeyError('bad-seed', `a BIP32 seed is 16 to 64 bytes, got ${seed.length}`);
    }
    const i = hmacSha512(MASTER_HMAC_KEY, seed);
    const key = i.slice(0, 32);
    const chainCode = i.slice(32);
    wipe(i);
    // BIP32: "In case I_L is 0 or >= n, the master key is invalid" (use another seed).
    if (!privateKeyVerify(key)) {
      wipe(key);
      throw new HDKeyError('invalid-master', 'the seed gives an invalid master key; use another seed');
    }
    return new HDKey({
      depth: 0,
      parentFingerprint: 0,
      childNumber: 0,
      chainCode,
      publicKey: publicKeyCreate(key, true),
      privateKey: key,
    });
  }

  /**
   * Parses an extended key serialised for `network`. Strict, as BIP32 test vector 5 requires: the
   * version must be one of the network's two, a master key (depth 0) must have a zero parent
   * fingerprint and index, private key data must be 0x00 || k with 0 < k < n, public key data a
   * compressed point on the curve.
   */
  static fromBase58(text: string, network: ExtendedKeyVersions): HDKey {
    const data = base58CheckDecode(text);
    try {
      return HDKey.#fromSerialized(data, network);
    } finally {
      wipe(data);
    }
  }

  static #fromSerialized(data: Uint8Array, network: ExtendedKeyVersions): HDKey {
    const bad = (why: string): never => {
      throw new DecodeError('bad-format', `invalid extended key: ${why}`);
    };
    if (data.length !== SERIALIZED_LENGTH) bad(`${data.length} bytes, expected ${SERIALIZED_LENGTH}`);
    const version = readU32(data, 0);
    const isPrivate = version === network.extSecretKeyPrefix;
    if (!isPrivate && version !== network.extPublicKeyPrefix) {
      bad(`unknown version 0x${version.toString(16).padStart(8, '0')} for this network`);
    }
    const depth = data[4]!;
    const parentFingerprint = readU32(data, 5);
    const childNumber = readU32(data, 9);
    if (depth === 0 && parentFingerprint !== 0) bad('zero depth with non-zero parent fingerprint');
    if (depth === 0 && childNumber !== 0) bad('zero depth with non-zero index');
    const chainCode = data.slice(13, 45);
    const keyData = data.subarray(45, 78);
    if (isPrivate) {
      if (keyData[0] !== 0) bad(`private key data must start with 0x00, not 0x${hex2(keyData[0]!)}`);
      const key = keyData.slice(1);
      if (!privateKeyVerify(key)) {
        wipe(key);
        bad('private key not in 1..n-1');
      }
      const fields = { depth, parentFingerprint, childNumber, chainCode };
      return new HDKey({ ...fields, publicKey: publicKeyCreate(key, true), privateKey: key });
    }
    if (keyData[0] !== 2 && keyData[0] !== 3) {
      bad(`public key data must start with 0x02 or 0x03, not 0x${hex2(keyData[0]!)}`);
    }
    // BIP32: "implementations must verify whether the X coordinate in the public key data
    // corresponds to a point on the curve".
    if (!isValidPublicKey(keyData)) bad('public key is not a point on the curve');
    return new HDKey({
      depth,
      parentFingerprint,
      childNumber,
      chainCode,
      publicKey: keyData.slice(),
      privateKey: null,
    });
  }

  get hasPrivateKey(): boolean {
    return this.#privateKey !== null;
  }

  /** The 32-byte private key (a view: wiped by `wipe()`), or null for a public-only key. */
  get privateKey(): Uint8Array | null {
    return this.#privateKey;
  }

  /** BIP32 key identifier: HASH160 of the compressed public key. */
  get identifier(): Uint8Array {
    this.#identifier ??= hash160(this.publicKey);
    return this.#identifier;
  }

  /** BIP32 key fingerprint: the identifier's first 32 bits, big-endian. */
  get fingerprint(): number {
    return readU32(this.identifier, 0);
  }

  /** The public half (BIP32's N((k, c)) = (point(k), c)), with the same depth and position. */
  neuter(): HDKey {
    return new HDKey({
      depth: this.depth,
      parentFingerprint: this.parentFingerprint,
      childNumber: this.childNumber,
      chainCode: this.chainCode.slice(),
      publicKey: this.publicKey.slice(),
      privateKey: null,
    });
  }

  /**
   * The child at `index` (hardened if >= 2^31), or, in the < 2^-127 case that it is invalid, the
   * next valid index as BIP32 prescribes. The returned key's `childNumber` is the index used, so
   * code walking a chain (address look-ahead) continues from `child.childNumber + 1`.
   */
  deriveChild(index: number): HDKey {
    if (!isIndex(index)) throw new HDKeyError('index', `child index must be 0..2^32-1, got ${index}`);
    if (this.depth >= MAX_DEPTH) throw new HDKeyError('depth', 'cannot derive below depth 255');
    if (index >= HARDENED && this.#privateKey === null) {
      throw new HDKeyError('hardened-from-public', 'a public key has no hardened children (BIP32 CKDpub)');
    }
    const { index: used, value } = firstValidChild(index, (i) => this.#childKeys(i));
    return new HDKey({
      depth: this.depth + 1,
      parentFingerprint: this.fingerprint,
      childNumber: used,
      ...value,
    });
  }

  /**
   * The key at `path` below this one: "m/44'/0'/0'/0/5" ('h' marks hardened too) or indices.
   * Unlike deriveChild, a path names exact indices: if one of them is an invalid child, this
   * throws rather than quietly answering with a key of a different path.
   */
  derive(path: string | readonly number[]): HDKey {
    const indices = typeof path === 'string' ? parsePath(path) : path;
    let key: HDKey = this;
    for (const index of indices) {
      const child = key.deriveChild(index);
      if (child.childNumber !== index) {
        throw new HDKeyError(
          'no-child',
          `child ${formatPath([index])} is invalid (BIP32); use the next index`,
        );
      }
      key = child;
    }
    return key;
  }

  /** CKDpriv / CKDpub for one index; null when BIP32 calls the child invalid. */
  #childKeys(index: number): Pick<HDKeyFields, 'chainCode' | 'publicKey' | 'privateKey'> | null {
    const data = new Uint8Array(37);
    if (index >= HARDENED) {
      // Hardened: 0x00 || ser256(k_par) || ser32(i), so the child does not follow from the xpub.
      data.set(this.#privateKey!, 1);
    } else {
      data.set(this.publicKey, 0);
    }
    writeU32(data, 33, index);
    const i = hmacSha512(this.chainCode, data);
    wipe(data);
    const tweak = i.subarray(0, 32);
    try {
      if (this.#privateKey !== null) {
        const privateKey = privateKeyTweakAdd(this.#privateKey, tweak);
        if (privateKey === null) return null;
        return { chainCode: i.slice(32), publicKey: publicKeyCreate(privateKey, true), privateKey };
      }
      const publicKey = publicKeyTweakAdd(this.publicKey, tweak, true);
      if (publicKey === null) return null;
      return { chainCode: i.slice(32), publicKey, privateKey: null };
    } finally {
      wipe(i);
    }
  }

  /** The 78-byte serialisation behind `toBase58` (private if this key has one). */
  #serialize(network: ExtendedKeyVersions): Uint8Array {
    const out = new Uint8Array(SERIALIZED_LENGTH);
    writeU32(out, 0, this.#privateKey !== null ? network.extSecretKeyPrefix : network.extPublicKeyPrefix);
    out[4] = this.depth;
    writeU32(out, 5, this.parentFingerprint);
    writeU32(out, 9, this.childNumber);
    out.set(this.chainCode, 13);
    if (this.#privateKey !== null) out.set(this.#privateKey, 46);
    else out.set(this.publicKey, 45);
    return out;
  }

  /** xprv/tprv for a private key, xpub/tpub for a public one. */
  toBase58(network: ExtendedKeyVersions): string {
    const data = this.#serialize(network);
    try {
      return base58CheckEncode(data);
    } finally {
      wipe(data);
    }
  }

  /** Zeroes the private key; the key is public-only afterwards. */
  wipe(): void {
    wipe(this.#privateKey);
    this.#privateKey = null;
  }

  #summary(): Record<string, string | number | boolean> {
    return {
      depth: this.depth,
      childNumber: this.childNumber,
      parentFingerprint: hex8(this.parentFingerprint),
      fingerprint: hex8(this.fingerprint),
      hasPrivateKey: this.hasPrivateKey,
      ...(this.hasPrivateKey ? { privateKey: REDACTED, chainCode: REDACTED } : {}),
    };
  }

  /** Redacted: a logged HDKey never shows its private key or (for private keys) chain code. */
  toJSON(): Record<string, string | number | boolean> {
    return this.#summary();
  }

  [INSPECT_CUSTOM](): string {
    return `HDKey ${JSON.stringify(this.#summary())}`;
  }
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
