import { formatHost, formatNetAddress, parseNetAddress } from './address-text.js';
import type { AddrMan } from './addrman.js';
import { ServiceFlags } from './wire/constants.js';
import type { NetAddress } from './wire/net-address.js';

/** manual: -connect / -addnode / addnode add and onetry (Core's MANUAL); automatic: from addrman. */
export type DialType = 'manual' | 'outbound-full-relay';

/** Where to dial: `key` is the normalized `host:port` that identifies the target. */
export interface DialTarget {
  readonly key: string;
  readonly host: string;
  readonly port: number;
  /** Undefined for a host name (resolved by the socket when dialled). */
  readonly address: NetAddress | undefined;
  readonly type: DialType;
}

/** Parses `1.2.3.4:8333`, `[::1]:18444`, `host.example:8333` or a bare host (default port). */
export function parseDialTarget(text: string, defaultPort: number, type: DialType): DialTarget | undefined {
  const address = parseNetAddress(text, defaultPort);
  if (address !== undefined) {
    if (address.network !== 'ipv4' && address.network !== 'ipv6') return undefined;
    return { key: formatNetAddress(address), host: formatHost(address), port: address.port, address, type };
  }
  const m = /^([A-Za-z0-9][A-Za-z0-9.-]{0,252})(?::(\d{1,5}))?$/.exec(text.trim());
  if (m === null) return undefined;
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 0xffff) return undefined;
  const host = m[1]!.toLowerCase();
  return { key: `${host}:${port}`, host, port, address: undefined, type };
}

export interface OutboundDialerOptions {
  /** -connect given: dial only the manual targets, never addrman's (bitcoind -connect). */
  readonly connectOnly: boolean;
  /** Automatic outbound connections to keep (Core's 8 full-relay). */
  readonly maxOutbound: number;
  readonly defaultPort: number;
  /** First retry delay for a manual target; doubles per failure up to maxRetryMs. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

export interface OutboundDialerDeps {
  readonly addrman: AddrMan;
  /** A peer with this key is connected, or a dial to it is in progress. */
  readonly isBusy: (key: string) => boolean;
  readonly isDiscouraged: (host: string) => boolean;
  /** We found this target to be ourselves (version nonce). */
  readonly isSelf: (key: string) => boolean;
  /** Automatic outbound connections open or being dialled. */
  readonly automaticOutbound: () => number;
  readonly dial: (target: DialTarget) => void;
  readonly nowMs: () => number;
}

interface ManualTarget {
  readonly target: DialTarget;
  nextTryMs: number;
  backoffMs: number;
}

/** Draws from addrman per tick before giving up until the next one (Core tries up to 100). */
const MAX_SELECT_TRIES = 100;
const REQUIRED_SERVICES = ServiceFlags.NETWORK | ServiceFlags.WITNESS;

/**
 * Decides whom to dial (Core's ThreadOpenConnections and ThreadOpenAddedConnections): the manual
 * targets first, retried with backoff while not connected, then, unless -connect was given,
 * addresses from addrman until the automatic outbound slots are full. Discouraged hosts and our own
 * address are skipped for automatic connections; manual ones are dialled regardless, as in Core.
 */
export class OutboundDialer {
  private readonly manual = new Map<string, ManualTarget>();
  private readonly retryMs: number;
  private readonly maxRetryMs: number;

  constructor(
    private readonly options: OutboundDialerOptions,
    private readonly deps: OutboundDialerDeps,
  ) {
    this.retryMs = options.retryMs ?? 2_000;
    this.maxRetryMs = options.maxRetryMs ?? 60_000;
  }

  /** Adds a manual target; false when it does not parse or is already there. */
  add(text: string): boolean {
    const target = parseDialTarget(text, this.options.defaultPort, 'manual');
    if (target === undefined || this.manual.has(target.key)) return false;
    this.manual.set(target.key, { target, nextTryMs: 0, backoffMs: this.retryMs });
    return true;
  }

  remove(text: string): boolean {
    const target = parseDialTarget(text, this.options.defaultPort, 'manual');
    return target !== undefined && this.manual.delete(target.key);
  }

  /** The manual targets (bitcoind's getaddednodeinfo). */
  targets(): DialTarget[] {
    return [...this.manual.values()].map((m) => m.target);
  }

  /** A dial to `key` completed its handshake: its retry delay starts over. */
  onConnected(key: string): void {
    const m = this.manual.get(key);
    if (m !== undefined) m.backoffMs = this.retryMs;
  }

  tick(): void {
    const now = this.deps.nowMs();
    for (const m of this.manual.values()) {
      if (this.deps.isBusy(m.target.key) || now < m.nextTryMs) continue;
      m.nextTryMs = now + m.backoffMs;
      m.backoffMs = Math.min(m.backoffMs * 2, this.maxRetryMs);
      this.deps.dial(m.target);
    }
    if (this.options.connectOnly) return;
    let need = this.options.maxOutbound - this.deps.automaticOutbound();
    for (let tries = 0; need > 0 && tries < MAX_SELECT_TRIES; tries++) {
      const entry = this.deps.addrman.select();
      if (entry === undefined) break;
      const target: DialTarget = {
        key: formatNetAddress(entry.address),
        host: formatHost(entry.address),
        port: entry.address.port,
        address: entry.address,
        type: 'outbound-full-relay',
      };
      if (entry.address.network !== 'ipv4' && entry.address.network !== 'ipv6') continue;
      if ((entry.services & REQUIRED_SERVICES) !== REQUIRED_SERVICES) continue;
      if (this.deps.isBusy(target.key) || this.deps.isSelf(target.key)) continue;
      if (this.deps.isDiscouraged(target.host) || this.manual.has(target.key)) continue;
      need--;
      this.deps.dial(target);
    }
  }
}
