/** What went wrong in the chain's storage or in a caller's request (never a consensus verdict). */
export type ChainErrorCode =
  | 'WRONG_NETWORK'
  | 'SCHEMA_VERSION'
  | 'CORRUPT'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'CLOSED'
  | 'BROKEN';

/**
 * A failure of the chain itself: a store from another network or version, missing or corrupt
 * records, a request for a block that does not exist. Invalid blocks are not errors: they are
 * BlockResult values.
 */
export class ChainError extends Error {
  constructor(
    readonly code: ChainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChainError';
  }
}
