import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';

/** BIP31 keep-alive: a pong echoes the ping's nonce, which is how latency is matched to a ping. */
export interface PingMessage {
  readonly command: 'ping';
  readonly nonce: bigint;
}

export interface PongMessage {
  readonly command: 'pong';
  readonly nonce: bigint;
}

export function encodeNonce(w: BufferWriter, m: PingMessage | PongMessage): void {
  w.u64(m.nonce);
}

export function decodePing(r: BufferReader): PingMessage {
  return { command: 'ping', nonce: r.u64() };
}

export function decodePong(r: BufferReader): PongMessage {
  return { command: 'pong', nonce: r.u64() };
}
