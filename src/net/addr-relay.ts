import type { AddrMan } from './addrman.js';
import type { Peer } from './peer.js';
import type { PeerAddress } from './wire/addr.js';
import { MAX_ADDR_TO_SEND } from './wire/constants.js';

/** Core's MAX_ADDR_RATE_PER_SECOND: a peer's gossip is processed at 0.1 addresses per second. */
const ADDR_RATE_PER_SECOND = 0.1;

/**
 * Address gossip (Core's addr handling in net_processing): addresses peers send go to the address
 * manager, rate limited by a token bucket per peer (one burst of 1,000 after our `getaddr`, then
 * 0.1 per second), and `getaddr` is answered once per inbound connection with a sample of the
 * table. Deviation: received addresses are not forwarded to other peers (Core relays fresh ones to
 * two peers); the network still learns them from `getaddr`.
 */
export class AddrRelay {
  constructor(
    private readonly addrman: AddrMan,
    /** Unix seconds. */
    private readonly now: () => number,
  ) {}

  /** Outbound peers are asked for addresses once (Core: outbound full-relay connections). */
  onReady(peer: Peer): void {
    if (peer.inbound) return;
    peer.send({ command: 'getaddr' });
    peer.addrTokens += MAX_ADDR_TO_SEND;
  }

  onAddr(peer: Peer, addresses: readonly PeerAddress[]): void {
    const now = this.now();
    peer.addrTokens = Math.min(
      peer.addrTokens + (now - peer.addrTokensAt) * ADDR_RATE_PER_SECOND,
      Math.max(peer.addrTokens, MAX_ADDR_TO_SEND),
    );
    peer.addrTokensAt = now;
    const accepted: PeerAddress[] = [];
    for (const a of addresses) {
      if (peer.addrTokens < 1) {
        peer.addrRateLimited++;
        continue;
      }
      peer.addrTokens--;
      peer.addrProcessed++;
      accepted.push(a);
    }
    if (peer.address !== undefined && accepted.length > 0) {
      // Core takes two hours off gossiped times, so second-hand news never looks fresher than it is.
      this.addrman.add(accepted, peer.address, 2 * 60 * 60);
    }
  }

  /** Answered once, and only to inbound peers: outbound answers would let a peer map our links. */
  onGetAddr(peer: Peer): void {
    if (!peer.inbound || peer.answeredGetAddr) return;
    peer.answeredGetAddr = true;
    const sample = this.addrman.sample();
    if (peer.remote?.sendAddrV2 === true) {
      peer.send({ command: 'addrv2', addresses: sample });
      return;
    }
    // Legacy `addr` carries IPv4 and IPv6 only.
    const legacy = sample.filter((a) => a.address.network === 'ipv4' || a.address.network === 'ipv6');
    peer.send({ command: 'addr', addresses: legacy });
  }
}
