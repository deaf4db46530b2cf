import { equalBytes } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';
import { WALLET_MESSAGES, WalletError } from './api.js';
import type { Descriptor, ExpandedKey } from './descriptors/index.js';
import { HDKey } from './keys/bip32.js';
import { wipe } from './keys/secret.js';
import { originExtends, originText } from './keychain/descriptor-scripts.js';
import { type ExtendedKeySecret, sameExtendedKey } from './keystore/extended-keys.js';
import type { Keystore } from './keystore/keystore.js';
import { type ImportedKey, WalletSecrets } from './keystore/secrets.js';
import { fromKeystoreError } from './wallet-errors.js';
import type { WalletState } from './wallet-state.js';

/** What the keystore now holds for a descriptor, as its record lists it. */
export interface DescriptorKeys {
  /** Public keys (hex) of private keys held one by one (WIF keys, non-ranged descriptors). */
  readonly pubkeys: string[];
  /** Key origins (originText) of extended private keys held for a ranged descriptor. */
  readonly origins: string[];
}

/** Keys one import collected, before they reach the keystore. */
interface Collected {
  readonly single: Map<string, ImportedKey>;
  readonly extended: ExtendedKeySecret[];
}

/** Base58 characters: an xprv in a descriptor's text is a run of them between its delimiters. */
const NOT_BASE58 = /[^1-9A-HJ-NP-Za-km-z]+/;

/** The extended private keys written in a descriptor (xprv/tprv for the wallet's network). */
function extendedKeysIn(desc: Descriptor, s: WalletState): HDKey[] {
  const found = new Map<string, HDKey>();
  // 111 characters encode BIP32's 78 bytes; anything shorter is a function name, path or WIF.
  for (const token of desc.toPrivateString().split(NOT_BASE58)) {
    if (token.length < 100 || found.has(token)) continue;
    try {
      const key = HDKey.fromBase58(token, s.network);
      if (key.hasPrivateKey) found.set(token, key);
    } catch {
      // not an extended key
    }
  }
  return [...found.values()];
}

/**
 * The extended key `key` comes from, with the part of its origin path that leads to that key
 * (the rest is the derivation below it, which ends in the index for a ranged key). Tried by
 * deriving: a key written `[d34db33f/84h/1h/0h]tprv…/0/*` has origin d34db33f/84h/1h/0h/0/i and
 * the tprv stands at d34db33f/84h/1h/0h; a tprv without an origin is its own (prefix length 0).
 */
function sourceOf(key: ExpandedKey, roots: readonly HDKey[]): ExtendedKeySecret | undefined {
  const path = key.origin.path;
  for (const root of roots) {
    for (let prefix = 0; prefix <= path.length; prefix++) {
      let derived: HDKey | undefined;
      try {
        derived = root.derive(path.slice(prefix));
      } catch {
        continue; // an invalid BIP32 child on this path: not the key's source
      }
      const match = equalBytes(derived.publicKey, key.pubkey);
      if (derived !== root) derived.wipe();
      if (!match) continue;
      return {
        originFingerprint: key.origin.fingerprint.slice(),
        originPath: path.slice(0, prefix),
        depth: root.depth,
        parentFingerprint: root.parentFingerprint,
        childNumber: root.childNumber,
        chainCode: root.chainCode.slice(),
        privateKey: root.privateKey!.slice(),
      };
    }
  }
  return undefined;
}

/** The private keys of the scripts at `index`, one per public key. */
function privateKeysAt(desc: Descriptor, index: number): ExpandedKey[] {
  const keys = new Map<string, ExpandedKey>();
  for (const out of desc.expandAll(index)) {
    for (const k of out.keys) if (k.privateKey !== undefined) keys.set(toHex(k.pubkey), k);
  }
  return [...keys.values()];
}

/**
 * A ranged descriptor's private keys: each extended one as the xprv and the origin it stands at
 * (every index derives from it), the others (WIF keys, the same at every index) one by one.
 */
