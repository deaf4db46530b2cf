/**
 * The one secp256k1 adapter: every curve operation in Tally goes through this file, and every
 * library call in it sets its options explicitly, because library defaults do not match Bitcoin
 * (noble prehashes and enforces low-S by default; libsecp256k1 rejects high-S in verify).
 *
 * Backends, chosen explicitly and never by silent fallback:
 * - 'native' (default): libsecp256k1 through the secp256k1@5.0.2 addon, the library Bitcoin Core
 *   itself uses; measured ≈17,000 verifications/s per core here (noble ≈700/s).
 * - 'noble': @noble/curves, the pure-JS reference used to cross-check the native one in tests.
 * ECDSA signing (RFC6979) follows the same backend choice: the wallet signs every input of every
 * send, and noble took ≈1 ms of a 10,000-coin wallet's ≈5.5 ms sendtoaddress. BIP340 signing and
 * key derivation for taproot use noble: they are not on a hot path.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { schnorr, secp256k1 as noble } from '@noble/curves/secp256k1.js';
import * as wasmSecp from 'tiny-secp256k1';
import { fromHex, toHex } from '../encoding/hex.js';
import { encodeDer, isLowS, normalizeS, parseDerLax } from './der.js';
import { taggedHash } from './hash.js';

export type VerifyBackendName = 'native' | 'noble';

/**
 * The raw object of secp256k1-node's addon (its src/secp256k1.cc): each method returns 0 on
 * success and a small error code otherwise. Calling it directly skips the package's JS wrapper,
 * whose argument checks we do ourselves once.
 */
interface NativeSecp256k1 {
  /** 0 valid, 1 signature does not parse (r or s >= n), 2 pubkey does not parse, 3 invalid. */
  ecdsaVerify(sig64: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): number;
  publicKeyVerify(pubkey: Uint8Array): number;
  /** Serialises into `out`: 33 bytes gives compressed, 65 uncompressed. */
  publicKeyCreate(out: Uint8Array, seckey: Uint8Array): number;
  publicKeyConvert(out: Uint8Array, pubkey: Uint8Array): number;
  publicKeyTweakAdd(out: Uint8Array, pubkey: Uint8Array, tweak: Uint8Array): number;
  privateKeyVerify(seckey: Uint8Array): number;
  /** Tweaks `seckey` in place. */
  privateKeyTweakAdd(seckey: Uint8Array, tweak: Uint8Array): number;
  /**
   * secp256k1_ecdsa_sign_recoverable with the RFC6979 nonce function; `data` is its optional
   * 32-byte extra entropy. Writes compact r||s (always low-S) into `out.signature`.
   */
  ecdsaSign(
    out: { signature: Uint8Array; recid: number | null },
    msg32: Uint8Array,
    seckey: Uint8Array,
    data?: Uint8Array,
  ): number;
  /** 0 ok, else r/s >= n or no key recovers. A recid outside 0..3 aborts the process (illegal callback). */
  ecdsaRecover(out: Uint8Array, sig64: Uint8Array, recid: number, msg32: Uint8Array): number;
}
interface NativeAddonModule {
  Secp256k1: new () => NativeSecp256k1;
}

let nativeContext: NativeSecp256k1 | undefined;
let nativeLoadError: Error | undefined;

/**
 * Loads the compiled addon itself. `require('secp256k1')` would quietly fall back to the package's
 * pure-JS elliptic build when the binary is missing (measured ≈600 verifications/s against
 * ≈17,000); a node validating at that speed looks healthy while falling behind the chain, so a
 * missing binary is a loud error.
 */
