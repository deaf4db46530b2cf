import { publicKeyCreate } from '../../crypto/secp256k1.js';
import { equalBytes } from '../../encoding/bytes.js';
import { toHex } from '../../encoding/hex.js';
import { WALLET_MESSAGES, WalletError } from '../api.js';
import { HDKey } from '../keys/bip32.js';
import type { OwnedScript } from '../keychain/owned-script.js';
import type { WalletScripts } from '../keychain/wallet-scripts.js';
import type { Keystore } from '../keystore/keystore.js';
import type { WalletSecrets } from '../keystore/secrets.js';
import { fromKeystoreError } from '../wallet-errors.js';
import type { KeyLookup } from './sign-inputs.js';

const MAX_CACHED_LEAVES = 10_000;

/**
 * The chain-level private keys (m/purpose'/coin'/0'/chain) derived while the wallet is unlocked,
 * as Core keeps its decrypted keys while unlocked. Deriving the four hardened levels from the seed
 * cost ~2.5 ms per send (measured on 10,000-UTXO sends); a key below a cached chain key costs one
 * step, and a key used before (coins of one address, a change key) none. The cache belongs to one WalletSecrets object: when the keystore locks (wiping those
 * secrets) or unlocks again, it is wiped, at the latest when the unlock deadline passes.
 */
export class SigningKeyCache {
  #secrets: WalletSecrets | undefined;
  #master: HDKey | undefined;
  readonly #chains = new Map<string, HDKey>();
  /** Leaf keys already derived (path -> public and private key): a send reuses its change key. */
  readonly #leaves = new Map<string, { publicKey: Uint8Array; privateKey: Uint8Array }>();
  /** Imported private keys (importdescriptors) by public key hex, for `#secrets`. */
  #imported: Map<string, Uint8Array> | undefined;
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
    const id = chainPath.join('/');
    let key = this.#chains.get(id);
    if (key === undefined) {
      key = master.derive(chainPath);
      this.#chains.set(id, key);
    }
    return key;
  }

  /** The private key at `path` (a copy the caller wipes) if its public key is `pubkey`. */
  leaf(master: HDKey, path: readonly number[], pubkey: Uint8Array): Uint8Array | undefined {
    const id = path.join('/');
    let leaf = this.#leaves.get(id);
    if (leaf === undefined) {
      const child = this.chainKey(master, path.slice(0, -1)).deriveChild(path[path.length - 1]!);
      const privateKey = child.privateKey?.slice();
      const publicKey = child.publicKey;
      child.wipe();
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
    return cache.importedKey(secrets, pubkey);
  };
  return use(keyFor);
}
