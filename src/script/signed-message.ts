/**
 * The address side of Core's signed messages (common/signmessage.cpp MessageVerify, and the checks
 * signmessage makes before asking the wallet for a key). Only P2PKH addresses can carry a legacy
 * message signature: the signature reveals a public key, and only a P2PKH address commits to one
 * by its hash alone. Core checks the address before it looks at the signature, so an invalid
 * address wins over a malformed signature, and so does here.
 */
import { checkMessageSignature, type SignatureCheck } from '../crypto/message-signing.js';
import { type AddressPrefixes, scriptFromAddress } from './address.js';
import { classifyScript } from './templates.js';

/** Core's MessageVerificationResult, by name. */
export type MessageVerificationResult = SignatureCheck | 'invalid-address' | 'address-no-key';

export type KeyHashOfAddress =
  | { readonly ok: true; readonly keyHash: Uint8Array }
  | { readonly ok: false; readonly error: 'invalid-address' | 'address-no-key' };

/** Core's DecodeDestination + get_if<PKHash>: the 20-byte key hash of a P2PKH address on this network. */
export function keyHashOfAddress(address: string, prefixes: AddressPrefixes): KeyHashOfAddress {
  let script: Uint8Array;
  try {
    script = scriptFromAddress(address, prefixes);
  } catch {
    return { ok: false, error: 'invalid-address' };
  }
  const classified = classifyScript(script);
  if (classified.type !== 'pubkeyhash') return { ok: false, error: 'address-no-key' };
  return { ok: true, keyHash: classified.hash };
}

/** Core's MessageVerify: whether `signature` (base64) is `address`'s signature of `message`. */
export function messageVerify(
  address: string,
  signature: string,
  message: string,
  prefixes: AddressPrefixes,
): MessageVerificationResult {
  const decoded = keyHashOfAddress(address, prefixes);
  if (!decoded.ok) return decoded.error;
  return checkMessageSignature(decoded.keyHash, signature, message);
}