function loadNative(): NativeSecp256k1 {
  if (nativeContext !== undefined) return nativeContext;
  if (nativeLoadError !== undefined) throw nativeLoadError;
  try {
    const require = createRequire(import.meta.url);
    const packageJson = require.resolve('secp256k1/package.json');
    const nodeGypBuild = createRequire(packageJson)('node-gyp-build') as (dir: string) => NativeAddonModule;
    nativeContext = new (nodeGypBuild(dirname(packageJson)).Secp256k1)();
    return nativeContext;
  } catch (cause) {
    nativeLoadError = new Error(
      'native libsecp256k1 (npm secp256k1@5.0.2) failed to load; Tally does not fall back to a slower ' +
        `implementation. Reinstall with build scripts enabled or a matching prebuild. Cause: ${String(cause)}`,
      { cause },
    );
    throw nativeLoadError;
  }
}

let backend: VerifyBackendName = 'native';

/** For tests and benchmarks that cross-check backends; production code never calls this. */
export function setVerifyBackend(name: VerifyBackendName): void {
  if (name !== 'native' && name !== 'noble')
    throw new RangeError(`unknown secp256k1 backend: ${String(name)}`);
  backend = name;
}

export function getVerifyBackend(): VerifyBackendName {
  return backend;
}

/** Throws now if the native backend cannot load (startup checks, worker handshakes). */
export function assertNativeBackend(): void {
  loadNative();
}

const isSerializedPubkeyLength = (n: number): boolean => n === 33 || n === 65;

type NoblePoint = ReturnType<typeof noble.Point.fromBytes>;

/**
 * Parses a public key as libsecp256k1's secp256k1_ec_pubkey_parse does, including the hybrid
 * encodings 0x06/0x07 (X9.62; y's parity repeated in the header), which Core accepts as valid
 * keys: they exist on chain. noble knows only 02/03/04, so a hybrid key with matching parity is
 * handed to it as 04.
 */
function noblePoint(pubkey: Uint8Array): NoblePoint | null {
  if (!isSerializedPubkeyLength(pubkey.length)) return null;
  let bytes = pubkey;
  if (pubkey.length === 65 && (pubkey[0] === 0x06 || pubkey[0] === 0x07)) {
    if ((pubkey[64]! & 1) !== (pubkey[0] & 1)) return null;
    bytes = Uint8Array.from(pubkey);
    bytes[0] = 0x04;
  }
  try {
    return noble.Point.fromBytes(bytes);
  } catch {
    return null;
  }
}

function nobleVerify(sig64: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
  const point = noblePoint(pubkey);
  if (point === null) return false;
  try {
    // prehash: false because msg32 is already the sighash; lowS: false because S was normalised
    // by the caller, and Core accepts high-S outside the LOW_S script flag.
    return noble.verify(sig64, msg32, point.toBytes(false), {
      prehash: false,
      lowS: false,
      format: 'compact',
    });
  } catch {
    return false;
  }
}

/**
 * Raw ECDSA verification of a parsed 64-byte r||s signature over a 32-byte message hash. High S is
 * normalised first, as Core does before secp256k1_ecdsa_verify (rejecting high S is a script
 * policy/flag matter, not a curve one). Never throws: anything unparsable is simply invalid.
 */
export function ecdsaVerifyCompact(sig64: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
  if (sig64.length !== 64 || msg32.length !== 32 || !isSerializedPubkeyLength(pubkey.length)) return false;
  const sig = isLowS(sig64) ? sig64 : normalizeS(sig64);
  if (backend === 'native') return (nativeContext ?? loadNative()).ecdsaVerify(sig, msg32, pubkey) === 0;
  return nobleVerify(sig, msg32, pubkey);
}

/** Core's CPubKey::Verify: lax DER parse, normalise S, verify. `derSig` excludes the sighash byte. */
export function ecdsaVerifyDer(derSig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
  const sig64 = parseDerLax(derSig);
  return sig64 !== null && ecdsaVerifyCompact(sig64, msg32, pubkey);
}

/**
 * Core's CPubKey::CheckLowS (behind SCRIPT_VERIFY_LOW_S): false if the lax parser rejects the
 * signature, else whether s <= n/2. An overflowing r or s parses to the all-zero signature, which
 * counts as low, exactly as in Core.
 */
export function isLowDerSignature(derSig: Uint8Array): boolean {
  const sig64 = parseDerLax(derSig);
  return sig64 !== null && isLowS(sig64);
}

