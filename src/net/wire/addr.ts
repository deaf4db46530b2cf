import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { readCompactSize64, readListLength, writeCompactSize64 } from './codec-util.js';
import { MAX_ADDR_TO_SEND } from './constants.js';
import {
  type NetAddress,
  readAddrV2Address,
  readLegacyAddress,
  writeAddrV2Address,
  writeLegacyAddress,
} from './net-address.js';

/** One gossiped address: when it was last seen, what it serves, where it is. */
export interface PeerAddress {
  /** uint32 UNIX time in seconds the address was last known to be good. */
  readonly time: number;
  readonly services: bigint;
  readonly address: NetAddress;
}

/** Legacy address gossip: IPv4 and IPv6 only. */
export interface AddrMessage {
  readonly command: 'addr';
  readonly addresses: readonly PeerAddress[];
}

/**
 * BIP155 address gossip. Entries Core would drop (unknown networks, embedded IPv4 in IPv6) are
 * skipped while decoding, so `addresses` may be shorter than the count on the wire.
 */
export interface AddrV2Message {
  readonly command: 'addrv2';
  readonly addresses: readonly PeerAddress[];
}

/** Asks for addresses (answered once per connection by Core). */
export interface GetAddrMessage {
  readonly command: 'getaddr';
}

/** BIP155: sent between `version` and `verack` to ask for `addrv2` instead of `addr`. */
export interface SendAddrV2Message {
  readonly command: 'sendaddrv2';
}

/** time (4) + services (8) + address (16) + port (2). */
const ADDR_V1_ENTRY_SIZE = 30;
/** time (4) + services (>= 1) + network (1) + length (>= 1) + port (2). */
const ADDR_V2_MIN_ENTRY_SIZE = 9;

export function encodeAddr(w: BufferWriter, m: AddrMessage): void {
  w.compactSize(m.addresses.length);
  for (const a of m.addresses) {
    w.u32(a.time).u64(a.services);
    writeLegacyAddress(w, a.address);
  }
}

export function decodeAddr(r: BufferReader): AddrMessage {
  const n = readListLength(r, 'addr', MAX_ADDR_TO_SEND, ADDR_V1_ENTRY_SIZE, 'addresses');
  const addresses: PeerAddress[] = [];
  for (let i = 0; i < n; i++) {
    const time = r.u32();
    const services = r.u64();
    addresses.push({ time, services, address: readLegacyAddress(r) });
  }
  return { command: 'addr', addresses };
}

export function encodeAddrV2(w: BufferWriter, m: AddrV2Message): void {
  w.compactSize(m.addresses.length);
  for (const a of m.addresses) {
    w.u32(a.time);
    writeCompactSize64(w, a.services);
    writeAddrV2Address(w, a.address);
  }
}

export function decodeAddrV2(r: BufferReader): AddrV2Message {
  const n = readListLength(r, 'addrv2', MAX_ADDR_TO_SEND, ADDR_V2_MIN_ENTRY_SIZE, 'addresses');
  const addresses: PeerAddress[] = [];
  for (let i = 0; i < n; i++) {
    const time = r.u32();
    const services = readCompactSize64(r);
    const address = readAddrV2Address(r);
    if (address !== undefined) addresses.push({ time, services, address });
  }
  return { command: 'addrv2', addresses };
}
