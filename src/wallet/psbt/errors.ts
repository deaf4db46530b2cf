import { DecodeError } from '../../encoding/errors.js';

/**
 * Every failure of the PSBT code: a decoder that meets malformed bytes, or a role (combiner,
 * finalizer, extractor...) that cannot do its job. The RPC layer maps `code` to Core's RPC error
 * and shows `message`, which copies Bitcoin Core's wording (psbt.h, psbt.cpp) where Core has one,
 * so users can search for it.
 */
export const PSBT_ERROR_CODES = [
  /** Base64 or hex text that does not decode (Core: "invalid base64"). */
  'bad-encoding',
  /** The first five bytes are not `psbt\xff`. */
  'bad-magic',
  /** The bytes end inside a key, a value or a map. */
  'truncated',
  /** Bytes remain after the last output map (Core: "extra data after PSBT"). */
  'extra-data',
  /** The same key appears twice in one map (BIP174 "Handling Duplicated Keys"). */
  'duplicate-key',
  /** A key's key data has the wrong length for its type. */
  'bad-key',
  /** A value does not have the format its type defines. */
  'bad-value',
  /** A version this code does not implement (only version 0 is). */
  'unsupported-version',
  /** A BIP370 (PSBTv2) field inside a version 0 PSBT. */
  'field-not-allowed',
  /** The global unsigned transaction is missing, or has a scriptSig or witness. */
  'bad-unsigned-tx',
  /** The number of input or output maps differs from the unsigned transaction. */
  'map-count-mismatch',
  /**
   * A non-witness UTXO whose txid or output count does not fit the input's outpoint, or PSBTs being
   * combined that disagree on an input's witness UTXO.
   */
  'utxo-mismatch',
  /** An input or output index outside the transaction. */
  'bad-index',
  /** Arguments to a role that can never work (Creator and Updater inputs). */
  'bad-argument',
  /** Combiner: the PSBTs are for different unsigned transactions. */
  'different-transactions',
  /** Extractor: an input is not finalized. */
  'incomplete',
  /** Extractor: an input's UTXO is unknown, so its script cannot be verified. */
  'missing-utxo',
  /** Extractor: a finalized input fails script verification. */
  'script-verify-failed',
] as const;

export type PsbtErrorCode = (typeof PSBT_ERROR_CODES)[number];

export class PsbtError extends Error {
  override readonly name = 'PsbtError';
  constructor(
    readonly code: PsbtErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Turns the shared decoders' DecodeError (truncation, non-canonical CompactSize, oversize lengths,
 * trailing bytes inside a value) into a PsbtError, so callers of the PSBT code catch one type.
 * Core's stream errors read "end of data" and "non-canonical ReadCompactSize()"; the decoders keep
 * Core's wording for the latter.
 */
export function asPsbtError(error: unknown): unknown {
  if (!(error instanceof DecodeError)) return error;
  if (error.code === 'truncated') return new PsbtError('truncated', `end of data (${error.message})`);
  if (error.code === 'trailing-bytes') {
    return new PsbtError('bad-value', 'Size of value was not the stated size');
  }
  return new PsbtError('bad-value', error.message);
}