/** Core's CPubKey::IsFullyValid: 33-byte 02/03, 65-byte 04/06/07, and the point is on the curve. */
export function isValidPublicKey(pubkey: Uint8Array): boolean {
  if (!isSerializedPubkeyLength(pubkey.length)) return false;
  if (backend === 'native') return loadNative().publicKeyVerify(pubkey) === 0;
  return noblePoint(pubkey) !== null;
}

/** Re-serialises a valid public key (hybrid included) as 33 or 65 bytes; null if it does not parse. */
export function publicKeyConvert(pubkey: Uint8Array, compressed: boolean): Uint8Array | null {
  if (!isSerializedPubkeyLength(pubkey.length)) return null;
  if (backend === 'native') {
    const out = new Uint8Array(compressed ? 33 : 65);
    return loadNative().publicKeyConvert(out, pubkey) === 0 ? out : null;
  }
  return noblePoint(pubkey)?.toBytes(compressed) ?? null;
}

/** A private key is valid iff it is 32 bytes and 0 < k < n. */
export function privateKeyVerify(priv32: Uint8Array): boolean {
  if (priv32.length !== 32) return false;
  if (backend === 'native') return loadNative().privateKeyVerify(priv32) === 0;
  return noble.utils.isValidSecretKey(priv32);
}

function assertPrivateKey(priv32: Uint8Array): void {
  // A bad private key is a wallet bug, never data from the network: throw.
  if (!privateKeyVerify(priv32)) throw new RangeError('invalid private key (must be 32 bytes, 0 < k < n)');
}

export function publicKeyCreate(priv32: Uint8Array, compressed = true): Uint8Array {
  assertPrivateKey(priv32);
  if (backend === 'native') {
    const out = new Uint8Array(compressed ? 33 : 65);
    if (loadNative().publicKeyCreate(out, priv32) !== 0) throw new RangeError('invalid private key');
    return out;
  }
  return noble.getPublicKey(priv32, compressed);
}

const N = noble.Point.Fn.ORDER;
const bytesToBigInt = (b: Uint8Array): bigint => BigInt(`0x${toHex(b) || '0'}`);
const bigIntTo32 = (x: bigint): Uint8Array => Uint8Array.from(fromHex(x.toString(16).padStart(64, '0')));

/**
 * (priv + tweak) mod n, as BIP32 private derivation needs. Null when the tweak is >= n or the sum
 * is zero (BIP32: "the resulting key is invalid; proceed with the next index"), or priv is invalid.
 */
export function privateKeyTweakAdd(priv32: Uint8Array, tweak32: Uint8Array): Uint8Array | null {
  if (tweak32.length !== 32 || !privateKeyVerify(priv32)) return null;
  if (backend === 'native') {
    const out = Uint8Array.from(priv32); // the addon tweaks in place
    return loadNative().privateKeyTweakAdd(out, tweak32) === 0 ? out : null;
  }
  const t = bytesToBigInt(tweak32);
  if (t >= N) return null;
  const sum = (bytesToBigInt(priv32) + t) % N;
  return sum === 0n ? null : bigIntTo32(sum);
}

/** pubkey + tweak·G, as BIP32 public derivation needs; null when the tweak is >= n or the sum is infinity. */
export function publicKeyTweakAdd(
  pubkey: Uint8Array,
  tweak32: Uint8Array,
  compressed = true,
): Uint8Array | null {
  if (tweak32.length !== 32 || !isSerializedPubkeyLength(pubkey.length)) return null;
  if (backend === 'native') {
    const out = new Uint8Array(compressed ? 33 : 65);
    return loadNative().publicKeyTweakAdd(out, pubkey, tweak32) === 0 ? out : null;
  }
  const point = noblePoint(pubkey);
  const t = bytesToBigInt(tweak32);
  if (point === null || t >= N) return null;
  const sum = point.add(noble.Point.BASE.multiplyUnsafe(t));
  return sum.is0() ? null : sum.toBytes(compressed);
}

