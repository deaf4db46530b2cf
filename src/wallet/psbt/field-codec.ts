import { compareBytes, equalBytes } from '../../encoding/bytes.js';
import { BufferReader } from '../../encoding/reader.js';
import { BufferWriter } from '../../encoding/writer.js';
import { hash160, hash256, ripemd160, sha256 } from '../../crypto/hash.js';
import { isValidPublicKey } from '../../crypto/secp256k1.js';
import { TAPROOT_CONTROL_MAX_NODE_COUNT, TAPROOT_LEAF_MASK } from '../../script/taproot.js';
import { PsbtError } from './errors.js';
import { decodeKeyOrigin, expectKeySize, type MapRecord, writeKeyOrigin } from './key-value.js';
import type { Bip32Derivation, PreimageKind, RawRecord, TapBip32Derivation, TapTreeLeaf } from './types.js';

/**
 * Field decoders shared by the input and output maps, with the validation BIP174 and BIP371 ask
 * for, and the orderings Core writes its std::maps in.
 */

/** PSBT_{IN,OUT}_BIP32_DERIVATION: the key data is a valid 33- or 65-byte public key. */
export function decodeBip32Derivation(record: MapRecord): Bip32Derivation {
  const pubkey = record.keyData;
  if (pubkey.length !== 33 && pubkey.length !== 65) {
    throw new PsbtError('bad-key', 'Size of key was not the expected size for the type BIP32 keypath');
  }
  if (!isValidPublicKey(pubkey)) throw new PsbtError('bad-key', 'Invalid pubkey');
  return { pubkey: pubkey.slice(), origin: decodeKeyOrigin(record.value) };
}

export function encodeKeyOriginValue(derivation: { origin: Bip32Derivation['origin'] }): Uint8Array {
  const w = new BufferWriter(4 + 4 * derivation.origin.path.length);
  writeKeyOrigin(w, derivation.origin);
  return w.finish();
}

/** PSBT_{IN,OUT}_TAP_BIP32_DERIVATION: 32-byte x-only key; value is leaf hashes then an origin. */
export function decodeTapBip32Derivation(record: MapRecord, name: string): TapBip32Derivation {
  expectKeySize(record, 33, `${name} Taproot BIP32 Keypath`);
  const r = new BufferReader(record.value);
  const count = r.compactSize();
  if (count * 32 > r.remaining) {
    throw new PsbtError('bad-value', `${name} Taproot BIP32 keypath has an invalid length`);
  }
  const leafHashes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) leafHashes.push(r.bytesCopy(32));
  return { xonly: record.keyData.slice(), leafHashes, origin: decodeKeyOrigin(r.bytes(r.remaining)) };
}

export function encodeTapBip32Value(derivation: TapBip32Derivation): Uint8Array {
  const w = new BufferWriter(1 + 32 * derivation.leafHashes.length + 4 + 4 * derivation.origin.path.length);
  w.compactSize(derivation.leafHashes.length);
  for (const leafHash of derivation.leafHashes) w.bytes(leafHash);
  writeKeyOrigin(w, derivation.origin);
  return w.finish();
}

/** A fixed-size value (x-only keys, Merkle roots): Core reads exactly that many bytes. */
export function decodeFixed(record: MapRecord, size: number, name: string): Uint8Array {
  expectKeySize(record, 1, name);
  if (record.value.length !== size) throw new PsbtError('bad-value', 'Size of value was not the stated size');
  return record.value.slice();
}

const PREIMAGE_HASHES: Record<
  PreimageKind,
  { size: number; name: string; hash: (b: Uint8Array) => Uint8Array }
> = {
  ripemd160: { size: 20, name: 'RIPEMD160', hash: ripemd160 },
  sha256: { size: 32, name: 'SHA256', hash: sha256 },
  hash160: { size: 20, name: 'Hash160', hash: hash160 },
  hash256: { size: 32, name: 'Hash256', hash: hash256 },
};

/**
 * PSBT_IN_{RIPEMD160,SHA256,HASH160,HASH256}. BIP174 says the preimage "must equal the key when
 * run through" the hash; Core does not check it, we do, so a finalizer never builds a witness
 * from a preimage that cannot satisfy the script.
 */
export function decodePreimage(
  record: MapRecord,
  kind: PreimageKind,
): { hash: Uint8Array; preimage: Uint8Array } {
  const spec = PREIMAGE_HASHES[kind];
  expectKeySize(record, spec.size + 1, `Input ${spec.name} Preimage`);
  if (!equalBytes(spec.hash(record.value), record.keyData)) {
    throw new PsbtError('bad-value', `Input ${spec.name} preimage does not match its hash`);
  }
  return { hash: record.keyData.slice(), preimage: record.value.slice() };
}

/** Proprietary keys (0xfc) carry a length-prefixed identifier and a CompactSize subtype. */
export function decodeProprietary(record: MapRecord): RawRecord {
  const r = new BufferReader(record.keyData);
  r.varBytes();
  r.compactSize();
  return { key: record.key.slice(), value: record.value.slice() };
}

export function copyRaw(record: MapRecord): RawRecord {
  return { key: record.key.slice(), value: record.value.slice() };
}

/** Core writes std::map<vector> in lexicographic key order. */
export function sortedRaw(records: readonly RawRecord[]): RawRecord[] {
  return [...records].sort((a, b) => compareBytes(a.key, b.key));
}

/**
 * PSBT_OUT_TAP_TREE: (depth, leaf version, script) tuples in depth-first order that must describe
 * a complete binary tree (Core's TaprootBuilder::IsComplete). `open` holds the depths of subtrees
 * still waiting for their right sibling; they are strictly increasing.
 */
export function decodeTapTree(value: Uint8Array): TapTreeLeaf[] {
  const r = new BufferReader(value);
  if (r.remaining === 0) throw new PsbtError('bad-value', 'Output Taproot tree must not be empty');
  const leaves: TapTreeLeaf[] = [];
  const open: number[] = [];
  let complete = true;
  while (r.remaining > 0) {
    const depth = r.u8();
    const leafVersion = r.u8();
    const script = r.varBytes().slice();
    if (depth > TAPROOT_CONTROL_MAX_NODE_COUNT) {
      throw new PsbtError('bad-value', 'Output Taproot tree has as leaf greater than Taproot maximum depth');
    }
    if ((leafVersion & ~TAPROOT_LEAF_MASK) !== 0) {
      throw new PsbtError('bad-value', 'Output Taproot tree has a leaf with an invalid leaf version');
    }
    leaves.push({ depth, leafVersion, script });
    // A deeper subtree still open can never be completed once a shallower node follows it.
    if (open.length > 0 && open[open.length - 1]! > depth) complete = false;
    let d = depth;
    while (complete && open.length > 0 && open[open.length - 1] === d) {
      open.pop();
      if (d === 0) complete = false;
      d--;
    }
    open.push(d);
  }
  if (!complete || open.length !== 1 || open[0] !== 0) {
    throw new PsbtError('bad-value', 'Output Taproot tree is malformed');
  }
  return leaves;
}

export function encodeTapTree(leaves: readonly TapTreeLeaf[]): Uint8Array {
  const w = new BufferWriter();
  for (const leaf of leaves) w.u8(leaf.depth).u8(leaf.leafVersion).varBytes(leaf.script);
  return w.finish();
}
