/**
 * KEY expressions of descriptors (BIP380): a constant key (hex or WIF), an extended key with a
 * derivation path, optionally ranged (/*, /*'), and a [fingerprint/path] origin around either.
 * Core's ConstPubkeyProvider, BIP32PubkeyProvider and OriginPubkeyProvider.
 */
import type { NetworkParams } from '../../consensus/params.js';
import { hash160 } from '../../crypto/hash.js';
import { toHex } from '../../encoding/hex.js';
import { HARDENED, type HDKey } from '../keys/bip32.js';
import { encodeWif } from '../keys/wif.js';
import { DescriptorError } from './errors.js';
import { formatKeyPath, type HardenedMarker } from './key-path.js';
import type { ExpandedKey, KeyOrigin } from './types.js';

export type KeyNetwork = Pick<NetworkParams, 'wifPrefix' | 'extPublicKeyPrefix' | 'extSecretKeyPrefix'>;

/** A derived key, and whether its origin was written out ([…]) rather than implied. */
export interface DerivedKey extends ExpandedKey {
  readonly explicitOrigin: boolean;
}

export interface KeyExpression {
  /** Whether it ends in /* or /*' (a different key per position). */
  readonly isRange: boolean;
  /** Bytes the key takes in a script: 33, or 65 for an uncompressed one (Core's GetSize). */
  readonly size: number;
  /** Whether the text gave its private key (WIF, xprv). */
  readonly hasPrivateKey: boolean;
  /** The key at `pos` (ignored when not ranged). Throws DescriptorError 'derive'. */
  derive(pos: number): DerivedKey;
  toString(): string;
  toPrivateString(): string;
  /**
   * Core's ToNormalizedString: the xpub at the last hardened step, with that step's path moved
   * into the origin, and 'h' for hardened; what a wallet can derive from without private keys.
   * Throws DescriptorError 'derive' when that needs a private key the expression lacks.
   */
  toNormalizedString(): string;
}

/** The text of a key in one of a descriptor's three printed forms. */
export type TextForm = 'public' | 'private' | 'normalized';

export function keyText(key: KeyExpression, form: TextForm): string {
  if (form === 'private') return key.toPrivateString();
  if (form === 'normalized') return key.toNormalizedString();
  return key.toString();
}

/** Message deriveaddresses answers when Expand fails (rpc/output_script.cpp). */
export const CANNOT_DERIVE = 'Cannot derive script without private keys';

function fingerprintBytes(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** A hex public key or a WIF private key. */
export class ConstKey implements KeyExpression {
  readonly isRange = false;
  readonly size: number;
  readonly #derived: DerivedKey;

  /**
   * `xonly`: written as 32 bytes inside tr() (the key then has an even-y 02 prefix, or is a WIF key's
   * own public key). `privateKey` comes from WIF, with the network that encodes it back.
   */
  constructor(
    readonly pubkey: Uint8Array,
    readonly xonly: boolean,
    private readonly secret?: { readonly privateKey: Uint8Array; readonly network: KeyNetwork },
  ) {
    this.size = pubkey.length;
    // A key without an origin is its own: its fingerprint and an empty path (Core's GetPubKey).
    const origin = { fingerprint: hash160(pubkey).slice(0, 4), path: [] };
    this.#derived = {
      pubkey,
      origin,
      explicitOrigin: false,
      ...(secret !== undefined && { privateKey: secret.privateKey }),
    };
  }

  get hasPrivateKey(): boolean {
    return this.secret !== undefined;
  }

  derive(): DerivedKey {
    const d = this.#derived;
    return d.privateKey === undefined ? d : { ...d, privateKey: d.privateKey.slice() };
  }

  toString(): string {
    const hex = toHex(this.pubkey);
    return this.xonly ? hex.slice(2) : hex;
  }

  toPrivateString(): string {
    if (this.secret === undefined) return this.toString();
    return encodeWif(this.secret.privateKey, this.pubkey.length === 33, this.secret.network);
  }

  toNormalizedString(): string {
    return this.toString();
  }
}

export type DeriveType = 'none' | 'unhardened' | 'hardened';

/** Derived keys kept per BIP32 expression, so a wallet re-expanding its look-ahead window pays once. */
const DERIVED_CACHE_LIMIT = 4096;

/** xpub/xprv (tpub/tprv) with a path, optionally ranged. */
export class Bip32Key implements KeyExpression {
  readonly isRange: boolean;
  readonly size = 33;
  /** The key at the end of `path` (private when the root is), derived once: Core's parent xpub cache. */
  #parent: HDKey | undefined;
  readonly #derived = new Map<number, DerivedKey>();
  readonly #fingerprint: Uint8Array;

  constructor(
    private readonly root: HDKey,
    readonly path: readonly number[],
    readonly deriveType: DeriveType,
    private readonly marker: HardenedMarker,
    private readonly network: KeyNetwork,
  ) {
    this.isRange = deriveType !== 'none';
    this.#fingerprint = fingerprintBytes(root.fingerprint);
  }

  get hasPrivateKey(): boolean {
    return this.root.hasPrivateKey;
  }

