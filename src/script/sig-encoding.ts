import { isValidSignatureEncoding } from '../crypto/der.js';
import { isLowDerSignature } from '../crypto/secp256k1.js';
import type { ScriptError } from './errors.js';
import { ScriptFlags } from './flags.js';
import { SigVersion } from './sigversion.js';

/**
 * Encoding rules for signatures and public keys as the interpreter applies them before any curve
 * math (Core's CheckSignatureEncoding / CheckPubKeyEncoding). Strict DER itself (BIP66) lives in the
 * crypto adapter; this file decides which rule a flag turns on and which error it reports.
 */

/** SIGHASH_ANYONECANPAY bit; the low bits select ALL/NONE/SINGLE. */
const ANYONECANPAY = 0x80;

/** Hashtypes ScriptToAsmStr decodes, with Core's spelling. */
export const SIGHASH_NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'ALL'],
  [0x81, 'ALL|ANYONECANPAY'],
  [0x02, 'NONE'],
  [0x82, 'NONE|ANYONECANPAY'],
  [0x03, 'SINGLE'],
  [0x83, 'SINGLE|ANYONECANPAY'],
]);

/** Core's IsDefinedHashtypeSignature: the last byte, without ANYONECANPAY, is ALL, NONE or SINGLE. */
export function isDefinedSighashSignature(sig: Uint8Array): boolean {
  if (sig.length === 0) return false;
  const base = sig[sig.length - 1]! & ~ANYONECANPAY;
  return base >= 1 && base <= 3;
}

/**
 * Core's CheckSignatureEncoding. The empty signature always passes: it is the compact way to make
 * CHECK(MULTI)SIG fail on purpose (and the only failing signature NULLFAIL allows).
 */
export function checkSignatureEncoding(sig: Uint8Array, flags: number): ScriptError | null {
  if (sig.length === 0) return null;
  if (flags & (ScriptFlags.DERSIG | ScriptFlags.LOW_S | ScriptFlags.STRICTENC)) {
    if (!isValidSignatureEncoding(sig)) return 'SIG_DER';
  }
  if (flags & ScriptFlags.LOW_S && !isLowDerSignature(sig.subarray(0, sig.length - 1))) {
    return 'SIG_HIGH_S';
  }
  if (flags & ScriptFlags.STRICTENC && !isDefinedSighashSignature(sig)) return 'SIG_HASHTYPE';
  return null;
}

/** 33 bytes with 02/03, or 65 bytes with 04. Hybrid keys (06/07) are not allowed by STRICTENC. */
export function isCompressedOrUncompressedPubKey(key: Uint8Array): boolean {
  if (key.length < 33) return false;
  if (key[0] === 0x04) return key.length === 65;
  if (key[0] === 0x02 || key[0] === 0x03) return key.length === 33;
  return false;
}

export function isCompressedPubKey(key: Uint8Array): boolean {
  return key.length === 33 && (key[0] === 0x02 || key[0] === 0x03);
}

/** Core's CheckPubKeyEncoding for ECDSA keys (legacy and segwit v0). */
export function checkPubKeyEncoding(
  key: Uint8Array,
  flags: number,
  sigversion: SigVersion,
): ScriptError | null {
  if (flags & ScriptFlags.STRICTENC && !isCompressedOrUncompressedPubKey(key)) return 'PUBKEYTYPE';
  // BIP143 policy: segwit v0 outputs should only ever be spent with compressed keys.
  if (
    flags & ScriptFlags.WITNESS_PUBKEYTYPE &&
    sigversion === SigVersion.WITNESS_V0 &&
    !isCompressedPubKey(key)
  ) {
    return 'WITNESS_PUBKEYTYPE';
  }
  return null;
}
