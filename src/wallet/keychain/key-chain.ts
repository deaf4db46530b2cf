import type { NetworkParams } from '../../consensus/params.js';
import { toHex } from '../../encoding/hex.js';
import { addChecksum } from '../descriptors/checksum.js';
import { formatPath } from '../keys/path-string.js';
import { accountPath, type DerivedAddress, HDAccount, type Purpose } from '../keys/paths.js';
import type { AddressType } from '../api.js';
import { chainIndexKey } from '../layout.js';
import { put, type WalletDbOp } from '../store/wallet-db.js';
import { type AddressChain, type OwnedScript, scriptKey } from './owned-script.js';

export const PURPOSE_OF: Readonly<Record<AddressType, Purpose>> = {
  legacy: 44,
  'p2sh-segwit': 49,
  bech32: 84,
  bech32m: 86,
};

const SPEND_OF = {
  legacy: { kind: 'p2pkh' },
  'p2sh-segwit': { kind: 'p2sh-p2wpkh' },
  bech32: { kind: 'p2wpkh' },
  bech32m: { kind: 'p2tr-keypath' },
} as const;

/**
 * One HD chain (external or internal) of one address type, derived from the account's extended
 * public key so it works while the wallet is locked. Keeps `lookahead` scripts derived beyond the
 * next unused index (Core's keypool / descriptor range), so payments to addresses handed out by a
 * restored copy of the wallet are recognised too.
 */
export class KeyChain implements AddressChain {
  readonly id: string;
  readonly #account: HDAccount;
  /** Scripts derived so far, by index. */
  readonly #derived: OwnedScript[] = [];

  constructor(
    readonly type: AddressType,
    readonly internal: boolean,
    accountXpub: string,
    masterFingerprint: number,
    network: NetworkParams,
    /** Next index to hand out. */
    public nextIndex: number,
    readonly lookahead: number,
    readonly spendable: boolean,
  ) {
    this.id = hdChainId(type, internal);
    const purpose = PURPOSE_OF[type];
    // Account 0 of each purpose, as Core's descriptor wallets derive.
    this.#account = HDAccount.fromExtendedPublicKey(accountXpub, purpose, network, {
      masterFingerprint,
      path: accountPath(purpose, network, 0),
    });
  }

  /** Scripts of indexes not derived yet up to nextIndex + lookahead (call register on each). */
  topUp(lookahead = this.lookahead): OwnedScript[] {
    const added: OwnedScript[] = [];
    const target = this.nextIndex + lookahead;
    while (this.#derived.length < target) {
      const owned = this.#toOwned(this.#account.address(this.internal ? 1 : 0, this.#derived.length));
      this.#derived.push(owned);
      added.push(owned);
    }
    return added;
  }

  get derivedCount(): number {
    return this.#derived.length;
  }

  /** Unused derived scripts ahead of the next index (Core's keypoolsize). */
  get available(): number {
    return Math.max(0, this.#derived.length - this.nextIndex);
  }

  at(index: number): OwnedScript | undefined {
    return this.#derived[index];
  }

  indexOp(): WalletDbOp {
    return put(chainIndexKey(this.type, this.internal), this.nextIndex);
  }

  #toOwned(d: DerivedAddress): OwnedScript {
    return {
      scriptPubKey: d.scriptPubKey,
      key: scriptKey(d.scriptPubKey),
      address: d.address,
      type: this.type,
      internal: this.internal,
      position: { chain: this.id, index: d.index },
      hd: { path: d.origin?.path ?? [], index: d.index },
      pubkey: d.publicKey,
      ...(d.redeemScript === null ? {} : { redeemScript: d.redeemScript }),
      spend: SPEND_OF[this.type],
      spendable: this.spendable,
      watchOnly: !this.spendable,
    };
  }
}

export function hdChainId(type: AddressType, internal: boolean): string {
  return `${type}/${internal ? 1 : 0}`;
}

/** "m/84h/1h/0h/0/5": Core's hdkeypath text (h for hardened steps since Core 26). */
export function hdKeyPathText(path: readonly number[]): string {
  return formatPath(path, 'h');
}

/**
 * Core's `desc` of one BIP86 key (what its DescriptorScriptPubKeyMan infers for a derived output):
 * `tr([fingerprint/86h/1h/0h/0/5]xonly)#checksum`, the x-only internal key with its origin.
 */
export function taprootKeyDescriptor(
  internalKey: Uint8Array,
  path: readonly number[],
  fingerprintHex: string,
): string {
  const xonly = internalKey.length === 33 ? internalKey.subarray(1) : internalKey;
  return addChecksum(`tr([${fingerprintHex}${hdKeyPathText(path).slice(1)}]${toHex(xonly)})`);
}
