/**
 * The 80-byte block header: version (0..4), previous block hash (4..36), Merkle root (36..68),
 * time (68..72), bits (72..76), nonce (76..80), integers little-endian, hashes internal order.
 */
import { readU32LE, toDisplayHex } from './bytes.js';

export const HEADER_SIZE = 80;

export interface ParsedHeader {
  version: number;
  /** Display hex, as bitcoind shows it. */
  previousBlockHash: string;
  /** Internal byte order, as the Merkle branch computes it. */
  merkleRoot: Uint8Array;
  time: number;
  bits: number;
  nonce: number;
}

export function parseHeader(header: Uint8Array): ParsedHeader {
  if (header.length !== HEADER_SIZE) throw new RangeError(`a header is 80 bytes, not ${header.length}`);
  return {
    version: readU32LE(header, 0) | 0,
    previousBlockHash: toDisplayHex(header.subarray(4, 36)),
    merkleRoot: header.slice(36, 68),
    time: readU32LE(header, 68),
    bits: readU32LE(header, 72),
    nonce: readU32LE(header, 76),
  };
}

/**
 * The target that compact `bits` encodes (Core's arith_uint256::SetCompact), or null when the
 * encoding is negative, zero or overflows 256 bits: such bits never pass Core's CheckProofOfWork.
 */
export function targetFromBits(bits: number): bigint | null {
  const exponent = bits >>> 24;
  const mantissa = bits & 0x007fffff;
  const negative = (bits & 0x00800000) !== 0;
  const target =
    exponent <= 3
      ? BigInt(mantissa >>> (8 * (3 - exponent)))
      : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  if (target === 0n || (negative && mantissa !== 0)) return null;
  if (target >> 256n !== 0n) return null;
  return target;
}

/** A hash in internal byte order read as the little-endian 256-bit number PoW compares. */
export function hashToBigInt(internal: Uint8Array): bigint {
  let n = 0n;
  for (let i = internal.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(internal[i]!);
  return n;
}