  /** Whether deriving needs the private key (a hardened step, BIP32 CKDpub cannot). */
  get isHardened(): boolean {
    return this.deriveType === 'hardened' || this.path.some((i) => i >= HARDENED);
  }

  #parentKey(): HDKey {
    if (this.#parent !== undefined) return this.#parent;
    if (this.isHardened && !this.root.hasPrivateKey) throw new DescriptorError(CANNOT_DERIVE, 'derive');
    this.#parent = deriveExact(this.root, this.path);
    return this.#parent;
  }

  derive(pos: number): DerivedKey {
    const slot = this.isRange ? pos : 0;
    const cached = this.#derived.get(slot) ?? this.#deriveAt(pos);
    if (!this.#derived.has(slot)) {
      if (this.#derived.size >= DERIVED_CACHE_LIMIT) this.#derived.clear();
      this.#derived.set(slot, cached);
    }
    // A copy of the private key: a caller wiping it after signing must not wipe the cache.
    return cached.privateKey === undefined ? cached : { ...cached, privateKey: cached.privateKey.slice() };
  }

  #deriveAt(pos: number): DerivedKey {
    const parent = this.#parentKey();
    let key = parent;
    const path = [...this.path];
    if (this.deriveType !== 'none') {
      const child = this.deriveType === 'hardened' ? pos + HARDENED : pos;
      key = deriveExact(parent, [child]);
      path.push(child);
    }
    const privateKey = key.privateKey;
    return {
      pubkey: key.publicKey,
      origin: { fingerprint: this.#fingerprint, path },
      explicitOrigin: false,
      ...(privateKey !== null && { privateKey: privateKey.slice() }),
    };
  }

  #suffix(): string {
    let out = formatKeyPath(this.path, this.marker);
    if (this.deriveType !== 'none') out += '/*';
    if (this.deriveType === 'hardened') out += this.marker;
    return out;
  }

  toString(): string {
    const xpub = this.root.hasPrivateKey ? this.root.neuter() : this.root;
    return xpub.toBase58(this.network) + this.#suffix();
  }

  toPrivateString(): string {
    if (!this.root.hasPrivateKey) return this.toString();
    return this.root.toBase58(this.network) + this.#suffix();
  }

  toNormalizedString(): string {
    const xpub = (key: HDKey) => (key.hasPrivateKey ? key.neuter() : key).toBase58(this.network);
    if (this.deriveType === 'hardened') {
      // Cannot be made public-derivable; Core prints it with 'h' markers.
      return `${xpub(this.root)}${formatKeyPath(this.path, 'h')}/*h`;
    }
    let last = -1;
    this.path.forEach((step, i) => {
      if (step >= HARDENED) last = i;
    });
    if (last < 0) return this.toString();
    if (!this.root.hasPrivateKey) throw new DescriptorError(CANNOT_DERIVE, 'derive');
    const prefix = this.path.slice(0, last + 1);
    const origin = `[${toHex(this.#fingerprint)}${formatKeyPath(prefix, 'h')}]`;
    const rest = formatKeyPath(this.path.slice(last + 1), 'h');
    return `${origin}${xpub(deriveExact(this.root, prefix))}${rest}${this.isRange ? '/*' : ''}`;
  }
}

/** Derives along `path`; a step BIP32 calls invalid (p < 2^-127) fails as Core's Derive does. */
function deriveExact(key: HDKey, path: readonly number[]): HDKey {
  try {
    return key.derive(path);
  } catch (cause) {
    throw new DescriptorError(CANNOT_DERIVE, 'derive', { cause });
  }
}

/** [d34db33f/84'/0'/0']KEY: the key's origin written out, prepended to what the key derives. */
export class OriginKey implements KeyExpression {
  readonly origin: KeyOrigin;

  constructor(
    fingerprint: Uint8Array,
    path: readonly number[],
    private readonly inner: KeyExpression,
    private readonly marker: HardenedMarker,
  ) {
    this.origin = { fingerprint, path };
  }

  get isRange(): boolean {
    return this.inner.isRange;
  }
  get size(): number {
    return this.inner.size;
  }
  get hasPrivateKey(): boolean {
    return this.inner.hasPrivateKey;
  }

  derive(pos: number): DerivedKey {
    const d = this.inner.derive(pos);
    return {
      ...d,
      origin: { fingerprint: this.origin.fingerprint, path: [...this.origin.path, ...d.origin.path] },
      explicitOrigin: true,
    };
  }

  #prefix(): string {
    return `[${toHex(this.origin.fingerprint)}${formatKeyPath(this.origin.path, this.marker)}]`;
  }

  toString(): string {
    return this.#prefix() + this.inner.toString();
  }

  toPrivateString(): string {
    return this.#prefix() + this.inner.toPrivateString();
  }

  /** Core's MergeNormalizedOrigin: an origin the inner key gained is appended to this one. */
  toNormalizedString(): string {
    const inner = this.inner.toNormalizedString();
    const origin = `${toHex(this.origin.fingerprint)}${formatKeyPath(this.origin.path, 'h')}`;
    // A leading origin is '[' and an 8-character fingerprint; its path continues ours.
    return inner.startsWith('[') ? `[${origin}${inner.slice(9)}` : `[${origin}]${inner}`;
  }
}
