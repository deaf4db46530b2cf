/** Why mining stopped, as a discriminated code (never matched by message text). */
export type MiningErrorCode =
  /** Core's generateBlocks ran out of maxTries; `hashes` holds the blocks mined before that. */
  | 'max-tries'
  /** chain.processBlock refused a block we built (Core: "ProcessNewBlock, block not accepted"). */
  | 'block-rejected'
  /** The coinbase script or tag, or a count, is unusable. */
  | 'bad-request'
  /** A nonce worker crashed, exited or reported a wrong solution; the search pool is unusable. */
  | 'worker-failed'
  /** The miner or its search pool was closed. */
  | 'closed';

export class MiningError extends Error {
  override readonly name = 'MiningError';

  constructor(
    readonly code: MiningErrorCode,
    message: string,
    /** Hashes (internal byte order) of the blocks mined before the error, in order. */
    readonly hashes: readonly Uint8Array[] = [],
  ) {
    super(message);
  }
}
