import type { SpendType } from '../fees/tx-size.js';
import type { AddressType } from '../api.js';
import type { WalletDbOp } from '../store/wallet-db.js';

/**
 * One output script the wallet recognises (Core's ScriptPubKeyMan entries): how it was derived or
 * imported, what is needed to spend it, and whether the wallet can sign for it.
 */
export interface OwnedScript {
  readonly scriptPubKey: Uint8Array;
  /** latin1 string of the script bytes: the key of every script map (cheap to build per output). */
  readonly key: string;
  readonly address: string | null;
  /** Output type, when the script is one of the wallet's three. */
  readonly type?: AddressType;
  /** On an internal (change) chain. */
  readonly internal: boolean;
  /** The address chain that derived it (an HD chain or a ranged descriptor) and its index there. */
  readonly position?: { readonly chain: string; readonly index: number };
  /** HD origin: the key's full path from the master and the chain index. */
  readonly hd?: { readonly path: readonly number[]; readonly index: number };
  /** Compressed public key of a single-key script. */
  readonly pubkey?: Uint8Array;
  readonly redeemScript?: Uint8Array;
  readonly witnessScript?: Uint8Array;
  /** For m-of-n scripts: m and the keys in script order. */
  readonly multisig?: { readonly m: number; readonly pubkeys: readonly Uint8Array[] };
  /** How it is spent, for fee estimates; absent when the wallet cannot solve it. */
  readonly spend?: SpendType;
  /** The wallet holds private keys that can complete a spend on its own. */
  readonly spendable: boolean;
  readonly watchOnly: boolean;
  readonly desc?: string;
}

export function scriptKey(script: Uint8Array): string {
  return Buffer.from(script.buffer, script.byteOffset, script.byteLength).toString('latin1');
}

/** Core's OutputType strings, as coin selection groups them. */
export function outputTypeOf(s: OwnedScript): string | undefined {
  if (s.type !== undefined) return s.type;
  switch (s.spend?.kind) {
    case 'p2pkh':
    case 'p2sh-multisig':
      return 'legacy';
    case 'p2sh-p2wpkh':
    case 'p2sh-p2wsh-multisig':
      return 'p2sh-segwit';
    case 'p2wpkh':
    case 'p2wsh-multisig':
      return 'bech32';
    default:
      return undefined;
  }
}

/**
 * A source of addresses with a next unused index and a lookahead (Core's active and inactive
 * ScriptPubKeyMans): the wallet's HD chains and imported ranged descriptors.
 */
export interface AddressChain {
  /** Unique within the wallet; OwnedScript.position.chain names it. */
  readonly id: string;
  /** Output type handed out, when the chain can serve getnewaddress. */
  readonly type: AddressType | undefined;
  readonly internal: boolean;
  nextIndex: number;
  /**
   * Scripts not derived yet up to nextIndex + lookahead (or + `lookahead` when given: keypoolrefill
   * with a size); the caller registers them.
   */
  topUp(lookahead?: number): OwnedScript[];
  at(index: number): OwnedScript | undefined;
  /** Unused derived scripts ahead of the next index (Core's keypoolsize). */
  readonly available: number;
  /** The database write that persists nextIndex. */
  indexOp(): WalletDbOp;
}
