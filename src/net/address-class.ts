import type { NetAddress } from './wire/net-address.js';

/**
 * What kind of endpoint an address is (Core's CNetAddr::IsValid, IsLocal, IsRoutable and
 * NetGroupManager::GetGroup, simplified where noted). Addresses gossiped by peers are kept only when
 * routable; loopback and private ranges get in only when an operator (or a test) adds them.
 */

function inV4(b: Uint8Array, a: number, mask: number, prefix: readonly number[]): boolean {
  // Compare the first `mask` bits of b with prefix, starting at byte offset `a`.
  let bits = mask;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const m = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((b[a + i] ?? 0) & m) !== ((prefix[i] ?? 0) & m)) return false;
  }
  return true;
}

const v4 = (b: Uint8Array, bits: number, ...prefix: number[]): boolean => inV4(b, 0, bits, prefix);

export function isLocal(a: NetAddress): boolean {
  const b = a.bytes;
  if (a.network === 'ipv4') return v4(b, 8, 127) || v4(b, 8, 0);
  if (a.network === 'ipv6') return b.every((x, i) => (i === 15 ? x === 1 : x === 0));
  return false;
}

/** Addresses no one can connect to: unspecified, broadcast, documentation prefixes of IPv6. */
export function isValid(a: NetAddress): boolean {
  const b = a.bytes;
  if (a.network === 'ipv4') {
    if (b.every((x) => x === 0) || b.every((x) => x === 0xff)) return false;
    return true;
  }
  if (a.network === 'ipv6') {
    if (b.every((x) => x === 0)) return false;
    if (v4(b, 32, 0x20, 0x01, 0x0d, 0xb8)) return false; // RFC 3849 documentation
    return true;
  }
  return true;
}

function isPrivateOrReserved(a: NetAddress): boolean {
  const b = a.bytes;
  if (a.network === 'ipv4') {
    return (
      v4(b, 8, 10) || // RFC 1918
      v4(b, 12, 172, 16) ||
      v4(b, 16, 192, 168) ||
      v4(b, 15, 198, 18) || // RFC 2544 benchmarking
      v4(b, 16, 169, 254) || // RFC 3927 link-local
      v4(b, 10, 100, 64) || // RFC 6598 shared address space
      v4(b, 24, 192, 0, 2) || // RFC 5737 documentation
      v4(b, 24, 198, 51, 100) ||
      v4(b, 24, 203, 0, 113) ||
      v4(b, 4, 224) || // multicast and reserved 240/4: stricter than Core, no peer lives there
      v4(b, 4, 240)
    );
  }
  if (a.network === 'ipv6') {
    return (
      v4(b, 7, 0xfc) || // RFC 4193 unique local
      v4(b, 64, 0xfe, 0x80, 0, 0, 0, 0, 0, 0) || // RFC 4862 link-local
      v4(b, 28, 0x20, 0x01, 0x00, 0x10) || // RFC 4843 ORCHID
      v4(b, 28, 0x20, 0x01, 0x00, 0x20) || // RFC 7343 ORCHIDv2
      v4(b, 8, 0xff) // multicast (stricter than Core, as above)
    );
  }
  return false;
}

/** Worth gossiping and dialling on the public network. */
export function isRoutable(a: NetAddress): boolean {
  return isValid(a) && !isLocal(a) && !isPrivateOrReserved(a);
}

/**
 * The group an address belongs to, for spreading addrman buckets and outbound connections across
 * operators: /16 for IPv4, /32 for IPv6 (Core also special-cases tunnelling prefixes and uses ASN
 * maps, omitted here), the network plus 4 bits for overlay networks, and one group each for local
 * and unroutable addresses so they can never crowd out routable ones.
 */
export function addressGroup(a: NetAddress): Uint8Array {
  if (isLocal(a)) return Uint8Array.of(0xfe);
  if (!isRoutable(a)) return Uint8Array.of(0xff);
  const b = a.bytes;
  switch (a.network) {
    case 'ipv4':
      return Uint8Array.of(1, b[0]!, b[1]!);
    case 'ipv6':
      return Uint8Array.of(2, b[0]!, b[1]!, b[2]!, b[3]!);
    case 'torv3':
      return Uint8Array.of(4, b[0]! & 0xf0);
    case 'i2p':
      return Uint8Array.of(5, b[0]! & 0xf0);
    case 'cjdns':
      return Uint8Array.of(6, b[1]! & 0xf0);
  }
}
