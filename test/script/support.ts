import type { ScriptError, SignatureChecker } from '../../src/script/index.js';

export { buildCreditingTransaction, buildSpendingTransaction } from '../../src/script/credit-spend.js';

/** A checker with fixed answers, for running the VM without transactions (fuzzing, unit tests). */
export class FixedChecker implements SignatureChecker {
  calls = 0;
  constructor(private readonly answer: boolean) {}
  checkEcdsaSignature(): boolean {
    this.calls++;
    return this.answer;
  }
  checkSchnorrSignature(): ScriptError {
    this.calls++;
    return this.answer ? 'OK' : 'SCHNORR_SIG';
  }
  checkLockTime(): boolean {
    return this.answer;
  }
  checkSequence(): boolean {
    return this.answer;
  }
}

/** Deterministic PRNG (xorshift32) so randomized checks reproduce exactly. */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}
