import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { readListLength } from './codec-util.js';
import { MAX_LOCATOR_SIZE } from './constants.js';

export type LocatorCommand = 'getheaders' | 'getblocks';

/**
 * `getheaders` (and the older `getblocks`): a block locator, hashes from our tip back to genesis,
 * densest near the tip, so the peer can find the fork point, and a hash to stop at (zero: no stop).
 */
export interface LocatorMessage<C extends LocatorCommand = LocatorCommand> {
  readonly command: C;
  /** The sender's protocol version; Core writes it and ignores it on receipt. */
  readonly version: number;
  /** Internal byte order, newest first. */
  readonly locator: readonly Uint8Array[];
  readonly hashStop: Uint8Array;
}

export function encodeLocator(w: BufferWriter, m: LocatorMessage): void {
  w.u32(m.version).compactSize(m.locator.length);
  for (const hash of m.locator) w.bytes(hash);
  w.bytes(m.hashStop);
}

/** Core disconnects (without discouraging) a peer whose locator has more than 101 entries. */
export function decodeLocator<C extends LocatorCommand>(r: BufferReader, command: C): LocatorMessage<C> {
  const version = r.u32();
  const n = readListLength(r, command, MAX_LOCATOR_SIZE, 32, 'locator hashes');
  const locator = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) locator[i] = r.bytesCopy(32);
  return { command, version, locator, hashStop: r.bytesCopy(32) };
}
