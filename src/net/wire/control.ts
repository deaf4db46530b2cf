import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';

/**
 * Messages that set how a peer relays to us, and requests that carry no data. Each is small and
 * fixed-size; Core reads the fields it needs and ignores any bytes after them.
 */

/** BIP130: announce new blocks with `headers` instead of `inv`. */
export interface SendHeadersMessage {
  readonly command: 'sendheaders';
}

/** BIP133: do not announce transactions paying less than this fee rate (sat per 1,000 vbytes). */
export interface FeeFilterMessage {
  readonly command: 'feefilter';
  /** int64 as sent; Core ignores a value outside the money range, so the receiver range-checks it. */
  readonly feeRate: bigint;
}

/** BIP339: announce and request transactions by wtxid; only valid between `version` and `verack`. */
export interface WtxidRelayMessage {
  readonly command: 'wtxidrelay';
}

/**
 * BIP152: whether the peer wants high-bandwidth compact block announcements, and which compact block
 * version it speaks (2 = with witnesses). We decode it and may decline by never answering.
 */
export interface SendCmpctMessage {
  readonly command: 'sendcmpct';
  readonly announce: boolean;
  readonly version: bigint;
}

/** BIP35: asks for an `inv` of our mempool. */
export interface MempoolMessage {
  readonly command: 'mempool';
}

export function encodeFeeFilter(w: BufferWriter, m: FeeFilterMessage): void {
  w.i64(m.feeRate);
}

export function decodeFeeFilter(r: BufferReader): FeeFilterMessage {
  return { command: 'feefilter', feeRate: r.i64() };
}

export function encodeSendCmpct(w: BufferWriter, m: SendCmpctMessage): void {
  w.u8(m.announce ? 1 : 0).u64(m.version);
}

export function decodeSendCmpct(r: BufferReader): SendCmpctMessage {
  const announce = r.u8() !== 0;
  return { command: 'sendcmpct', announce, version: r.u64() };
}
