/**
 * Bitcoin Core's reject reason strings, verbatim. They are what a peer, an RPC caller or a log reader
 * sees, and what people search for, so they must match Core byte for byte (the reasons are set in
 * consensus/tx_check.cpp, consensus/tx_verify.cpp and validation.cpp).
 *
 * The reason says *what* rule failed; the result enum in errors.ts says *what to do about it*.
 */
export const Reject = {
  // CheckTransaction (consensus/tx_check.cpp)
  TXNS_VIN_EMPTY: 'bad-txns-vin-empty',
  TXNS_VOUT_EMPTY: 'bad-txns-vout-empty',
  TXNS_OVERSIZE: 'bad-txns-oversize',
  TXNS_VOUT_NEGATIVE: 'bad-txns-vout-negative',
  TXNS_VOUT_TOOLARGE: 'bad-txns-vout-toolarge',
  TXNS_TXOUTTOTAL_TOOLARGE: 'bad-txns-txouttotal-toolarge',
  TXNS_INPUTS_DUPLICATE: 'bad-txns-inputs-duplicate',
  CB_LENGTH: 'bad-cb-length',
  TXNS_PREVOUT_NULL: 'bad-txns-prevout-null',

  // Consensus::CheckTxInputs (consensus/tx_verify.cpp)
  TXNS_INPUTS_MISSINGORSPENT: 'bad-txns-inputs-missingorspent',
  TXNS_PREMATURE_SPEND_OF_COINBASE: 'bad-txns-premature-spend-of-coinbase',
  TXNS_INPUTVALUES_OUTOFRANGE: 'bad-txns-inputvalues-outofrange',
  TXNS_IN_BELOWOUT: 'bad-txns-in-belowout',
  TXNS_FEE_OUTOFRANGE: 'bad-txns-fee-outofrange',

  // Finality: IsFinalTx in ContextualCheckBlock and BIP68 SequenceLocks in ConnectBlock both use
  // bad-txns-nonfinal; the mempool reports a BIP68 failure as non-BIP68-final.
  TXNS_NONFINAL: 'bad-txns-nonfinal',
  NON_BIP68_FINAL: 'non-BIP68-final',

  // CheckBlockHeader / CheckBlock (validation.cpp)
  HIGH_HASH: 'high-hash',
  /**
   * Core's reason for a header whose Merkle root does not match its transactions. (Our issue tracker
   * and some docs say `bad-blk-merkleroot`; that string has never been Core's, so we use Core's.)
   */
  TXNMRKLROOT: 'bad-txnmrklroot',
  /** CVE-2012-2459: a transaction list mutated by duplication that keeps the same Merkle root. */
  TXNS_DUPLICATE: 'bad-txns-duplicate',
  BLK_LENGTH: 'bad-blk-length',
  CB_MISSING: 'bad-cb-missing',
  CB_MULTIPLE: 'bad-cb-multiple',
  BLK_SIGOPS: 'bad-blk-sigops',

  // ContextualCheckBlockHeader
  DIFFBITS: 'bad-diffbits',
  TIME_TOO_OLD: 'time-too-old',
  TIME_TOO_NEW: 'time-too-new',
  TIME_TIMEWARP_ATTACK: 'time-timewarp-attack',
  /** Prefix of `bad-version(0x%08x)`; build the full reason with badVersionReason(). */
  VERSION_PREFIX: 'bad-version',

  // ContextualCheckBlock / CheckWitnessMalleation
  CB_HEIGHT: 'bad-cb-height',
  WITNESS_NONCE_SIZE: 'bad-witness-nonce-size',
  WITNESS_MERKLE_MATCH: 'bad-witness-merkle-match',
  UNEXPECTED_WITNESS: 'unexpected-witness',
  BLK_WEIGHT: 'bad-blk-weight',

  // ConnectBlock
  TXNS_BIP30: 'bad-txns-BIP30',
  TXNS_ACCUMULATED_FEE_OUTOFRANGE: 'bad-txns-accumulated-fee-outofrange',
  CB_AMOUNT: 'bad-cb-amount',

  // Header acceptance (AcceptBlockHeader)
  PREVBLK: 'bad-prevblk',
  PREV_BLK_NOT_FOUND: 'prev-blk-not-found',

  /**
   * Prefixes of `<prefix> (<script error text>)`. CheckInputScripts (Core up to v29, and the wording
   * our transaction-level API keeps) says mandatory-script-verify-flag-failed; Core v30's block
   * validation says block-script-verify-flag-failed. Build them with scriptFailureReason().
   */
  MANDATORY_SCRIPT_VERIFY_FLAG_FAILED: 'mandatory-script-verify-flag-failed',
  BLOCK_SCRIPT_VERIFY_FLAG_FAILED: 'block-script-verify-flag-failed',
} as const;

export type RejectKey = keyof typeof Reject;
export type FixedRejectReason = (typeof Reject)[RejectKey];
/** A reject reason: one of the constants, or one built from a prefix by the helpers below. */
export type RejectReason =
  | FixedRejectReason
  | `${typeof Reject.VERSION_PREFIX}(${string})`
  | `${string}-script-verify-flag-failed (${string})`;

/** Core's "0x%08x" of a 32-bit field (negative versions print as their unsigned bits). */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** Core: strprintf("bad-version(0x%08x)", block.nVersion). */
export function badVersionReason(version: number): RejectReason {
  return `${Reject.VERSION_PREFIX}(${hex32(version)})`;
}

/** Core: strprintf("%s (%s)", prefix, ScriptErrorString(err)). */
export function scriptFailureReason(
  prefix: typeof Reject.MANDATORY_SCRIPT_VERIFY_FLAG_FAILED | typeof Reject.BLOCK_SCRIPT_VERIFY_FLAG_FAILED,
  scriptErrorText: string,
): RejectReason {
  return `${prefix} (${scriptErrorText})`;
}
