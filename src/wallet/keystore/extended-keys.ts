/**
 * BIP32 extended private keys (xprv/tprv) kept for imported ranged descriptors, so the wallet can
 * sign at any index of the descriptor's chain, as Core keeps a descriptor's xprv (encrypted) and
 * derives on demand. Each key carries the key origin it stands at: a key of the descriptor whose
 * origin is `originFingerprint` + `originPath` + a tail is this key derived along the tail.
 *
 * Encoding of one key (integers big-endian), part of the secrets' version 2 (secrets.ts):
 *   4 origin fingerprint | u8 origin path length | 4 per step | u8 depth | u32 parent fingerprint
 *   | u32 child number | 32 chain code | 32 private key
 */
import { privateKeyVerify } from '../../crypto/secp256k1.js';
import { equalBytes } from '../../encoding/bytes.js';
import { wipe } from '../keys/secret.js';
import { KeystoreError } from './errors.js';

export interface ExtendedKeySecret {
  /** The fingerprint the key's origin starts from (4 bytes): its own, or the one written in [..]. */
  readonly originFingerprint: Uint8Array;
  /** The path from that fingerprint's key to this key (empty when the key is its own origin). */
  readonly originPath: readonly number[];
  /** BIP32 serialisation fields, kept so the key is rebuilt exactly (xprv text, fingerprints). */
  readonly depth: number;
  readonly parentFingerprint: number;
  readonly childNumber: number;
  readonly chainCode: Uint8Array;
  /** 32 bytes, 0 < k < n. */
  readonly privateKey: Uint8Array;
}

export const MAX_EXTENDED_KEYS = 0xffff;
const MAX_PATH = 0xff;
const FIXED_BYTES = 4 + 1 + 1 + 4 + 4 + 32 + 32;

const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/** Throws KeystoreError 'invalid-argument' unless `k` is a well-formed extended private key. */
export function checkExtendedKey(k: ExtendedKeySecret): void {
  const bad = (why: string): never => {
    throw new KeystoreError('invalid-argument', `invalid extended key: ${why}`);
  };
  if (k.originFingerprint.length !== 4) bad('origin fingerprint must be 4 bytes');
  if (k.originPath.length > MAX_PATH || !k.originPath.every(isU32)) bad('origin path');
  if (!Number.isInteger(k.depth) || k.depth < 0 || k.depth > 0xff) bad('depth');
  if (!isU32(k.parentFingerprint) || !isU32(k.childNumber)) bad('parent fingerprint or child number');
  if (k.chainCode.length !== 32) bad('chain code must be 32 bytes');
  if (!privateKeyVerify(k.privateKey)) bad('private key');
}

/** An independent copy (its own arrays). */
export function copyExtendedKey(k: ExtendedKeySecret): ExtendedKeySecret {
  return {
    originFingerprint: k.originFingerprint.slice(),
    originPath: [...k.originPath],
    depth: k.depth,
    parentFingerprint: k.parentFingerprint,
    childNumber: k.childNumber,
    chainCode: k.chainCode.slice(),
    privateKey: k.privateKey.slice(),
  };
}

export function wipeExtendedKey(k: ExtendedKeySecret): void {
  wipe(k.chainCode, k.privateKey);
}

/** Same key at the same origin (importing one descriptor twice must not store it twice). */
export function sameExtendedKey(a: ExtendedKeySecret, b: ExtendedKeySecret): boolean {
  return (
    equalBytes(a.privateKey, b.privateKey) &&
    equalBytes(a.chainCode, b.chainCode) &&
    equalBytes(a.originFingerprint, b.originFingerprint) &&
    a.originPath.length === b.originPath.length &&
    a.originPath.every((step, i) => step === b.originPath[i])
  );
}

/** Bytes `keys` take encoded, count included. */
export function extendedKeysSize(keys: readonly ExtendedKeySecret[]): number {
  let n = 2;
  for (const k of keys) n += FIXED_BYTES + 4 * k.originPath.length;
  return n;
}

function putU32(out: Uint8Array, o: number, v: number): void {
  out[o] = v >>> 24;
  out[o + 1] = v >>> 16;
  out[o + 2] = v >>> 8;
  out[o + 3] = v;
}

/** Writes the count and the keys at `o`; returns the offset after them. */
export function writeExtendedKeys(
  out: Uint8Array,
  offset: number,
  keys: readonly ExtendedKeySecret[],
): number {
  let o = offset;
  out[o++] = keys.length >> 8;
  out[o++] = keys.length & 0xff;
  for (const k of keys) {
    out.set(k.originFingerprint, o);
    o += 4;
    out[o++] = k.originPath.length;
    for (const step of k.originPath) {
      putU32(out, o, step);
      o += 4;
    }
    out[o++] = k.depth;
    putU32(out, o, k.parentFingerprint);
    putU32(out, o + 4, k.childNumber);
    o += 8;
    out.set(k.chainCode, o);
    out.set(k.privateKey, o + 32);
    o += 64;
  }
  return o;
}

/** Reads what writeExtendedKeys wrote through `take` (views into the decrypted bytes). */
export function readExtendedKeys(take: (n: number) => Uint8Array): ExtendedKeySecret[] {
  const u8 = (): number => take(1)[0]!;
  const u32 = (): number => {
    const b = take(4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  };
  const count = (u8() << 8) | u8();
  const keys: ExtendedKeySecret[] = [];
  for (let i = 0; i < count; i++) {
    const originFingerprint = take(4);
    const pathLength = u8();
    const originPath: number[] = [];
    for (let s = 0; s < pathLength; s++) originPath.push(u32());
    const depth = u8();
    const parentFingerprint = u32();
    const childNumber = u32();
    const chainCode = take(32);
    const privateKey = take(32);
    keys.push({
      originFingerprint,
      originPath,
      depth,
      parentFingerprint,
      childNumber,
      chainCode,
      privateKey,
    });
  }
  return keys;
}
