import { equalBytes } from '../../encoding/bytes.js';
import { hash256 } from '../../crypto/hash.js';
import { COMMAND_SIZE, MAX_PROTOCOL_MESSAGE_LENGTH, MESSAGE_HEADER_SIZE } from './constants.js';
import { WireError } from './errors.js';

/**
 * The v1 transport's framing (Core's CMessageHeader and V1Transport): every message is a 24-byte
 * header, magic (4) | command (12, NUL-padded ASCII) | payload length (uint32 LE) | checksum (4),
 * followed by the payload. The checksum is the first 4 bytes of SHA256d(payload).
 */

/** The network's 4 magic bytes, as NetworkParams.messageStart holds them. */
export type Magic = Uint8Array | readonly [number, number, number, number];

function magicBytes(magic: Magic): Uint8Array {
  const bytes = Uint8Array.from(magic);
  if (bytes.length !== 4) throw new RangeError('the network magic is 4 bytes');
  return bytes;
}

export function checksum(payload: Uint8Array): Uint8Array {
  return hash256(payload).subarray(0, 4);
}

/** Printable ASCII (0x20..0x7e), as Core's IsMessageTypeValid allows. */
function isCommandChar(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/**
 * The command in a 12-byte field, or undefined when Core would reject the field: a non-printable
 * byte before the first NUL, or anything but NULs after it.
 */
export function decodeCommand(field: Uint8Array): string | undefined {
  let end = field.indexOf(0);
  if (end === -1) end = field.length;
  for (let i = 0; i < end; i++) if (!isCommandChar(field[i]!)) return undefined;
  for (let i = end; i < field.length; i++) if (field[i] !== 0) return undefined;
  return String.fromCharCode(...field.subarray(0, end));
}

/** Header and payload in one buffer. Misuse (bad command, payload over the limit) is a RangeError. */
export function frameMessage(magic: Magic, command: string, payload: Uint8Array): Uint8Array {
  if (command.length > COMMAND_SIZE) throw new RangeError(`command "${command}" exceeds 12 bytes`);
  if (payload.length > MAX_PROTOCOL_MESSAGE_LENGTH) {
    throw new RangeError(`payload of ${payload.length} bytes exceeds MAX_PROTOCOL_MESSAGE_LENGTH`);
  }
  const out = new Uint8Array(MESSAGE_HEADER_SIZE + payload.length);
  out.set(magicBytes(magic), 0);
  for (let i = 0; i < command.length; i++) {
    const c = command.charCodeAt(i);
    if (!isCommandChar(c)) throw new RangeError(`command "${command}" is not printable ASCII`);
    out[4 + i] = c;
  }
  new DataView(out.buffer).setUint32(16, payload.length, true);
  out.set(checksum(payload), 20);
  out.set(payload, MESSAGE_HEADER_SIZE);
  return out;
}

/** One result of feeding the parser: a complete message, or a message that was dropped. */
export type ParsedFrame =
  | { readonly ok: true; readonly command: string; readonly payload: Uint8Array }
  | { readonly ok: false; readonly error: WireError };

export interface MessageParserOptions {
  /** Largest payload accepted (default and maximum: MAX_PROTOCOL_MESSAGE_LENGTH). */
  readonly maxPayload?: number;
}

interface PendingMessage {
  readonly command: string | undefined;
  readonly length: number;
  readonly checksum: Uint8Array;
}

/**
 * Reassembles messages from the socket's chunks, split wherever TCP split them.
 *
 * Memory is bounded by one message: the length is checked when the header completes, before a
 * payload byte is kept, and payload bytes are copied as they arrive (so a peer trickling bytes
 * cannot pin the socket's larger read buffers). The parser never throws: each complete message is
 * a frame, and every problem is a WireError result. A bad checksum or command drops that one
 * message (Core skips it and reads on); a bad magic or an oversized length is fatal (`error.fatal`):
 * the stream cannot be resynced, so the parser stops and repeats the error on every later feed.
 */
export class MessageParser {
  private readonly magic: Uint8Array;
  private readonly maxPayload: number;
  private readonly header = new Uint8Array(MESSAGE_HEADER_SIZE);
  private headerHave = 0;
  private pending: PendingMessage | undefined;
  private parts: Uint8Array[] = [];
  private payloadHave = 0;
  private failure: WireError | undefined;

  constructor(magic: Magic, options: MessageParserOptions = {}) {
    this.magic = magicBytes(magic);
    this.maxPayload = Math.min(
      options.maxPayload ?? MAX_PROTOCOL_MESSAGE_LENGTH,
      MAX_PROTOCOL_MESSAGE_LENGTH,
    );
  }

  /** Bytes held for the message being assembled (never more than 24 + maxPayload). */
  get bufferedBytes(): number {
    return this.headerHave + this.payloadHave;
  }

  /** The fatal error that stopped this parser, if any. */
  get failed(): WireError | undefined {
    return this.failure;
  }

  feed(chunk: Uint8Array): ParsedFrame[] {
    if (this.failure !== undefined) return [{ ok: false, error: this.failure }];
    const out: ParsedFrame[] = [];
    let off = 0;
    for (;;) {
      if (this.pending === undefined) {
        if (off >= chunk.length) break;
        const take = Math.min(MESSAGE_HEADER_SIZE - this.headerHave, chunk.length - off);
        const before = this.headerHave;
        this.header.set(chunk.subarray(off, off + take), before);
        this.headerHave += take;
        off += take;
        // Check the magic as soon as its 4 bytes are in, so garbage is refused without waiting.
        if (before < 4 && this.headerHave >= 4 && !equalBytes(this.header.subarray(0, 4), this.magic)) {
          return this.fail(out, new WireError('bad-magic', 'Header error: Wrong MessageStart'));
        }
        if (this.headerHave < MESSAGE_HEADER_SIZE) break;
        const error = this.startMessage();
        if (error !== undefined) return this.fail(out, error);
      } else if (this.payloadHave < this.pending.length) {
        if (off >= chunk.length) break;
        const take = Math.min(this.pending.length - this.payloadHave, chunk.length - off);
        this.parts.push(chunk.slice(off, off + take));
        this.payloadHave += take;
        off += take;
      }
      if (this.pending !== undefined && this.payloadHave === this.pending.length) {
        out.push(this.finishMessage(this.pending));
      }
    }
    return out;
  }

  /** Reads a complete header; returns a fatal error or sets `pending`. */
  private startMessage(): WireError | undefined {
    const view = new DataView(this.header.buffer);
    const length = view.getUint32(16, true);
    const command = decodeCommand(this.header.subarray(4, 16));
    if (length > this.maxPayload) {
      return new WireError(
        'oversized',
        `Header error: Size too large (${command ?? '?'}, ${length} bytes)`,
        command,
      );
    }
    this.pending = { command, length, checksum: this.header.slice(20, 24) };
    return undefined;
  }

  private finishMessage(pending: PendingMessage): ParsedFrame {
    const payload = this.parts.length === 1 ? this.parts[0]! : concat(this.parts, pending.length);
    this.pending = undefined;
    this.parts = [];
    this.payloadHave = 0;
    this.headerHave = 0;
    const { command } = pending;
    if (!equalBytes(checksum(payload), pending.checksum)) {
      return { ok: false, error: new WireError('bad-checksum', 'Header error: Wrong checksum', command) };
    }
    if (command === undefined) {
      return { ok: false, error: new WireError('bad-command', 'Header error: Invalid message type') };
    }
    return { ok: true, command, payload };
  }

  private fail(out: ParsedFrame[], error: WireError): ParsedFrame[] {
    this.failure = error;
    this.parts = [];
    this.payloadHave = 0;
    this.headerHave = 0;
    out.push({ ok: false, error });
    return out;
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
