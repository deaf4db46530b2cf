import { isRoutable } from './address-class.js';
import { parseNetAddress } from './address-text.js';
import { PROTOCOL_VERSION } from './wire/constants.js';
import type { NetAddress } from './wire/net-address.js';
import type { VersionMessage } from './wire/version.js';

/** What we say about ourselves in `version`. */
export interface LocalNodeInfo {
  readonly services: bigint;
  /** BIP14, e.g. `/Tally:0.1.0/`. */
  readonly userAgent: string;
  readonly startHeight: number | (() => number);
  /** BIP37 relay flag: false for blocks-only connections. */
  readonly relay: boolean;
}

const UNSPECIFIED: NetAddress = { network: 'ipv6', bytes: new Uint8Array(16), port: 0 };

/**
 * Our `version` as Core builds it (PushNodeVersion): addr_from is all zeros with our services (it
 * is ignored on receipt), and addr_recv is the peer's address only when it is publicly routable, so
 * a private or local address of the peer is not echoed back over the wire.
 */
export function localVersionMessage(
  local: LocalNodeInfo,
  nonce: bigint,
  remote: { readonly host: string | undefined; readonly port: number | undefined; readonly services: bigint },
  nowSeconds: number,
): VersionMessage {
  const address = parseNetAddress(remote.host ?? '', remote.port ?? 0);
  return {
    command: 'version',
    version: PROTOCOL_VERSION,
    services: local.services,
    timestamp: BigInt(nowSeconds),
    addrRecv: {
      services: remote.services,
      address: address !== undefined && isRoutable(address) ? address : UNSPECIFIED,
    },
    addrFrom: { services: local.services, address: UNSPECIFIED },
    nonce,
    userAgent: local.userAgent,
    startHeight: typeof local.startHeight === 'function' ? local.startHeight() : local.startHeight,
    relay: local.relay,
  };
}
