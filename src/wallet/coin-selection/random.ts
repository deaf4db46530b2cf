/**
 * Randomness for coin selection. Core draws from FastRandomContext: the choices (which coins SRD and
 * Knapsack try, the change target, the change position, the input order) only need to be
 * unpredictable to observers of the chain, not secret. Every function here takes the source as an
 * argument, so a seeded source makes a selection reproducible in tests.
 */
export interface RandomSource {
  /** A uniform integer in [0, 2^32). */
  nextUint32(): number;
}

const TWO_32 = 0x1_0000_0000;

/** A uniform integer in [0, n) for 1 ≤ n ≤ 2^53, by rejection (no modulo bias). */
export function randomRange(rng: RandomSource, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`randomRange: bad bound ${n}`);
  if (n <= TWO_32) {
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = rng.nextUint32();
      if (x < limit) return x % n;
    }
  }
  // Beyond 32 bits: 53 random bits, rejecting the tail above the largest multiple of n.
  const span = 2 ** 53;
  const limit = span - (span % n);
  for (;;) {
    const x = (rng.nextUint32() & 0x1f_ffff) * TWO_32 + rng.nextUint32();
    if (x < limit) return x % n;
  }
}

/** Fisher–Yates, in place. */
export function shuffleInPlace<T>(rng: RandomSource, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomRange(rng, i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

/**
 * A fast seeded generator: SplitMix32 to spread the seed, then xoshiro128** (Blackman and Vigna,
 * public domain algorithm). Not for keys: only where Core itself uses FastRandomContext.
 */
export function seededRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  if ((a | b | c | d) === 0) a = 1;
  return {
    nextUint32(): number {
      const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
      const t = (b << 9) >>> 0;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d >>> 0, 11);
      a >>>= 0;
      b >>>= 0;
      c >>>= 0;
      return result;
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Words drawn from the platform's CSPRNG, shared by every secureRandom() source. One Knapsack
 * search over a 10,000-coin wallet takes ~6,000 words; drawn 1 KiB per source they cost ~25
 * getRandomValues calls per send, measured 0.18 ms of a ~4 ms sendtoaddress. A 16 KiB pool is
 * refilled a couple of times per send instead. The words are only ever used for choices (which
 * coins to try, change position, input order), as Core's FastRandomContext output is.
 */
const POOL = new Uint32Array(4096);
let poolNext = POOL.length;

/** The production source: the platform's CSPRNG, drawn from a shared pool. */
export function secureRandom(): RandomSource {
  return {
    nextUint32(): number {
      if (poolNext === POOL.length) {
        globalThis.crypto.getRandomValues(POOL);
        poolNext = 0;
      }
      return POOL[poolNext++]!;
    },
  };
}
