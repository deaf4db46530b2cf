import type { NetworkParams } from '../../consensus/params.js';
import { publicKeyCreate } from '../../crypto/secp256k1.js';
import { base58CheckEncode } from '../../encoding/base58.js';
import { equalBytes } from '../../encoding/bytes.js';
import { toHex } from '../../encoding/hex.js';
import { WALLET_MESSAGES, WalletError } from '../api.js';
import type { KeyOrigin } from '../descriptors/index.js';
import { HDKey } from '../keys/bip32.js';
import { wipe } from '../keys/secret.js';
import { DescriptorChain, originExtends } from '../keychain/descriptor-scripts.js';
import type { OwnedScript } from '../keychain/owned-script.js';
import type { WalletScripts } from '../keychain/wallet-scripts.js';
import type { ExtendedKeySecret } from '../keystore/extended-keys.js';
import type { Keystore } from '../keystore/keystore.js';
import type { WalletSecrets } from '../keystore/secrets.js';
import { fromKeystoreError } from '../wallet-errors.js';
import type { KeyLookup } from './sign-inputs.js';

type KeyVersions = Pick<NetworkParams, 'extPublicKeyPrefix' | 'extSecretKeyPrefix'>;

const MAX_CACHED_LEAVES = 10_000;

/**
 * An HDKey from a stored extended private key. HDKey reads only base58 text, so this passes
 * through a transient xprv string (once per key per unlock, then the cache below serves); the
 * serialised bytes are wiped.
 */
export function hdKeyOf(k: ExtendedKeySecret, network: KeyVersions): HDKey {
  const data = new Uint8Array(78);
  const u32 = (o: number, v: number) => {
    data[o] = v >>> 24;
    data[o + 1] = v >>> 16;
    data[o + 2] = v >>> 8;
    data[o + 3] = v;
  };
  u32(0, network.extSecretKeyPrefix);
  data[4] = k.depth;
  u32(5, k.parentFingerprint);
  u32(9, k.childNumber);
  data.set(k.chainCode, 13);
  data.set(k.privateKey, 46);
  try {
    return HDKey.fromBase58(base58CheckEncode(data), network);
  } finally {
    wipe(data);
  }
}

/**
 * The chain-level private keys (m/purpose'/coin'/0'/chain) derived while the wallet is unlocked,
 * as Core keeps its decrypted keys while unlocked. Deriving the four hardened levels from the seed
 * cost ~2.5 ms per send (measured on 10,000-UTXO sends); a key below a cached chain key costs one
 * step, and a key used before (coins of one address, a change key) none. The extended keys of
 * imported ranged descriptors are cached the same way (the key, then the parent of each leaf), so
 * a descriptor rooted at a master xprv pays its hardened steps once per unlock. The cache belongs
 * to one WalletSecrets object: when the keystore locks (wiping those secrets) or unlocks again,
 * it is wiped, at the latest when the unlock deadline passes.
 */
export class SigningKeyCache {
  #secrets: WalletSecrets | undefined;
  #master: HDKey | undefined;
  readonly #chains = new Map<string, HDKey>();
  /** Leaf keys already derived (path -> public and private key): a send reuses its change key. */
  readonly #leaves = new Map<string, { publicKey: Uint8Array; privateKey: Uint8Array }>();
  /** Imported private keys (importdescriptors) by public key hex, for `#secrets`. */
  #imported: Map<string, Uint8Array> | undefined;
  /** Extended keys of `#secrets` as HDKeys, by their index in `secrets.extendedKeys`. */
  readonly #extendedRoots = new Map<number, HDKey>();
  #timer: NodeJS.Timeout | undefined;

  /** The master key for `secrets`; `relockAt` (ms) bounds how long derived keys are kept. */
  master(secrets: WalletSecrets, relockAt: number | null): HDKey {
    if (this.#secrets !== secrets || secrets.isWiped || this.#master === undefined) {
      this.wipe();
      this.#master = HDKey.fromSeed(secrets.seed);
      this.#secrets = secrets;
      if (relockAt !== null) {
        this.#timer = setTimeout(() => this.wipe(), Math.max(0, relockAt - Date.now()));
        this.#timer.unref();
      }
    }
    return this.#master;
  }

  chainKey(master: HDKey, chainPath: readonly number[]): HDKey {
    return this.#chainKey('', master, chainPath);
  }

