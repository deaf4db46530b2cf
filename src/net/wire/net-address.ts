import { equalBytes } from '../../encoding/bytes.js';
import { DecodeError } from '../../encoding/errors.js';
import { toHex } from '../../encoding/hex.js';
import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { MAX_ADDRV2_SIZE } from './constants.js';

/**
 * Peer addresses as the wire carries them: the 16-byte legacy form of `version` and `addr` (IPv4
 * mapped into IPv6), and BIP155's tagged form of `addrv2`, which also carries Tor v3, I2P and CJDNS.
 */
export type NetworkKind = 'ipv4' | 'ipv6' | 'torv3' | 'i2p' | 'cjdns';

/** BIP155 network ids. Tor v2 (3) is gone from the network, so it decodes as unknown, as in Core. */
export const BIP155_NETWORK_ID: Readonly<Record<NetworkKind, number>> = {
  ipv4: 1,
  ipv6: 2,
  torv3: 4,
  i2p: 5,
  cjdns: 6,
};

const ADDRESS_SIZE: Readonly<Record<NetworkKind, number>> = {
  ipv4: 4,
  ipv6: 16,
  torv3: 32,
  i2p: 32,
  cjdns: 16,
};

const NETWORK_BY_ID = new Map<number, NetworkKind>(
  Object.entries(BIP155_NETWORK_ID).map(([k, v]) => [v, k as NetworkKind]),
);

/** An endpoint: the network, its raw address bytes (4, 16 or 32 of them) and the TCP port. */
export interface NetAddress {
  readonly network: NetworkKind;
  readonly bytes: Uint8Array;
  readonly port: number;
}

/** A NetAddress after checking the byte length for its network; misuse is a RangeError. */
export function netAddress(network: NetworkKind, bytes: Uint8Array, port: number): NetAddress {
  if (bytes.length !== ADDRESS_SIZE[network]) {
    throw new RangeError(`${network} address needs ${ADDRESS_SIZE[network]} bytes, got ${bytes.length}`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new RangeError(`bad port ${port}`);
  return { network, bytes, port };
}

export function ipv4(a: number, b: number, c: number, d: number, port: number): NetAddress {
  return netAddress('ipv4', Uint8Array.of(a, b, c, d), port);
}

export function sameNetAddress(a: NetAddress, b: NetAddress): boolean {
  return a.network === b.network && a.port === b.port && equalBytes(a.bytes, b.bytes);
}

/** A map key naming the endpoint (network, bytes and port), as Core's addrman keys by CService. */
export function netAddressKey(a: NetAddress): string {
  return `${BIP155_NETWORK_ID[a.network]}/${toHex(a.bytes)}/${a.port}`;
}

/** ::ffff:0:0/96, the IPv4-mapped prefix of the legacy encoding (RFC 4291). */
const IPV4_IN_IPV6_PREFIX = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);
/** fd87:d87e:eb43::/48, OnionCat: how Tor v2 addresses travelled in the legacy form. */
const TORV2_IN_IPV6_PREFIX = Uint8Array.of(0xfd, 0x87, 0xd8, 0x7e, 0xeb, 0x43);
/** fd6b:88c0:8724::/48, Core's internal pseudo-addresses for DNS seeds; never real endpoints. */
const INTERNAL_IN_IPV6_PREFIX = Uint8Array.of(0xfd, 0x6b, 0x88, 0xc0, 0x87, 0x24);

function hasPrefix(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && equalBytes(bytes.subarray(0, prefix.length), prefix);
}

/** True when the legacy 16-byte form can carry this address (IPv4 and IPv6 only). */
export function isLegacyRepresentable(a: NetAddress): boolean {
  return a.network === 'ipv4' || a.network === 'ipv6';
}

/** The 16-byte legacy address field (no port). */
export function legacyAddressBytes(a: NetAddress): Uint8Array {
  if (a.network === 'ipv4') {
    const out = new Uint8Array(16);
    out.set(IPV4_IN_IPV6_PREFIX);
    out.set(a.bytes, 12);
    return out;
  }
  if (a.network === 'ipv6') return a.bytes;
  throw new RangeError(`a ${a.network} address has no legacy (addr v1) encoding: use addrv2`);
}

/** 16-byte address then the port, big-endian (network byte order, unlike the rest of the protocol). */
export function writeLegacyAddress(w: BufferWriter, a: NetAddress): void {
  w.bytes(legacyAddressBytes(a)).u16be(a.port);
}

export function readLegacyAddress(r: BufferReader): NetAddress {
  const raw = r.bytesCopy(16);
  const port = r.u16be();
  if (hasPrefix(raw, IPV4_IN_IPV6_PREFIX)) return { network: 'ipv4', bytes: raw.slice(12), port };
  return { network: 'ipv6', bytes: raw, port };
}

/** BIP155 body of one address: network id, CompactSize-prefixed bytes, port. */
export function writeAddrV2Address(w: BufferWriter, a: NetAddress): void {
  w.u8(BIP155_NETWORK_ID[a.network]).varBytes(a.bytes).u16be(a.port);
}

/**
 * Reads one BIP155 address. Returns undefined for an address Core would keep as invalid and never
 * use: an unknown network id (skipped, "maybe from the future"), IPv6 carrying an IPv4, OnionCat or
 * internal address, or CJDNS outside fc00::/8. A known id with the wrong length is malformed.
 */
export function readAddrV2Address(r: BufferReader): NetAddress | undefined {
  const id = r.u8();
  const size = r.compactSize();
  if (size > MAX_ADDRV2_SIZE)
    throw new DecodeError('oversized', `Address too long: ${size} > ${MAX_ADDRV2_SIZE}`);
  const bytes = r.bytesCopy(size);
  const port = r.u16be();
  const network = NETWORK_BY_ID.get(id);
  if (network === undefined) return undefined;
  if (size !== ADDRESS_SIZE[network]) {
    throw new DecodeError(
      'bad-format',
      `BIP155 ${network} address with length ${size} (should be ${ADDRESS_SIZE[network]})`,
    );
  }
  if (
    network === 'ipv6' &&
    (hasPrefix(bytes, IPV4_IN_IPV6_PREFIX) ||
      hasPrefix(bytes, TORV2_IN_IPV6_PREFIX) ||
      hasPrefix(bytes, INTERNAL_IN_IPV6_PREFIX))
  ) {
    return undefined;
  }
  if (network === 'cjdns' && bytes[0] !== 0xfc) return undefined;
  return { network, bytes, port };
}