function collectRanged(desc: Descriptor, range: readonly [number, number], s: WalletState): Collected {
  const roots = extendedKeysIn(desc, s);
  const single = new Map<string, ImportedKey>();
  const extended: ExtendedKeySecret[] = [];
  let complete = false;
  try {
    for (const k of privateKeysAt(desc, range[0])) {
      const source = sourceOf(k, roots);
      if (source === undefined) {
        single.set(toHex(k.pubkey), { privateKey: k.privateKey!, compressed: k.pubkey.length === 33 });
      } else {
        wipe(k.privateKey);
        if (!extended.some((e) => sameExtendedKey(e, source))) extended.push(source);
      }
    }
    // Every key at the other end of the range must be covered the same way, or the wallet would
    // claim scripts it cannot sign; the descriptor grammar makes this hold, this checks it.
    for (const k of privateKeysAt(desc, range[1])) {
      const covered =
        single.has(toHex(k.pubkey)) ||
        extended.some((e) =>
          originExtends(k.origin, { fingerprint: e.originFingerprint, path: e.originPath }),
        );
      wipe(k.privateKey);
      if (!covered) throw new WalletError('WALLET_ERROR', 'Cannot find the extended key of a descriptor key');
    }
    complete = true;
  } finally {
    for (const r of roots) r.wipe();
    if (!complete) wipeCollected({ single, extended });
  }
  return { single, extended };
}

function wipeCollected(c: Collected): void {
  for (const k of c.single.values()) wipe(k.privateKey);
  for (const k of c.extended) wipe(k.privateKey, k.chainCode);
}

/** A non-ranged descriptor's private keys, one by one. */
function collectSingle(desc: Descriptor): Collected {
  const single = new Map<string, ImportedKey>();
  for (const k of privateKeysAt(desc, 0)) {
    single.set(toHex(k.pubkey), { privateKey: k.privateKey!, compressed: k.pubkey.length === 33 });
  }
  return { single, extended: [] };
}

/**
 * Read-modify-write of one keystore's secrets, one at a time: two imports running together must
 * not each write the secrets they read, losing the other's keys.
 */
const pending = new WeakMap<Keystore, Promise<unknown>>();

function serialized<T>(keystore: Keystore, run: () => Promise<T>): Promise<T> {
  const before = pending.get(keystore) ?? Promise.resolve();
  const next = before.then(run, run);
  pending.set(
    keystore,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * The private keys of a descriptor with private keys moved into the keystore (encrypted when the
 * wallet is) so they never reach the database. A ranged descriptor's extended keys are kept as
 * xprvs, so every index of its chain, lookahead included, can be signed (Core keeps the
 * descriptor's xprv and derives on demand); WIF keys and non-ranged descriptors' keys are kept
 * one by one. Returns what the descriptor's record lists, so the wallet knows, even while locked,
 * which of its scripts it can sign. Nothing changes when the wallet is locked or the write fails.
 */
export async function importDescriptorKeys(
  s: WalletState,
  desc: Descriptor,
  range: readonly [number, number],
): Promise<DescriptorKeys> {
  const keystore = s.keystore;
  if (keystore === undefined) {
    throw new WalletError(
      'WALLET_ERROR',
      'Cannot import private keys to a wallet with private keys disabled',
    );
  }
  if (keystore.isLocked) throw new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
  const found = desc.isRange ? collectRanged(desc, range, s) : collectSingle(desc);
  try {
    await serialized(keystore, () => store(s, keystore, found));
  } finally {
    wipeCollected(found);
  }
  return {
    pubkeys: [...found.single.keys()],
    origins: found.extended.map((k) => originText({ fingerprint: k.originFingerprint, path: k.originPath })),
  };
}

/** Adds what is not held yet to the keystore's secrets. */
async function store(s: WalletState, keystore: Keystore, found: Collected): Promise<void> {
  let current: WalletSecrets;
  try {
    current = keystore.getSecrets();
  } catch (e) {
    throw fromKeystoreError(e);
  }
  const have = new Set(s.signingKeys.importedPubkeys(current));
  const added = [...found.single].filter(([hex]) => !have.has(hex)).map(([, k]) => k);
  const addedExtended = found.extended.filter(
    (k) => !current.extendedKeys.some((held) => sameExtendedKey(held, k)),
  );
  if (added.length === 0 && addedExtended.length === 0) return;
  const next = new WalletSecrets({
    seed: current.seed,
    mnemonic: current.mnemonicBytes,
    importedKeys: [...current.importedKeys, ...added],
    extendedKeys: [...current.extendedKeys, ...addedExtended],
  });
  try {
    await keystore.setSecrets(next);
  } catch (e) {
    throw fromKeystoreError(e);
  } finally {
    next.wipe();
  }
  s.signingKeys.wipe(); // rebuilt from the new secrets on next use
}