  /** `root` derived along `chainPath`, cached under `space` (which root it is) and the path. */
  #chainKey(space: string, root: HDKey, chainPath: readonly number[]): HDKey {
    if (chainPath.length === 0) return root;
    const id = space + chainPath.join('/');
    let key = this.#chains.get(id);
    if (key === undefined) {
      key = root.derive(chainPath);
      this.#chains.set(id, key);
    }
    return key;
  }

  /** The private key at `path` (a copy the caller wipes) if its public key is `pubkey`. */
  leaf(master: HDKey, path: readonly number[], pubkey: Uint8Array): Uint8Array | undefined {
    return this.#leaf('', master, path, pubkey);
  }

  #leaf(space: string, root: HDKey, path: readonly number[], pubkey: Uint8Array): Uint8Array | undefined {
    const id = space + path.join('/');
    let leaf = this.#leaves.get(id);
    if (leaf === undefined) {
      let privateKey: Uint8Array | undefined;
      let publicKey: Uint8Array;
      if (path.length === 0) {
        // The extended key itself is the key (a fixed xprv inside a ranged descriptor).
        privateKey = root.privateKey?.slice();
        publicKey = root.publicKey;
      } else {
        const child = this.#chainKey(space, root, path.slice(0, -1)).deriveChild(path[path.length - 1]!);
        privateKey = child.privateKey?.slice();
        publicKey = child.publicKey;
        child.wipe();
      }
      if (privateKey === undefined) return undefined;
      // Bounded: a wallet signing for very many keys re-derives rather than growing without end.
      if (this.#leaves.size >= MAX_CACHED_LEAVES) this.#wipeLeaves();
      leaf = { publicKey, privateKey };
      this.#leaves.set(id, leaf);
    }
    return equalBytes(leaf.publicKey, pubkey) ? leaf.privateKey.slice() : undefined;
  }

  /** The imported key for `pubkey` (a copy the caller wipes). */
  importedKey(secrets: WalletSecrets, pubkey: Uint8Array): Uint8Array | undefined {
    if (this.#imported === undefined || this.#secrets !== secrets) {
      this.#imported = new Map();
      for (const k of secrets.importedKeys) {
        this.#imported.set(toHex(publicKeyCreate(k.privateKey, k.compressed)), k.privateKey);
      }
    }
    return this.#imported.get(toHex(pubkey))?.slice();
  }

  /**
   * The private key (a copy the caller wipes) of the descriptor key at `origin`, derived from the
   * stored extended key whose origin it extends, if that gives `pubkey`.
   */
  extendedKey(
    secrets: WalletSecrets,
    network: KeyVersions,
    origin: KeyOrigin,
    pubkey: Uint8Array,
  ): Uint8Array | undefined {
    const keys = secrets.extendedKeys; // throws once the secrets are wiped (locked)
    if (this.#secrets !== secrets) {
      // Keys cached for other secrets (before an import, another unlock) are not these.
      this.wipe();
      this.#secrets = secrets;
    }
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (!originExtends(origin, { fingerprint: k.originFingerprint, path: k.originPath })) continue;
      let root = this.#extendedRoots.get(i);
      if (root === undefined) {
        root = hdKeyOf(k, network);
        this.#extendedRoots.set(i, root);
      }
      let found: Uint8Array | undefined;
      try {
        found = this.#leaf(`x${i}:`, root, origin.path.slice(k.originPath.length), pubkey);
      } catch {
        found = undefined; // an invalid BIP32 child on the way (p < 2^-127): not this key
      }
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Public keys (hex) of the keys imported into `secrets`. */
  importedPubkeys(secrets: WalletSecrets): string[] {
    return secrets.importedKeys.map((k) => toHex(publicKeyCreate(k.privateKey, k.compressed)));
  }

  #wipeLeaves(): void {
    for (const l of this.#leaves.values()) l.privateKey.fill(0);
    this.#leaves.clear();
  }

  wipe(): void {
    this.#wipeLeaves();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const k of this.#chains.values()) k.wipe();
    this.#chains.clear();
    this.#master?.wipe();
    this.#master = undefined;
    for (const k of this.#extendedRoots.values()) k.wipe();
    this.#extendedRoots.clear();
    this.#secrets = undefined;
    // The imported map points at the keystore's own arrays, which the keystore wipes itself.
    this.#imported = undefined;
  }
}

/**
 * Runs `use` with private keys derived from the keystore's seed (Core's signing provider). Each
 * key is handed out as a copy the signer wipes. A locked wallet fails with UNLOCK_NEEDED before
 * anything is derived.
 */
export function withWalletKeys<T>(
  keystore: Keystore | undefined,
  scripts: WalletScripts,
  cache: SigningKeyCache,
  use: (keyFor: KeyLookup) => T,
): T {
  if (keystore === undefined) {
    throw new WalletError('PRIVATE_KEYS_DISABLED', WALLET_MESSAGES.PRIVATE_KEYS_DISABLED);
  }
  let secrets: WalletSecrets;
  try {
    secrets = keystore.getSecrets();
  } catch (e) {
    cache.wipe();
    throw fromKeystoreError(e);
  }
  const master = cache.master(secrets, keystore.unlockedUntil);
  const keyFor: KeyLookup = (pubkey: Uint8Array, owned: OwnedScript | undefined) => {
    // A multisig input names keys by pubkey: find the HD script that owns each one.
    const holder =
      owned?.hd !== undefined && owned.pubkey !== undefined && equalBytes(owned.pubkey, pubkey)
        ? owned
        : scripts.findByPubkey(pubkey);
    if (holder?.hd !== undefined && holder.spendable) return cache.leaf(master, holder.hd.path, pubkey);
    // A script of an imported ranged descriptor: its key's origin leads to a stored extended key.
    const position = owned?.position;
    const chain = position === undefined ? undefined : scripts.chainById(position.chain);
    if (chain instanceof DescriptorChain && position !== undefined) {
      const origin = chain.keyOrigin(position.index, pubkey);
      const key = origin && cache.extendedKey(secrets, scripts.network, origin, pubkey);
      if (key !== undefined) return key;
    }
    return cache.importedKey(secrets, pubkey);
  };
  return use(keyFor);
}
