/**
 * Single-key HD accounts: BIP44 (P2PKH, m/44'/coin'/account'), BIP49 (P2SH-P2WPKH, m/49'/...),
 * BIP84 (P2WPKH, m/84'/...) and BIP86 (P2TR key path only, m/86'/...), each with a receive chain
 * (0, BIP44's "external") and a change chain (1, "internal"). Coin type is 0 on main and 1 on testnet and regtest (SLIP-44's "Testnet
 * (all coins)"), which is what Bitcoin Core's descriptor wallets derive on those networks, so the
 * same seed gives the same addresses here and in Core.
 */
import type { NetworkParams } from '../../consensus/params.js';
import { hash160 } from '../../crypto/hash.js';
import { addressFromScript } from '../../script/address.js';
import { taprootTweakPublicKey } from '../../script/taproot.js';
import { p2pkh, p2shOfScript, p2tr, p2wpkh } from '../../script/templates.js';
import { HARDENED, HDKey } from './bip32.js';
import { INSPECT_CUSTOM } from './secret.js';

export type Purpose = 44 | 49 | 84 | 86;
export type AddressType = 'p2pkh' | 'p2sh-p2wpkh' | 'p2wpkh' | 'p2tr';
/** BIP44's change level: 0 receives payments from others, 1 receives our own change. */
export type Chain = 0 | 1;
export const RECEIVE_CHAIN: Chain = 0;
export const CHANGE_CHAIN: Chain = 1;

/** The output type each purpose's BIP defines for its addresses. */
export const PURPOSE_ADDRESS_TYPE: Readonly<Record<Purpose, AddressType>> = {
  44: 'p2pkh',
  49: 'p2sh-p2wpkh',
  84: 'p2wpkh',
  86: 'p2tr',
};

export type AccountNetwork = Pick<
  NetworkParams,
  'name' | 'addressPrefixes' | 'extPublicKeyPrefix' | 'extSecretKeyPrefix'
>;

/** Where a key sits below a master key: what PSBT (BIP174) calls a key origin. */
export interface KeyOrigin {
  /** The master key's fingerprint (BIP32), big-endian. */
  readonly masterFingerprint: number;
  readonly path: readonly number[];
}

export interface DerivedAddress {
  readonly chain: Chain;
  /** The index used: the one asked for unless BIP32 skipped an invalid child (see deriveChild). */
  readonly index: number;
  /** Full origin of the key, or null for a watch-only account imported without one. */
  readonly origin: KeyOrigin | null;
  /**
   * Compressed public key (33 bytes): BIP49 and BIP84 outputs require compressed keys. For BIP86
   * it is the internal key; its x coordinate (bytes 1..33) is what BIP341 tweaks.
   */
  readonly publicKey: Uint8Array;
  readonly scriptPubKey: Uint8Array;
  /** The P2WPKH program a BIP49 output's P2SH commits to; null for the other types. */
  readonly redeemScript: Uint8Array | null;
  readonly address: string;
}

/** SLIP-44 coin type as Core uses it: 0 for Bitcoin, 1 for every test network. */
export function coinType(network: Pick<NetworkParams, 'name'>): number {
  return network.name === 'main' ? 0 : 1;
}

/** m/purpose'/coin'/account' */
export function accountPath(
  purpose: Purpose,
  network: Pick<NetworkParams, 'name'>,
  account: number,
): number[] {
  if (!Number.isInteger(account) || account < 0 || account >= HARDENED) {
    throw new RangeError(`account must be 0..2^31-1, got ${account}`);
  }
  return [purpose + HARDENED, coinType(network) + HARDENED, account + HARDENED];
}

/** Output script, BIP49 redeem script and address of one compressed key for an address type. */
export function scriptsForKey(
  type: AddressType,
  publicKey: Uint8Array,
  network: Pick<NetworkParams, 'addressPrefixes'>,
): Pick<DerivedAddress, 'scriptPubKey' | 'redeemScript' | 'address'> {
  if (publicKey.length !== 33) throw new RangeError('HD account keys are 33-byte compressed public keys');
  let scriptPubKey: Uint8Array;
  let redeemScript: Uint8Array | null = null;
  if (type === 'p2tr') scriptPubKey = p2tr(bip86OutputKey(publicKey));
  else if (type === 'p2pkh') scriptPubKey = p2pkh(hash160(publicKey));
  else if (type === 'p2wpkh') scriptPubKey = p2wpkh(hash160(publicKey));
  else {
    redeemScript = p2wpkh(hash160(publicKey));
    scriptPubKey = p2shOfScript(redeemScript);
  }
  const address = addressFromScript(scriptPubKey, network.addressPrefixes);
  if (address === null) throw new Error(`no address for a ${type} script`); // unreachable: all four have one
  return { scriptPubKey, redeemScript, address };
}

