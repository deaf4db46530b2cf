import { DecodeError } from '../../encoding/errors.js';

/**
 * Everything that can be wrong with bytes a peer sent, as one typed error. The parser and the message
 * decoders throw nothing else, so the peer layer has a single place (net/penalty.ts) that decides
 * whether to drop the message, disconnect or discourage.
 *
 * - bad-magic: the header does not start with the network's magic; the stream cannot be resynced.
 * - oversized: the header claims more than MAX_PROTOCOL_MESSAGE_LENGTH bytes.
 * - bad-command: the command field is not NUL-padded printable ASCII (Core drops such a message).
 * - bad-checksum: the payload does not hash to the header's checksum (Core drops such a message).
 * - malformed-payload: the payload does not decode as its command (the inner DecodeError is the cause).
 * - too-many-items: a list is longer than the protocol allows (inv > 50,000, headers > 2,000, ...).
 */
export type WireErrorCode =
  | 'bad-magic'
  | 'oversized'
  | 'bad-command'
  | 'bad-checksum'
  | 'malformed-payload'
  | 'too-many-items';

export const WIRE_ERROR_CODES: readonly WireErrorCode[] = [
  'bad-magic',
  'oversized',
  'bad-command',
  'bad-checksum',
  'malformed-payload',
  'too-many-items',
];

export class WireError extends Error {
  override readonly name = 'WireError';
  constructor(
    readonly code: WireErrorCode,
    message: string,
    /** The message's command when it was known (every code except bad-magic and bad-command). */
    readonly command?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /**
   * True when the byte stream is lost: after a bad magic we cannot find the next header, and an
   * oversized length is never buffered, so the connection must end. Other errors drop one message.
   */
  get fatal(): boolean {
    return this.code === 'bad-magic' || this.code === 'oversized';
  }
}

/**
 * Turns whatever a decoder threw into a WireError. DecodeError is the expected case; anything else
 * (a RangeError from a hostile length, or a bug) is wrapped too, because an exception escaping into
 * the socket handler would take the node down on one peer's bytes. The original stays as `cause`,
 * and the fuzz tests assert it is always a DecodeError, so a bug still fails CI.
 */
export function toWireError(err: unknown, command: string): WireError {
  if (err instanceof WireError) return err;
  const detail = err instanceof DecodeError ? err.message : `unexpected ${String(err)}`;
  return new WireError('malformed-payload', `${command}: ${detail}`, command, { cause: err });
}
