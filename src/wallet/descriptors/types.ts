/**
 * The public shapes of output script descriptors (BIP380-386), as the wallet engine and the RPC
 * layer use them. Scripts and keys are bytes; text forms follow Bitcoin Core exactly.
 */
import type { NetworkParams } from '../../consensus/params.js';
import type { TaprootOutput } from '../../script/taproot-tree.js';

/** Core's OutputType names for what a descriptor's scripts are (getaddressinfo, importdescriptors). */
export type OutputType = 'legacy' | 'p2sh-segwit' | 'bech32' | 'bech32m';

/** Where a key comes from: the master key's fingerprint and the BIP32 path from it (PSBT bip32_derivs). */
export interface KeyOrigin {
  readonly fingerprint: Uint8Array;
  readonly path: readonly number[];
}

/** A key an expanded script uses. */
export interface ExpandedKey {
  /** 33 bytes (65 for an uncompressed key); in tr() the x-only key is bytes 1..32 of it. */
  readonly pubkey: Uint8Array;
  /**
   * As Core's descriptors record it: an explicit [origin] joined with the derivation below it; a
   * key without one is its own origin (its fingerprint, empty path).
   */
  readonly origin: KeyOrigin;
  /** The 32-byte private key, when the descriptor has it. */
  readonly privateKey?: Uint8Array;
}

/** One output script of a descriptor at a position, with what spending it needs. */
export interface ExpandedOutput {
  readonly scriptPubKey: Uint8Array;
  /** The P2SH redeem script (sh()). */
  readonly redeemScript?: Uint8Array;
  /** The P2WSH witness script (wsh()). */
  readonly witnessScript?: Uint8Array;
  readonly keys: readonly ExpandedKey[];
  /** Absent for pk(), bare multi(), raw() of a script without an address. */
  readonly outputType?: OutputType;
  /** tr() only: internal and output key, Merkle root and leaves with their control-block paths. */
  readonly taproot?: TaprootOutput;
}

export interface ParseOptions {
  readonly network: NetworkParams;
  /** importdescriptors and deriveaddresses require the '#checksum'; getdescriptorinfo does not. */
  readonly requireChecksum?: boolean;
}

export interface Descriptor {
  /** Whether a key ends in /* (or /*'), so each index gives other scripts. */
  readonly isRange: boolean;
  /** Whether it says how to spend (everything but addr() and raw()). */
  readonly isSolvable: boolean;
  /** Whether any private key appeared in the text (getdescriptorinfo's "hasprivatekeys"). */
  readonly hasPrivateKeys: boolean;
  /** Whether every key has its private key (Core's HavePrivateKeys; false for addr()/raw()). */
  readonly hasAllPrivateKeys: boolean;
  /** False only for combo(), which gives up to 4 scripts per index. */
  readonly isSingleType: boolean;
  readonly outputType: OutputType | undefined;
  /** Public canonical form with '#checksum' (private keys shown as their public keys). */
  toString(): string;
  /** The same with private keys (xprv, WIF) where the descriptor has them, with '#checksum'. */
  toPrivateString(): string;
  /**
   * Core's normalized form (listdescriptors): each xprv with hardened steps becomes the xpub at
   * its last hardened step, that path moving into the key origin, 'h' as the hardened marker. It
   * expands without private keys (except under a hardened wildcard). Throws DescriptorError
   * 'derive' when it would need a private key the descriptor lacks.
   */
  toNormalizedString(): string;
  /**
   * The script at `index` (ignored when not ranged; 0..2^31-1). Throws DescriptorError (kind
   * 'derive') when it cannot be derived, e.g. a hardened step below an xpub, and for combo().
   */
  expand(index?: number): ExpandedOutput;
  /** Every script at `index`: one, or for combo() 2 (uncompressed key) or 4. */
  expandAll(index?: number): ExpandedOutput[];
}

/**
 * What InferDescriptor may know besides the script (Core's SigningProvider): public keys by
 * HASH160, scripts by HASH160 (for P2WSH, RIPEMD160 of the program = HASH160 of the script) and key
 * origins. Every member is optional: an empty object infers what the script alone shows.
 */
export interface InferProvider {
  getPubKey?(keyId: Uint8Array): Uint8Array | undefined;
  getScript?(scriptId: Uint8Array): Uint8Array | undefined;
  getKeyOrigin?(keyId: Uint8Array): KeyOrigin | undefined;
}