/**
 * Deterministic (RFC6979) ECDSA over a 32-byte hash, low-S as BIP62/BIP146 policy demands.
 * Returns compact r||s. `extraData` is RFC6979's additional data (section 3.6: k is derived from
 * key || hash || extraData), exactly as libsecp256k1's nonce_function_rfc6979 takes it, so both
 * backends give the same signature for the same inputs (a test checks it).
 */
export function ecdsaSign(msg32: Uint8Array, priv32: Uint8Array, extraData?: Uint8Array): Uint8Array {
  if (msg32.length !== 32) throw new RangeError('ecdsaSign signs a 32-byte hash');
  if (extraData !== undefined && extraData.length !== 32)
    throw new RangeError('ECDSA extra nonce data must be 32 bytes');
  assertPrivateKey(priv32);
  if (backend === 'native') {
    const out = { signature: new Uint8Array(64), recid: null };
    // Only an invalid key (checked above) or a nonce that fails 2^-128-rarely can make it fail.
    if (loadNative().ecdsaSign(out, msg32, priv32, extraData) !== 0)
      throw new RangeError('ECDSA signing failed');
    return out.signature;
  }
  return noble.sign(msg32, priv32, {
    prehash: false,
    lowS: true,
    format: 'compact',
    extraEntropy: extraData ?? false,
  });
}

/** ecdsaSign as strict DER (without the sighash byte the script layer appends). */
export function ecdsaSignDer(msg32: Uint8Array, priv32: Uint8Array): Uint8Array {
  return encodeDer(ecdsaSign(msg32, priv32));
}

/**
 * Core's CKey::Sign with grind = true: sign without extra data, and while R >= 2^255 (its DER
 * encoding would need a 0x00 sign byte) sign again with a 32-byte extra-entropy block holding an
 * incrementing little-endian counter (1, 2, …). Half of all first attempts are high-R, so it signs
 * twice on average; in exchange every signature is at most 70 bytes of DER (71 with the sighash
 * byte), which is what the wallet's fee estimates assume (ECDSA_SIGNATURE_SIZE).
 */
export function ecdsaSignLowR(msg32: Uint8Array, priv32: Uint8Array): Uint8Array {
  let sig = ecdsaSign(msg32, priv32);
  let extra: Uint8Array | undefined;
  for (let counter = 1; sig[0]! >= 0x80; counter++) {
    extra ??= new Uint8Array(32);
    new DataView(extra.buffer).setUint32(0, counter, true);
    sig = ecdsaSign(msg32, priv32, extra);
  }
  return sig;
}

/** ecdsaSignLowR as strict DER (without the sighash byte): at most 70 bytes. */
export function ecdsaSignDerLowR(msg32: Uint8Array, priv32: Uint8Array): Uint8Array {
  return encodeDer(ecdsaSignLowR(msg32, priv32));
}

/** Core's CKey::SignCompact: RFC6979 without extra data or low-R grinding, low-S, and the recovery id
 * 0..3 (bit 0: parity of R.y; bit 1: R.x was r + n) that rebuilds the public key. */
const RECOVERABLE = { prehash: false, lowS: true, format: 'recovered', extraEntropy: false } as const;
export function ecdsaSignRecoverable(
  msg32: Uint8Array,
  priv32: Uint8Array,
): { signature: Uint8Array; recid: number } {
  if (msg32.length !== 32) throw new RangeError('ecdsaSignRecoverable signs a 32-byte hash');
  assertPrivateKey(priv32);
  if (backend === 'noble') {
    const sig = noble.sign(msg32, priv32, RECOVERABLE);
    return { signature: sig.slice(1), recid: sig[0]! };
  }
  const out = { signature: new Uint8Array(64), recid: null as number | null };
  if (loadNative().ecdsaSign(out, msg32, priv32) !== 0 || out.recid === null)
    throw new RangeError('ECDSA signing failed');
  return { signature: out.signature, recid: out.recid };
}

