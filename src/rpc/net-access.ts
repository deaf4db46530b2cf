import { BlockList, isIP } from 'node:net';

/**
 * Who may talk to the RPC server (bitcoind's InitHTTPAllowList / ClientAllowed): loopback always,
 * plus each -rpcallowip entry: a single address, `network/CIDR` or `network/netmask`, IPv4 or IPv6.
 */
export class RpcAccessConfigError extends Error {
  override readonly name = 'RpcAccessConfigError';
}

export class ClientFilter {
  private readonly list = new BlockList();

  constructor(allowIp: readonly string[]) {
    this.list.addSubnet('127.0.0.0', 8, 'ipv4');
    this.list.addAddress('::1', 'ipv6');
    for (const entry of allowIp) this.add(entry);
  }

  private add(entry: string): void {
    const [net, mask] = entry.split('/') as [string, string | undefined];
    const family = isIP(net);
    if (family === 0) throw invalid(entry);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (mask === undefined) {
      this.list.addAddress(net, type);
      return;
    }
    const prefix = /^\d+$/.test(mask) ? Number(mask) : netmaskPrefix(mask, family);
    if (prefix === undefined || prefix > (family === 4 ? 32 : 128)) throw invalid(entry);
    this.list.addSubnet(net, prefix, type);
  }

  allowed(address: string | undefined): boolean {
    if (address === undefined) return false;
    // An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d.
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (v4 !== undefined) return this.list.check(v4, 'ipv4');
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

function invalid(entry: string): RpcAccessConfigError {
  return new RpcAccessConfigError(
    `Invalid -rpcallowip subnet specification: ${entry}. Valid values are a single IP (e.g. 1.2.3.4), ` +
      'a network/netmask (e.g. 1.2.3.4/255.255.255.0), or a network/CIDR (e.g. 1.2.3.4/24).',
  );
}

/** The prefix length of a contiguous IPv4 netmask (255.255.255.0 -> 24); undefined otherwise. */
function netmaskPrefix(mask: string, family: number): number | undefined {
  if (family !== 4 || isIP(mask) !== 4) return undefined;
  const bits = mask
    .split('.')
    .map((octet) => Number(octet).toString(2).padStart(8, '0'))
    .join('');
  return /^1*0*$/.test(bits) ? (bits.indexOf('0') === -1 ? 32 : bits.indexOf('0')) : undefined;
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address, as -rpcbind takes them. */
export function parseBindAddress(text: string, defaultPort: number): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed !== null) return { host: bracketed[1]!, port: portOf(bracketed[2], defaultPort, text) };
  if (isIP(text) === 6) return { host: text, port: defaultPort };
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { host: text, port: defaultPort };
  return { host: text.slice(0, colon), port: portOf(text.slice(colon + 1), defaultPort, text) };
}

function portOf(text: string | undefined, defaultPort: number, whole: string): number {
  if (text === undefined) return defaultPort;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new RpcAccessConfigError(`Invalid port specified in -rpcbind: '${whole}'`);
  }
  return port;
}
