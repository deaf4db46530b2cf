/**
 * Key types of the PSBT maps (BIP174, taproot fields from BIP371, PSBTv2 fields from BIP370 only so
 * that a version 0 PSBT carrying them can be refused), and the records the maps hold.
 */

export const PSBT_MAGIC = Uint8Array.of(0x70, 0x73, 0x62, 0x74, 0xff);

export const GlobalType = {
  UNSIGNED_TX: 0x00,
  XPUB: 0x01,
  TX_VERSION: 0x02,
  FALLBACK_LOCKTIME: 0x03,
  INPUT_COUNT: 0x04,
  OUTPUT_COUNT: 0x05,
  TX_MODIFIABLE: 0x06,
  VERSION: 0xfb,
  PROPRIETARY: 0xfc,
} as const;

export const InputType = {
  NON_WITNESS_UTXO: 0x00,
  WITNESS_UTXO: 0x01,
  PARTIAL_SIG: 0x02,
  SIGHASH_TYPE: 0x03,
  REDEEM_SCRIPT: 0x04,
  WITNESS_SCRIPT: 0x05,
  BIP32_DERIVATION: 0x06,
  FINAL_SCRIPTSIG: 0x07,
  FINAL_SCRIPTWITNESS: 0x08,
  POR_COMMITMENT: 0x09,
  RIPEMD160: 0x0a,
  SHA256: 0x0b,
  HASH160: 0x0c,
  HASH256: 0x0d,
  PREVIOUS_TXID: 0x0e,
  OUTPUT_INDEX: 0x0f,
  SEQUENCE: 0x10,
  REQUIRED_TIME_LOCKTIME: 0x11,
  REQUIRED_HEIGHT_LOCKTIME: 0x12,
  TAP_KEY_SIG: 0x13,
  TAP_SCRIPT_SIG: 0x14,
  TAP_LEAF_SCRIPT: 0x15,
  TAP_BIP32_DERIVATION: 0x16,
  TAP_INTERNAL_KEY: 0x17,
  TAP_MERKLE_ROOT: 0x18,
  PROPRIETARY: 0xfc,
} as const;

export const OutputType = {
  REDEEM_SCRIPT: 0x00,
  WITNESS_SCRIPT: 0x01,
  BIP32_DERIVATION: 0x02,
  AMOUNT: 0x03,
  SCRIPT: 0x04,
  TAP_INTERNAL_KEY: 0x05,
  TAP_TREE: 0x06,
  TAP_BIP32_DERIVATION: 0x07,
  PROPRIETARY: 0xfc,
} as const;

/** BIP32 key origin: master key fingerprint and derivation path (hardened indexes have bit 31). */
export interface KeyOrigin {
  fingerprint: Uint8Array;
  path: number[];
}

/** PSBT_{IN,OUT}_BIP32_DERIVATION: a 33- or 65-byte public key and where it came from. */
export interface Bip32Derivation {
  pubkey: Uint8Array;
  origin: KeyOrigin;
}

/** PSBT_GLOBAL_XPUB: a 78-byte serialized extended public key (BIP32) and its origin. */
export interface GlobalXpub {
  xpub: Uint8Array;
  origin: KeyOrigin;
}

/** PSBT_IN_PARTIAL_SIG: a DER signature with its sighash byte, as it would be pushed. */
export interface PartialSig {
  pubkey: Uint8Array;
  signature: Uint8Array;
}

/** PSBT_IN_{RIPEMD160,SHA256,HASH160,HASH256}: a hash and the preimage that produces it. */
export interface Preimage {
  hash: Uint8Array;
  preimage: Uint8Array;
}

export type PreimageKind = 'ripemd160' | 'sha256' | 'hash160' | 'hash256';

/** PSBT_IN_TAP_SCRIPT_SIG: a BIP340 signature for one key in one leaf. */
export interface TapScriptSig {
  xonly: Uint8Array;
  leafHash: Uint8Array;
  signature: Uint8Array;
}

/** PSBT_IN_TAP_LEAF_SCRIPT: a leaf the signers can satisfy, with its BIP341 control block. */
export interface TapLeafScript {
  controlBlock: Uint8Array;
  script: Uint8Array;
  leafVersion: number;
}

/** PSBT_{IN,OUT}_TAP_BIP32_DERIVATION: an x-only key, the leaves it appears in, its origin. */
export interface TapBip32Derivation {
  xonly: Uint8Array;
  leafHashes: Uint8Array[];
  origin: KeyOrigin;
}

/** One leaf of PSBT_OUT_TAP_TREE, in depth-first order. */
export interface TapTreeLeaf {
  depth: number;
  leafVersion: number;
  script: Uint8Array;
}

/**
 * A record kept as raw bytes: proprietary (type 0xfc) and unknown types. `key` includes the key
 * type, exactly as read, so it is written back byte for byte (BIP174: signers "must pass those
 * key-value pairs through").
 */
export interface RawRecord {
  key: Uint8Array;
  value: Uint8Array;
}