/** Core's CPubKey::RecoverCompact core (secp256k1_ecdsa_recover): the key that made r||s with `recid`,
 * or null (r or s not in 1..n-1, r + n >= p, key at infinity). High S is accepted. Never throws. */
export function ecdsaRecover(
  sig64: Uint8Array,
  recid: number,
  msg32: Uint8Array,
  compressed: boolean,
): Uint8Array | null {
  if (sig64.length !== 64 || msg32.length !== 32 || ![0, 1, 2, 3].includes(recid)) return null;
  const out = new Uint8Array(compressed ? 33 : 65);
  if (backend === 'native') return loadNative().ecdsaRecover(out, sig64, recid, msg32) === 0 ? out : null;
  try {
    const pubkey = noble.recoverPublicKey(Uint8Array.of(recid, ...sig64), msg32, { prehash: false });
    return noble.Point.fromBytes(pubkey).toBytes(compressed); // noble rejects r, s outside 1..n-1
  } catch {
    return null;
  }
}

/**
 * BIP340 verification. 32-byte messages (every taproot signature hash) go to libsecp256k1's
 * schnorrsig module compiled to WASM (tiny-secp256k1): measured 4,200 verifications/s here against
 * ~700/s for the pure-JS path below, and the native addon has no Schnorr support. Other message
 * lengths (BIP340 allows them) and the 'noble' backend use the pure-JS path, which tests cross-check.
 */
export function schnorrVerify(sig64: Uint8Array, msg: Uint8Array, xonly32: Uint8Array): boolean {
  if (sig64.length !== 64 || xonly32.length !== 32) return false;
  if (msg.length === 32 && backend === 'native') {
    try {
      return wasmSecp.verifySchnorr(msg, xonly32, sig64);
    } catch {
      return false; // tiny-secp256k1 throws for an x coordinate that is not on the curve
    }
  }
  return schnorrVerifyJs(sig64, msg, xonly32);
}

/**
 * BIP340 verification written from the BIP on noble's point arithmetic rather than calling noble's
 * schnorr.verify, which additionally rejects s = 0; BIP340 and libsecp256k1 fail only on s >= n, and
 * consensus must accept exactly what they accept. Messages may be any length (BIP340 since 2022).
 */
function schnorrVerifyJs(sig64: Uint8Array, msg: Uint8Array, xonly32: Uint8Array): boolean {
  const r = bytesToBigInt(sig64.subarray(0, 32));
  const s = bytesToBigInt(sig64.subarray(32, 64));
  if (r >= noble.Point.Fp.ORDER || s >= N) return false;
  let P: NoblePoint;
  try {
    P = schnorr.utils.lift_x(bytesToBigInt(xonly32)); // fails for x >= p or x not on the curve
  } catch {
    return false;
  }
  const e = bytesToBigInt(taggedHash('BIP0340/challenge', sig64.subarray(0, 32), xonly32, msg)) % N;
  // R = s·G − e·P in one Strauss–Shamir pass; it takes zero scalars, which s and n − e may be.
  const R = noble.Point.BASE.mulAddUnsafe(s, P, (N - e) % N);
  if (R.is0()) return false;
  const { x, y } = R.toAffine();
  return (y & 1n) === 0n && x === r;
}

/**
 * BIP340 signing. `auxRand32` is the caller's fresh randomness (BIP340 recommends it against side
 * channels); it is a parameter so that this layer reads no global RNG and tests are reproducible.
 */
export function schnorrSign(msg: Uint8Array, priv32: Uint8Array, auxRand32: Uint8Array): Uint8Array {
  assertPrivateKey(priv32);
  if (auxRand32.length !== 32) throw new RangeError('BIP340 aux randomness must be 32 bytes');
  return schnorr.sign(msg, priv32, auxRand32);
}

/** The x-only (BIP340) public key of a private key. */
export function schnorrPublicKey(priv32: Uint8Array): Uint8Array {
  assertPrivateKey(priv32);
  return schnorr.getPublicKey(priv32);
}
