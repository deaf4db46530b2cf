import { DecodeError } from '../../encoding/errors.js';
import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { MAX_SUBVERSION_LENGTH } from './constants.js';
import { type NetAddress, readLegacyAddress, writeLegacyAddress } from './net-address.js';

/** An address inside `version`: services then the legacy address (no timestamp, unlike `addr`). */
export interface VersionAddress {
  readonly services: bigint;
  readonly address: NetAddress;
}

/** The handshake's first message: who we are, what we serve, how far our chain goes. */
export interface VersionMessage {
  readonly command: 'version';
  /** int32 protocol version. */
  readonly version: number;
  /** uint64 ServiceFlags. */
  readonly services: bigint;
  /** int64 UNIX time in seconds (bigint: the field is 64-bit and a peer may send anything). */
  readonly timestamp: bigint;
  /** The address of the node receiving the message, as the sender sees it. */
  readonly addrRecv: VersionAddress;
  /** The sender's own address; Core sends zeros and ignores it on receipt. */
  readonly addrFrom: VersionAddress;
  /** uint64 random nonce that detects connections to ourselves. */
  readonly nonce: bigint;
  /** BIP14 user agent, at most 256 bytes of UTF-8. */
  readonly userAgent: string;
  /** int32 height of the sender's best chain. */
  readonly startHeight: number;
  /** BIP37: false asks the peer not to announce transactions until a filter is loaded. */
  readonly relay: boolean;
}

export interface VerackMessage {
  readonly command: 'verack';
}

function writeVersionAddress(w: BufferWriter, a: VersionAddress): void {
  w.u64(a.services);
  writeLegacyAddress(w, a.address);
}

function readVersionAddress(r: BufferReader): VersionAddress {
  const services = r.u64();
  return { services, address: readLegacyAddress(r) };
}

export function encodeVersion(w: BufferWriter, m: VersionMessage): void {
  const agent = new TextEncoder().encode(m.userAgent);
  if (agent.length > MAX_SUBVERSION_LENGTH) {
    throw new RangeError(`user agent is ${agent.length} bytes (limit ${MAX_SUBVERSION_LENGTH})`);
  }
  w.i32(m.version).u64(m.services).i64(m.timestamp);
  writeVersionAddress(w, m.addrRecv);
  writeVersionAddress(w, m.addrFrom);
  w.u64(m.nonce)
    .varBytes(agent)
    .i32(m.startHeight)
    .u8(m.relay ? 1 : 0);
}

const UNSPECIFIED: VersionAddress = {
  services: 0n,
  address: { network: 'ipv6', bytes: new Uint8Array(16), port: 0 },
};

/**
 * Reads `version` as Core's ProcessMessage does: the fields after addr_recv were added over the
 * years and are each read only when bytes remain (an absent relay flag means true, as before
 * BIP37). The user agent is limited to 256 bytes, Core's LIMITED_STRING.
 */
export function decodeVersion(r: BufferReader): VersionMessage {
  const version = r.i32();
  const services = r.u64();
  const timestamp = r.i64();
  const addrRecv = readVersionAddress(r);
  let addrFrom = UNSPECIFIED;
  let nonce = 0n;
  let userAgent = '';
  let startHeight = 0;
  let relay = true;
  if (r.remaining > 0) {
    addrFrom = readVersionAddress(r);
    nonce = r.u64();
  }
  if (r.remaining > 0) {
    const length = r.compactSize();
    if (length > MAX_SUBVERSION_LENGTH) throw new DecodeError('oversized', 'String length limit exceeded');
    // Not fatal on invalid UTF-8: Core keeps any bytes and only sanitizes them for display.
    userAgent = new TextDecoder('utf-8').decode(r.bytes(length));
  }
  if (r.remaining > 0) startHeight = r.i32();
  if (r.remaining > 0) relay = r.u8() !== 0;
  return {
    command: 'version',
    version,
    services,
    timestamp,
    addrRecv,
    addrFrom,
    nonce,
    userAgent,
    startHeight,
    relay,
  };
}
