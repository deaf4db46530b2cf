import { fromHex, toHex } from '../encoding/hex.js';
import { taggedHash } from './hash.js';
import {
  privateKeyTweakAdd,
  privateKeyVerify,
  publicKeyCreate,
  schnorrSign,
  schnorrVerify,
} from './secp256k1.js';

/**
 * BIP341 key-path signing: the private key of a taproot output key, and a BIP340 signature with
 * it. Curve operations go through the secp256k1 adapter (./secp256k1.ts), which picks the backend
 * and sets every library option; this file holds only BIP341's arithmetic around it.
 */

/** The secp256k1 group order n. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function negate(priv32: Uint8Array): Uint8Array {
  // Not constant time, like the adapter's pure-JS tweak; the key is secret only to this process.
  const d = BigInt(`0x${toHex(priv32)}`);
  return Uint8Array.from(fromHex((N - d).toString(16).padStart(64, '0')));
}

/**
 * BIP341 taproot_tweak_seckey: d' = (d or n - d, whichever gives an even-Y public key)
 * + TaggedHash("TapTweak", xonly(P) || merkle_root) mod n. A key-path-only output (BIP86) has no
 * Merkle root and hashes the x-only key alone. Returns the tweaked key (the caller wipes it) with
 * the output key's x coordinate, or null for an invalid key or a tweak that fails (t >= n or a
 * zero sum, both negligibly unlikely).
 */
export function taprootTweakPrivateKey(
  priv32: Uint8Array,
  merkleRoot?: Uint8Array,
): { privateKey: Uint8Array; outputKey: Uint8Array } | null {
  if (priv32.length !== 32 || !privateKeyVerify(priv32)) return null;
  if (merkleRoot !== undefined && merkleRoot.length !== 32) return null;
  const pub = publicKeyCreate(priv32, true);
  const xonly = pub.subarray(1);
  const even = pub[0] === 0x02 ? priv32 : negate(priv32);
  const tweak = taggedHash('TapTweak', xonly, merkleRoot ?? new Uint8Array(0));
  const tweaked = privateKeyTweakAdd(even, tweak);
  if (even !== priv32) even.fill(0);
  if (tweaked === null) return null;
  return { privateKey: tweaked, outputKey: publicKeyCreate(tweaked, true).subarray(1) };
}

/**
 * A BIP340 signature of `msg32` (a BIP341 signature hash) by the output key of internal private
 * key `priv32`: what a P2TR key-path witness carries (Core's CKey::SignSchnorr with a tweak).
 * `auxRand32` is fresh randomness from the caller (BIP340's side-channel protection). The result
 * is verified against the output key before it is returned, as Core does, so a fault never leaves
 * a bad signature; throws if it does not verify.
 */
export function signTaprootKeyPath(
  msg32: Uint8Array,
  priv32: Uint8Array,
  auxRand32: Uint8Array,
  merkleRoot?: Uint8Array,
): Uint8Array {
  if (msg32.length !== 32) throw new RangeError('a taproot signature hash is 32 bytes');
  const tweaked = taprootTweakPrivateKey(priv32, merkleRoot);
  if (tweaked === null) throw new RangeError('invalid taproot key or tweak');
  try {
    const sig = schnorrSign(msg32, tweaked.privateKey, auxRand32);
    if (!schnorrVerify(sig, msg32, tweaked.outputKey)) throw new Error('BIP340 signature did not verify');
    return sig;
  } finally {
    tweaked.privateKey.fill(0);
  }
}
