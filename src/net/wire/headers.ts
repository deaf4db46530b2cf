import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { BlockHeader } from '../../primitives/block-header.js';
import { readListLength } from './codec-util.js';
import { MAX_HEADERS_RESULTS } from './constants.js';

/**
 * Headers-first sync's answer to `getheaders` (and BIP130 block announcements): up to 2,000
 * headers, each followed by a transaction count that is always 0, a relic of serializing them as
 * empty blocks.
 */
export interface HeadersMessage {
  readonly command: 'headers';
  readonly headers: readonly BlockHeader[];
}

/** An 80-byte header and at least one byte of transaction count. */
const MIN_ENTRY_SIZE = 81;

export function encodeHeaders(w: BufferWriter, m: HeadersMessage): void {
  w.compactSize(m.headers.length);
  for (const header of m.headers) {
    header.write(w);
    w.u8(0);
  }
}

/**
 * Core checks the count against 2,000 before reading any header, and reads each transaction count
 * only to skip it ("ignore tx count; assume it is 0"), so a non-zero count is not an error here.
 */
export function decodeHeaders(r: BufferReader): HeadersMessage {
  const n = readListLength(r, 'headers', MAX_HEADERS_RESULTS, MIN_ENTRY_SIZE, 'headers', true);
  const headers = new Array<BlockHeader>(n);
  for (let i = 0; i < n; i++) {
    headers[i] = BlockHeader.read(r);
    r.compactSize();
  }
  return { command: 'headers', headers };
}
