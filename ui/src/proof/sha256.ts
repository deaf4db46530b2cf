/**
 * Bitcoin's double SHA-256 through the browser's own WebCrypto (crypto.subtle), so the proof is
 * checked with code the explorer's server did not supply a hash result for.
 */
import { concat } from './bytes.js';

export async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

export async function hash256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return sha256(await sha256(data));
}

/** The parent of two Merkle nodes: double SHA-256 of left ‖ right (internal byte order). */
export function merkleParent(left: Uint8Array, right: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return hash256(concat(left, right));
}
