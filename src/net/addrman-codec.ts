import { open, readFile, rename, rm } from 'node:fs/promises';
import { equalBytes } from '../encoding/bytes.js';
import { DecodeError } from '../encoding/errors.js';
import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import { hash256 } from '../crypto/hash.js';
import type { AddrEntry } from './addrman-entry.js';
import { AddrMan, type AddrManOptions } from './addrman.js';
import { readCompactSize64, writeCompactSize64 } from './wire/codec-util.js';
import { readAddrV2Address, writeAddrV2Address } from './wire/net-address.js';

/**
 * The address manager's file (Core's peers.dat, in our own format):
 *
 *   "TADR" | version u8 | key (32) | lastGood u32 | count u32 | entry* | checksum (4)
 *   entry: flags u8 (1 = tried) | address | services CompactSize | time u32 | source address |
 *          lastTry u32 | lastCountAttempt u32 | lastSuccess u32 | attempts u32
 *
 * Addresses use the BIP155 form, so every network round-trips. Bucket positions are not stored:
 * they follow from the key, and recomputing them on load means a change of table geometry cannot
 * corrupt anything. The checksum (SHA256d, first 4 bytes) catches a torn or edited file, which the
 * caller treats as Core does a bad peers.dat: start with an empty table.
 */
const MAGIC = Uint8Array.of(0x54, 0x41, 0x44, 0x52); // "TADR"
const FORMAT_VERSION = 1;
/** Smallest entry: flags, two empty addresses (id, length, port), services, five u32 fields. */
const MIN_ENTRY_SIZE = 1 + 4 + 1 + 4 + 4 + 16;

export function serializeAddrMan(addrman: AddrMan): Uint8Array {
  const entries = addrman.entries();
  const w = new BufferWriter(64 + entries.length * 64);
  w.bytes(MAGIC).u8(FORMAT_VERSION).bytes(addrman.key).u32(addrman.lastGood).u32(entries.length);
  for (const e of entries) {
    w.u8(e.tried ? 1 : 0);
    writeAddrV2Address(w, e.address);
    writeCompactSize64(w, e.services);
    w.u32(e.time);
    writeAddrV2Address(w, e.source);
    w.u32(e.lastTry).u32(e.lastCountAttempt).u32(e.lastSuccess).u32(e.attempts);
  }
  const body = w.finish();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  out.set(hash256(body).subarray(0, 4), body.length);
  return out;
}

/** Rebuilds an address manager; throws DecodeError when the bytes are not a valid file. */
export function deserializeAddrMan(bytes: Uint8Array, options: Omit<AddrManOptions, 'key'> = {}): AddrMan {
  if (bytes.length < 4) throw new DecodeError('truncated', 'addrman file too short');
  const body = bytes.subarray(0, bytes.length - 4);
  if (!equalBytes(hash256(body).subarray(0, 4), bytes.subarray(bytes.length - 4))) {
    throw new DecodeError('bad-checksum', 'addrman file checksum mismatch');
  }
  const r = new BufferReader(body);
  if (!equalBytes(r.bytes(4), MAGIC)) throw new DecodeError('bad-format', 'not an addrman file');
  const version = r.u8();
  if (version !== FORMAT_VERSION) throw new DecodeError('bad-format', `addrman format ${version} unknown`);
  const addrman = new AddrMan({ ...options, key: r.bytesCopy(32) });
  addrman.lastGood = r.u32();
  const count = r.u32();
  if (count * MIN_ENTRY_SIZE > r.remaining) throw new DecodeError('truncated', 'entry count exceeds file');
  for (let i = 0; i < count; i++) {
    const tried = (r.u8() & 1) === 1;
    const address = readAddrV2Address(r);
    const services = readCompactSize64(r);
    const time = r.u32();
    const source = readAddrV2Address(r);
    const entry: Omit<AddrEntry, 'address' | 'source'> = {
      services,
      time,
      lastTry: r.u32(),
      lastCountAttempt: r.u32(),
      lastSuccess: r.u32(),
      attempts: r.u32(),
      tried,
    };
    // An address of a network this build no longer knows is dropped, not an error.
    if (address !== undefined && source !== undefined) addrman.restore({ ...entry, address, source });
  }
  r.end();
  return addrman;
}

/** Writes the file atomically: a synced temporary file renamed over the old one. */
export async function saveAddrMan(addrman: AddrMan, path: string): Promise<void> {
  const tmp = `${path}.new`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(serializeAddrMan(addrman));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path).catch(async (err: unknown) => {
    await rm(tmp, { force: true });
    throw err;
  });
}

/**
 * Loads the file, or returns a fresh address manager (and why) when it is missing or invalid, as
 * Core recreates an invalid peers.dat rather than refusing to start.
 */
export async function loadAddrMan(
  path: string,
  options: Omit<AddrManOptions, 'key'> = {},
): Promise<{ addrman: AddrMan; problem?: string }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { addrman: new AddrMan(options) };
    throw err;
  }
  try {
    return { addrman: deserializeAddrMan(bytes, options) };
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return { addrman: new AddrMan(options), problem: err.message };
  }
}
