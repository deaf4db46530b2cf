/**
 * Consensus constants shared by every network (Core's consensus/consensus.h, primitives/transaction.h,
 * script/script.h, chain.h).
 */
export { WITNESS_SCALE_FACTOR } from '../primitives/transaction.js';

/** BIP141: the maximum block weight. */
export const MAX_BLOCK_WEIGHT = 4_000_000;
/** The maximum serialized size of a block including witness (a consequence of MAX_BLOCK_WEIGHT). */
export const MAX_BLOCK_SERIALIZED_SIZE = 4_000_000;
/** BIP141: the maximum sigop cost in a block (legacy sigops count 4 each). */
export const MAX_BLOCK_SIGOPS_COST = 80_000;
/** Coinbase outputs can be spent only after this many confirmations (counting the coinbase's block). */
export const COINBASE_MATURITY = 100;

/** nLockTime below this is a block height, at or above it a UNIX time (Core's LOCKTIME_THRESHOLD). */
export const LOCKTIME_THRESHOLD = 500_000_000;
/** A block's timestamp may be at most this far past the caller's "now" (Core's MAX_FUTURE_BLOCK_TIME). */
export const MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;
/** BIP94 (testnet4): the first block of a period may not be more than this before its parent. */
export const MAX_TIMEWARP = 600;
/** Median time past is taken over this many blocks (Core's CBlockIndex::nMedianTimeSpan). */
export const MEDIAN_TIME_SPAN = 11;

/** BIP68: an input with this bit set in nSequence has no relative lock. */
export const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;
/** BIP68: with this bit set the relative lock is in units of 512 seconds, otherwise in blocks. */
export const SEQUENCE_LOCKTIME_TYPE_FLAG = 0x00400000;
/** BIP68: the bits of nSequence that hold the relative lock value. */
export const SEQUENCE_LOCKTIME_MASK = 0x0000ffff;
/** BIP68: time locks are in units of 2^9 = 512 seconds. */
export const SEQUENCE_LOCKTIME_GRANULARITY = 9;

/** Flags for calculateSequenceLocks (Core's LOCKTIME_VERIFY_SEQUENCE in consensus/consensus.h). */
export const LOCKTIME_VERIFY_SEQUENCE = 1 << 0;

/** BIP141: coinbase output script prefix of the witness commitment: OP_RETURN, push 36, 0xaa21a9ed. */
export const WITNESS_COMMITMENT_HEADER = Uint8Array.of(0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed);
/** Core's MINIMUM_WITNESS_COMMITMENT: 6 header bytes + 32-byte commitment. */
export const MINIMUM_WITNESS_COMMITMENT = 38;
