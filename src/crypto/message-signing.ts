/**
 * Bitcoin Core's signed messages (common/signmessage.cpp, the "Bitcoin Signed Message" scheme of
 * signmessage / verifymessage, BIP137's legacy P2PKH form): a 65-byte compact recoverable ECDSA
 * signature over double-SHA256 of varstr(MESSAGE_MAGIC) || varstr(message), in base64. The header
 * byte is 27 + recid + (4 if the signer's address uses the compressed key). The verifier recovers
 * the public key from the signature and compares its key hash with the address: there is no key
 * to compare against otherwise. Addresses are the script layer's business (script/signed-message.ts).
 */
import { decodeBase64, encodeBase64 } from '../encoding/base64.js';
import { equalBytes, utf8 } from '../encoding/bytes.js';
import { BufferWriter } from '../encoding/writer.js';
import { hash160, hash256 } from './hash.js';
import { ecdsaRecover, ecdsaSignRecoverable, publicKeyCreate } from './secp256k1.js';

/** Core's MESSAGE_MAGIC: keeps a message signature from ever being a transaction signature. */
export const MESSAGE_MAGIC = 'Bitcoin Signed Message:\n';

/** Core's CPubKey::COMPACT_SIGNATURE_SIZE: header byte + r + s. */
export const COMPACT_SIGNATURE_SIZE = 65;

/** Core's MessageHash (LEGACY format): SHA256d(varstr(magic) || varstr(UTF-8 of message)). */
export function messageHash(message: string): Uint8Array {
  const magic = utf8(MESSAGE_MAGIC);
  const body = utf8(message);
  return hash256(new BufferWriter(magic.length + body.length + 10).varBytes(magic).varBytes(body).finish());
}

/**
 * Core's CKey::SignCompact over `hash`: header 27 + recid + (compressed ? 4 : 0), then r || s.
 * Like Core, the signature is checked by recovering the key from it before it is handed out, so
 * a fault in signing can never publish a signature for some other key.
 */
export function signCompact(hash: Uint8Array, privateKey: Uint8Array, compressed: boolean): Uint8Array {
  const { signature, recid } = ecdsaSignRecoverable(hash, privateKey);
  const recovered = ecdsaRecover(signature, recid, hash, compressed);
  if (recovered === null || !equalBytes(recovered, publicKeyCreate(privateKey, compressed))) {
    throw new RangeError('compact signature does not recover the signing key');
  }
  const out = new Uint8Array(COMPACT_SIGNATURE_SIZE);
  out[0] = 27 + recid + (compressed ? 4 : 0);
  out.set(signature, 1);
  return out;
}

/**
 * Core's CPubKey::RecoverCompact: the public key a 65-byte compact signature was made with, in the
 * form its header names (33 or 65 bytes), or null. Any header byte is read the way Core reads it,
 * ((h - 27) & 3) as recid and ((h - 27) & 4) as "compressed", in two's complement like its int
 * arithmetic: Core does not reject headers outside 27..34, and neither may we.
 */
export function recoverCompact(hash: Uint8Array, signature: Uint8Array): Uint8Array | null {
  if (signature.length !== COMPACT_SIGNATURE_SIZE) return null;
  const header = signature[0]! - 27;
  return ecdsaRecover(signature.subarray(1), header & 3, hash, (header & 4) !== 0);
}

/** Core's MessageSign: the base64 signature of `message` by `privateKey`. */
export function signMessage(message: string, privateKey: Uint8Array, compressed: boolean): string {
  return encodeBase64(signCompact(messageHash(message), privateKey, compressed));
}

/** What checking a base64 signature against a key hash found (the tail of Core's MessageVerify). */
export type SignatureCheck = 'ok' | 'malformed-signature' | 'pubkey-not-recovered' | 'not-signed';

/**
 * The part of Core's MessageVerify after the address: decode base64, recover the key, compare its
 * HASH160 with `keyHash` (a P2PKH address's hash).
 */
export function checkMessageSignature(
  keyHash: Uint8Array,
  signatureBase64: string,
  message: string,
): SignatureCheck {
  const signature = decodeBase64(signatureBase64);
  if (signature === null) return 'malformed-signature';
  const pubkey = recoverCompact(messageHash(message), signature);
  if (pubkey === null) return 'pubkey-not-recovered';
  return equalBytes(hash160(pubkey), keyHash) ? 'ok' : 'not-signed';
}
