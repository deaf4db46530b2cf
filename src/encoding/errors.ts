/**
 * The one error type every decoder throws on malformed input. Callers (P2P, RPC, CLI) catch it and
 * turn it into a reject, a penalty or a message; it never escapes as a crash.
 */
export type DecodeErrorCode =
  | 'truncated'
  | 'trailing-bytes'
  | 'non-canonical-compactsize'
  | 'oversized'
  | 'bad-hex'
  | 'bad-base58'
  | 'bad-checksum'
  | 'bad-bech32'
  | 'bad-format';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly code: DecodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
