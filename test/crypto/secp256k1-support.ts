/** What the secp256k1 adapter tests share: reproducible inputs and running code on one backend. */
import { sha256 } from '../../src/crypto/hash.js';
import { getVerifyBackend, setVerifyBackend, type VerifyBackendName } from '../../src/crypto/secp256k1.js';
import { utf8 } from '../../src/encoding/index.js';

/** Deterministic test bytes: a failure reproduces exactly. */
export const det = (tag: string, i: number): Uint8Array => sha256(utf8(`${tag}/${i}`));

/** Runs `f` with the named backend selected, then restores the one that was selected before. */
export function withBackend<T>(name: VerifyBackendName, f: () => T): T {
  const before = getVerifyBackend();
  setVerifyBackend(name);
  try {
    return f();
  } finally {
    setVerifyBackend(before);
  }
}