/**
 * BIP86's output key: the x-only internal key tweaked by BIP341 with no script tree
 * (Q = P + TaggedHash("TapTweak", x(P))·G), so the output can be spent by the key path only and
 * provably hides no script.
 */
export function bip86OutputKey(internalKey: Uint8Array): Uint8Array {
  const xonly = internalKey.length === 33 ? internalKey.subarray(1) : internalKey;
  const tweaked = taprootTweakPublicKey(xonly);
  // A valid public key's x is on the curve; a failing tweak has probability about 2^-128.
  if (tweaked === null) throw new RangeError('BIP341 tweak failed for this key');
  return tweaked.outputKey;
}

/**
 * One account of one purpose. Built from the master key (spending) or from the account's
 * extended public key (watch-only: addresses, never private keys).
 */
export class HDAccount {
  readonly type: AddressType;
  readonly #chains: [HDKey, HDKey];

  private constructor(
    readonly purpose: Purpose,
    readonly network: AccountNetwork,
    /** The account-level key, m/purpose'/coin'/account'. */
    readonly accountKey: HDKey,
    /** The account key's origin, when known. */
    readonly origin: KeyOrigin | null,
  ) {
    this.type = PURPOSE_ADDRESS_TYPE[purpose];
    // The two chain keys are cached: every address below them costs one derivation, not three.
    this.#chains = [accountKey.derive([RECEIVE_CHAIN]), accountKey.derive([CHANGE_CHAIN])];
  }

  static fromMaster(master: HDKey, purpose: Purpose, network: AccountNetwork, account = 0): HDAccount {
    if (master.depth !== 0) throw new RangeError('fromMaster needs the master key (depth 0)');
    if (!master.hasPrivateKey)
      throw new RangeError('account keys are hardened: the master private key is needed');
    const path = accountPath(purpose, network, account);
    const origin = { masterFingerprint: master.fingerprint, path };
    return new HDAccount(purpose, network, master.derive(path), origin);
  }

  /**
   * A watch-only account from its xpub/tpub (the key at m/purpose'/coin'/account'). A private
   * extended key is refused: a watch-only account must not quietly hold one. Pass the origin (the
   * master fingerprint and account path) to have it reported with each address, as PSBTs need.
   */
  static fromExtendedPublicKey(
    extendedKey: string,
    purpose: Purpose,
    network: AccountNetwork,
    origin: KeyOrigin | null = null,
  ): HDAccount {
    const key = HDKey.fromBase58(extendedKey, network);
    if (key.hasPrivateKey) {
      key.wipe();
      throw new RangeError('expected an extended public key, got a private one');
    }
    return new HDAccount(purpose, network, key, origin);
  }

  get isWatchOnly(): boolean {
    return !this.accountKey.hasPrivateKey;
  }

  /** The account's xpub (main) or tpub (testnet, regtest), to hand to a watch-only wallet. */
  get extendedPublicKey(): string {
    return this.accountKey.neuter().toBase58(this.network);
  }

  /**
   * The address at `index` on `chain`. If BIP32 declares that child invalid (p < 2^-127), the
   * next index is used and reported in `index`; continue a scan from `index + 1`.
   */
  address(chain: Chain, index: number): DerivedAddress {
    const key = this.#chains[chain].deriveChild(index);
    const used = key.childNumber;
    const publicKey = key.publicKey;
    key.wipe();
    return {
      chain,
      index: used,
      origin:
        this.origin === null
          ? null
          : { masterFingerprint: this.origin.masterFingerprint, path: [...this.origin.path, chain, used] },
      publicKey,
      ...scriptsForKey(this.type, publicKey, this.network),
    };
  }

  receive(index: number): DerivedAddress {
    return this.address(RECEIVE_CHAIN, index);
  }

  change(index: number): DerivedAddress {
    return this.address(CHANGE_CHAIN, index);
  }

  /** The private key of an address (derived as in `address`); the caller wipes it after use. */
  privateKey(chain: Chain, index: number): Uint8Array {
    if (this.isWatchOnly) throw new RangeError('watch-only account: no private keys');
    const key = this.#chains[chain].deriveChild(index);
    const privateKey = key.privateKey!.slice();
    key.wipe();
    return privateKey;
  }

  /** Zeroes the account's private keys; the account is watch-only afterwards. */
  wipe(): void {
    this.accountKey.wipe();
    this.#chains[0].wipe();
    this.#chains[1].wipe();
  }

  toJSON(): Record<string, string | number | boolean> {
    return {
      purpose: this.purpose,
      type: this.type,
      network: this.network.name,
      watchOnly: this.isWatchOnly,
    };
  }

  [INSPECT_CUSTOM](): string {
    return `HDAccount ${JSON.stringify(this.toJSON())}`;
  }
}
