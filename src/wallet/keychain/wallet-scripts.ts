import type { NetworkParams } from '../../consensus/params.js';
import type { AddressType } from '../api.js';
import { hdChainId, KeyChain } from './key-chain.js';
import type { AddressChain, OwnedScript } from './owned-script.js';

/** Every HD account a new wallet gets, as Core's descriptor wallets (BIP44, 49, 84, 86). */
export const ADDRESS_TYPES: readonly AddressType[] = ['legacy', 'p2sh-segwit', 'bech32', 'bech32m'];

/**
 * Core's -keypool default. Measured here: deriving a key from an account xpub costs ≈70 µs, a BIP86
 * one ≈100 µs (the BIP341 tweak adds a point addition), so the eight HD chains' 8,000 lookahead
 * keys cost ≈0.6 s per wallet create or load.
 */
export const DEFAULT_KEYPOOL = 1000;

export interface HdSetup {
  readonly masterFingerprint: number;
  readonly accounts: Partial<Record<AddressType, string>>;
  /** Next index per chain, hdChainId(type, internal). */
  readonly nextIndexes: ReadonlyMap<string, number>;
  readonly spendable: boolean;
}

/**
 * Every script the wallet recognises, in one Map keyed by the script's latin1 bytes (what matching
 * a block's outputs looks up), fed by the address chains (HD chains, imported ranged descriptors)
 * and by single imports. For each output type and side (receive, change) one chain is active and
 * serves new addresses, as in Core's descriptor wallets.
 */
export class WalletScripts {
  readonly #byKey = new Map<string, OwnedScript>();
  readonly #byAddress = new Map<string, OwnedScript>();
  readonly #chains = new Map<string, AddressChain>();
  readonly #active = new Map<string, AddressChain>();
  /** HD scripts by public key hex (addmultisigaddress, PSBT signing). */
  readonly #byPubkey = new Map<string, OwnedScript>();
  /** Script lengths present (byte-indexed, scripts are at most 10,000 bytes): a cheap first test. */
  readonly #lengths = new Uint8Array(10_001);

  constructor(
    readonly network: NetworkParams,
    readonly keypool: number,
  ) {}

  static chainId(type: AddressType, internal: boolean): string {
    return hdChainId(type, internal);
  }

  setupHd(setup: HdSetup): void {
    for (const type of ADDRESS_TYPES) {
      const xpub = setup.accounts[type];
      if (xpub === undefined) continue;
      for (const internal of [false, true]) {
        const id = hdChainId(type, internal);
        const chain = new KeyChain(
          type,
          internal,
          xpub,
          setup.masterFingerprint,
          this.network,
          setup.nextIndexes.get(id) ?? 0,
          this.keypool,
          setup.spendable,
        );
        this.addChain(chain, true);
      }
    }
  }

  /** Registers a chain and its lookahead; an active one replaces the active chain of its kind. */
  addChain(chain: AddressChain, active: boolean): void {
    this.#chains.set(chain.id, chain);
    if (active && chain.type !== undefined) this.#active.set(hdChainId(chain.type, chain.internal), chain);
    for (const s of chain.topUp()) this.add(s);
  }

  /** Whether any chain can hand out addresses. */
  get hasChains(): boolean {
    return this.#active.size > 0;
  }

  /** A registered chain (active or not) by its id: an hdChainId or `desc:<descriptor>`. */
  chainById(id: string): AddressChain | undefined {
    return this.#chains.get(id);
  }

  /** The active chain for new addresses of `type` on one side. */
  chain(type: AddressType, internal: boolean): AddressChain | undefined {
    return this.#active.get(hdChainId(type, internal));
  }

  add(s: OwnedScript): void {
    this.#byKey.set(s.key, s);
    if (s.scriptPubKey.length < this.#lengths.length) this.#lengths[s.scriptPubKey.length] = 1;
    if (s.address !== null) this.#byAddress.set(s.address, s);
    if (s.hd !== undefined && s.pubkey !== undefined) {
      const hex = Buffer.from(s.pubkey.buffer, s.pubkey.byteOffset, s.pubkey.byteLength).toString('hex');
      if (!this.#byPubkey.has(hex)) this.#byPubkey.set(hex, s);
    }
  }

  /** Public keys (hex) whose private keys the keystore holds from imports. */
  readonly #heldKeys = new Set<string>();

  holdKeys(pubkeysHex: Iterable<string>): void {
    for (const k of pubkeysHex) this.#heldKeys.add(k);
  }

  /** Whether the wallet can sign with `pubkey`: an HD key it derives, or an imported private key. */
  canSign(pubkey: Uint8Array): boolean {
    if (this.findByPubkey(pubkey)?.spendable === true) return true;
    return this.#heldKeys.has(
      Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.byteLength).toString('hex'),
    );
  }

  /** Whether the wallet has any script of this length (false rules a script out). */
  hasLength(length: number): boolean {
    return length >= this.#lengths.length || this.#lengths[length] === 1;
  }

  get(key: string): OwnedScript | undefined {
    return this.#byKey.get(key);
  }

  byAddress(address: string): OwnedScript | undefined {
    return this.#byAddress.get(address);
  }

  /** The HD script of a public key (addmultisigaddress given wallet keys, PSBT signing). */
  findByPubkey(pubkey: Uint8Array): OwnedScript | undefined {
    return this.#byPubkey.get(
      Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.byteLength).toString('hex'),
    );
  }

  /**
   * Hands out the next index of the active chain and tops it up. Returns the script and the chain,
   * whose index the caller persists before showing the address.
   */
  next(type: AddressType, internal: boolean): { script: OwnedScript; chain: AddressChain } | undefined {
    const chain = this.chain(type, internal);
    if (chain === undefined) return undefined;
    const script = chain.at(chain.nextIndex);
    if (script === undefined) return undefined;
    chain.nextIndex++;
    for (const s of chain.topUp()) this.add(s);
    return { script, chain };
  }

  /**
   * A payment to a chain's script marks it and every earlier index used (Core's
   * MarkUnusedAddresses), keeping the lookahead ahead of the highest used index. Returns the chain
   * when it moved (its indexOp must be persisted).
   */
  markUsed(s: OwnedScript): AddressChain | undefined {
    if (s.position === undefined) return undefined;
    const chain = this.#chains.get(s.position.chain);
    if (chain === undefined || s.position.index < chain.nextIndex) return undefined;
    chain.nextIndex = s.position.index + 1;
    for (const added of chain.topUp()) this.add(added);
    return chain;
  }

  /** Core's keypoolsize and keypoolsize_hd_internal: unused keys derived ahead on active chains. */
  keypoolSizes(): { external: number; internal: number } {
    let external = 0;
    let internal = 0;
    for (const c of this.#active.values()) {
      if (c.internal) internal += c.available;
      else external += c.available;
    }
    return { external, internal };
  }
}
