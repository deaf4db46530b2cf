/**
 * Passphrase -> key stretching with scrypt (RFC 7914). Bitcoin Core stretches with SHA-512
 * iterations calibrated to ~100 ms (crypter.cpp); scrypt is used here because it is memory-hard,
 * which makes each GPU/ASIC guess cost 64 MiB as well as time.
 *
 * Default N = 2^16, r = 8, p = 1 (64 MiB). Measured on the development machine (2 cores, node 20,
 * node:crypto/OpenSSL, one derivation at a time): N = 2^15 took 94-161 ms, sometimes under the
 * 100 ms floor and surely under it on a faster machine; N = 2^16 took 186-209 ms; N = 2^17 took
 * 395-432 ms. The parameters are stored in each file, so a later default applies to new files and
 * passphrase changes without breaking old ones.
 */
import { scrypt } from 'node:crypto';
import { KeystoreError } from './errors.js';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  readonly log2N: number;
  /** Block size r. */
  readonly r: number;
  /** Parallelisation p. */
  readonly p: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ log2N: 16, r: 8, p: 1 });

/**
 * Bounds for parameters read from a file or passed by a caller. The floor (N = 2^10, ~1 ms) lets
 * tests run fast; the ceiling keeps a crafted file from asking for more than 1 GiB or minutes of
 * work before the key check can reject it.
 */
export const SCRYPT_LIMITS = Object.freeze({
  minLog2N: 10,
  maxLog2N: 20,
  maxR: 32,
  maxP: 16,
  maxMemoryBytes: 1024 * 1024 * 1024,
});

/** Bytes of KDF output: 32 for the AES-256 key, 32 for the key check. */
export const DERIVED_KEY_BYTES = 64;

/** Memory OpenSSL's scrypt needs: 128·r·(N + 2) for V plus 128·r·p for B (crypto/evp/pbe_scrypt.c). */
function scryptMemory(params: ScryptParams): number {
  return 128 * params.r * (2 ** params.log2N + 2 + params.p);
}

export function checkScryptParams(params: ScryptParams): void {
  const { log2N, r, p } = params;
  const ok =
    Number.isInteger(log2N) &&
    Number.isInteger(r) &&
    Number.isInteger(p) &&
    log2N >= SCRYPT_LIMITS.minLog2N &&
    log2N <= SCRYPT_LIMITS.maxLog2N &&
    r >= 1 &&
    r <= SCRYPT_LIMITS.maxR &&
    p >= 1 &&
    p <= SCRYPT_LIMITS.maxP &&
    scryptMemory(params) <= SCRYPT_LIMITS.maxMemoryBytes;
  if (!ok) {
    throw new KeystoreError(
      'invalid-argument',
      `scrypt parameters out of range: log2N=${log2N} r=${r} p=${p} ` +
        `(log2N ${SCRYPT_LIMITS.minLog2N}..${SCRYPT_LIMITS.maxLog2N}, r 1..${SCRYPT_LIMITS.maxR}, ` +
        `p 1..${SCRYPT_LIMITS.maxP}, at most 1 GiB)`,
    );
  }
}

/**
 * The passphrase in the form that is stretched: UTF-8 of its NFKD form, as BIP39 does for its
 * passphrase, so the same characters typed on systems that compose differently give one key.
 */
export function passphraseBytes(passphrase: string): Buffer {
  return Buffer.from(passphrase.normalize('NFKD'), 'utf8');
}

/**
 * scrypt(passphrase, salt) -> 64 bytes, on libuv's thread pool so the event loop (peers, RPC)
 * keeps running during the ~200 ms. The caller wipes the result.
 */
export function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  checkScryptParams(params);
  const password = passphraseBytes(passphrase);
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      salt,
      DERIVED_KEY_BYTES,
      {
        N: 2 ** params.log2N,
        r: params.r,
        p: params.p,
        // node's default ceiling is 32 MiB, below the default parameters' 64 MiB; 1 MiB of slack.
        maxmem: scryptMemory(params) + 1024 * 1024,
      },
      (err, key) => {
        password.fill(0);
        if (err !== null) reject(err);
        else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
      },
    );
  });
}
