import type { ConsensusParams } from './params.js';

/**
 * Proof of work over 256-bit targets as bigints, reproducing Core's arith_uint256 exactly: values are
 * unsigned and wrap modulo 2^256 where arith_uint256 does (a left shift or a product that overflows).
 */
const UINT256_MASK = (1n << 256n) - 1n;

export interface DecodedCompact {
  /** The target, truncated to 256 bits as arith_uint256 stores it. */
  readonly target: bigint;
  /** The sign bit (0x00800000) is set and the mantissa is non-zero. */
  readonly negative: boolean;
  /** The value does not fit in 256 bits. */
  readonly overflow: boolean;
}

/**
 * Core's arith_uint256::SetCompact: "compact" is a floating-point format, a 1-byte exponent (size in
 * bytes) and a 3-byte mantissa whose top bit is a sign. Like Core, the sign and overflow flags are
 * judged on the mantissa after it is shifted right for sizes below 3, so 0x01803456 is neither
 * negative nor non-zero.
 */
export function compactToTarget(bits: number): DecodedCompact {
  const compact = bits >>> 0;
  const size = compact >>> 24;
  let word = compact & 0x007fffff;
  let target: bigint;
  if (size <= 3) {
    word >>>= 8 * (3 - size);
    target = BigInt(word);
  } else {
    target = (BigInt(word) << BigInt(8 * (size - 3))) & UINT256_MASK;
  }
  const negative = word !== 0 && (compact & 0x00800000) !== 0;
  const overflow = word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  return { target, negative, overflow };
}

function byteLength(value: bigint): number {
  return value === 0n ? 0 : Math.ceil(value.toString(2).length / 8);
}

/**
 * Core's arith_uint256::GetCompact: the shortest compact form of `target` (which must be < 2^256),
 * rounding down to 3 significant bytes. A mantissa with its top bit set would read as negative, so it
 * is shifted one more byte. `negative` sets the sign bit (only ever used by tests).
 */
export function targetToCompact(target: bigint, negative = false): number {
  let size = byteLength(target);
  let compact: number;
  if (size <= 3) {
    compact = Number(target) * 2 ** (8 * (3 - size));
  } else {
    compact = Number(target >> BigInt(8 * (size - 3)));
  }
  if (compact & 0x00800000) {
    compact >>>= 8;
    size++;
  }
  compact += size * 0x01000000;
  if (negative && (compact & 0x007fffff) !== 0) compact |= 0x00800000;
  return compact >>> 0;
}

/** A hash in internal byte order read as the little-endian uint256 that PoW compares (UintToArith256). */
export function hashToBigInt(hash: Uint8Array): bigint {
  let value = 0n;
  for (let i = hash.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(hash[i]!);
  return value;
}

/**
 * Core's DeriveTarget: the target `bits` encode if they are a valid difficulty for these params
 * (positive, no overflow, not above powLimit); undefined otherwise.
 */
export function deriveTarget(bits: number, powLimit: bigint): bigint | undefined {
  const { target, negative, overflow } = compactToTarget(bits);
  if (negative || target === 0n || overflow || target > powLimit) return undefined;
  return target;
}

/** Core's CheckProofOfWork: `bits` are a valid target and the block hash does not exceed it. */
export function checkProofOfWork(
  hash: Uint8Array,
  bits: number,
  params: Pick<ConsensusParams, 'powLimit'>,
): boolean {
  const target = deriveTarget(bits, params.powLimit);
  if (target === undefined) return false;
  return hashToBigInt(hash) <= target;
}

/**
 * Core's GetBlockProof: the expected number of hashes to find a block at `bits`, the chain-work
 * increment. That is 2^256 / (target + 1), computed as ~target / (target + 1) + 1 so that, as in
 * Core, no intermediate value exceeds 256 bits. Invalid bits prove nothing (0).
 */
export function blockProof(bits: number): bigint {
  const { target, negative, overflow } = compactToTarget(bits);
  if (negative || overflow || target === 0n) return 0n;
  return (UINT256_MASK ^ target) / (target + 1n) + 1n;
}

/** Multiplication with arith_uint256's wrap-around, for retargeting arithmetic. */
export function mulUint256(a: bigint, b: bigint): bigint {
  return (a * b) & UINT256_MASK;
}
