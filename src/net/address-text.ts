import { toHex } from '../encoding/hex.js';
import { type NetAddress, netAddress } from './wire/net-address.js';

/**
 * Text forms of endpoints, for configuration (`-connect=1.2.3.4:8333`), logs and sockets. Only IP
 * literals are parsed: resolving names is the caller's business (DNS seeds, -addnode), not ours.
 */

function formatIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  // RFC 5952: compress the longest run of two or more zero groups (the first, on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The host part: dotted IPv4, RFC 5952 IPv6, or `network:hex` for overlay networks. */
export function formatHost(a: NetAddress): string {
  if (a.network === 'ipv4') return Array.from(a.bytes).join('.');
  if (a.network === 'ipv6') return formatIpv6(a.bytes);
  return `${a.network}:${toHex(a.bytes)}`;
}

/** `1.2.3.4:8333`, `[2001:db8::1]:8333`. */
export function formatNetAddress(a: NetAddress): string {
  return a.network === 'ipv6' ? `[${formatHost(a)}]:${a.port}` : `${formatHost(a)}:${a.port}`;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  let head = text;
  let tail: number[] = [];
  // An embedded dotted IPv4 (::ffff:1.2.3.4) supplies the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  if (left === undefined || right === undefined) return undefined;
  const given = left.length + right.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const groups = [...left, ...new Array<number>(8 - given).fill(0), ...right, ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/**
 * Parses `host`, `host:port`, `[v6]:port` or a bare IPv6 literal. IPv4-mapped IPv6 becomes IPv4,
 * as on the wire. Returns undefined for anything else (including names to be resolved).
 */
export function parseNetAddress(text: string, defaultPort: number): NetAddress | undefined {
  let host = text.trim();
  let port = defaultPort;
  const bracket = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(host);
  if (bracket !== null) {
    host = bracket[1]!;
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if (host.split(':').length === 2) {
    const [h, p] = host.split(':') as [string, string];
    if (!/^\d{1,5}$/.test(p)) return undefined;
    host = h;
    port = Number(p);
  }
  if (port > 0xffff) return undefined;
  const v4 = parseIpv4(host);
  if (v4 !== undefined) return netAddress('ipv4', v4, port);
  const v6 = parseIpv6(host);
  if (v6 === undefined) return undefined;
  const mapped = v6.subarray(0, 12).every((x, i) => x === (i >= 10 ? 0xff : 0));
  return mapped ? netAddress('ipv4', v6.slice(12), port) : netAddress('ipv6', v6, port);
}
