import type { ChainEntry } from '../chain/chain-entry.js';
import { MAX_BLOCKS_TO_ANNOUNCE } from './header-sync.js';
import type { NetChain } from './net-context.js';
import type { Peer } from './peer.js';
import { InvType } from './wire/inventory.js';

/**
 * Announces a new tip to peers (Core's SendMessages block announcement part). Peers that sent
 * `sendheaders` (BIP130) get the new headers directly when they connect to a block the peer is
 * known to have and there are at most 8 of them; everyone else, and a longer reorg, gets an `inv`
 * of the tip, which the peer answers with `getheaders`. Blocks a peer already has or told us about
 * are never announced to it.
 */
export class BlockAnnouncer {
  constructor(private readonly chain: Pick<NetChain, 'getAncestor'>) {}

  announce(tip: ChainEntry, peers: Iterable<Peer>): void {
    for (const peer of peers) this.announceTo(peer, tip);
  }

  private announceTo(peer: Peer, tip: ChainEntry): void {
    if (this.peerHas(peer, tip)) return;
    const fresh: ChainEntry[] = [];
    let e: ChainEntry | undefined = tip;
    while (e !== undefined && fresh.length < MAX_BLOCKS_TO_ANNOUNCE && !this.peerHas(peer, e)) {
      fresh.push(e);
      e = e.prev;
    }
    const connects = e !== undefined && this.peerHas(peer, e);
    if (peer.sendHeaders && connects) {
      fresh.reverse();
      peer.send({ command: 'headers', headers: fresh.map((f) => f.header) });
      peer.bestHeaderSent = tip;
    } else {
      peer.send({ command: 'inv', items: [{ type: InvType.BLOCK, hash: tip.hash }] });
    }
    for (const f of fresh) peer.knownBlocks.add(f.key);
  }

  /** The peer has the block: it said so, we sent it, or it is an ancestor of what it has. */
  private peerHas(peer: Peer, entry: ChainEntry): boolean {
    if (entry.height === 0 || peer.knownBlocks.has(entry.key)) return true;
    for (const known of [peer.bestKnown, peer.bestHeaderSent]) {
      if (known !== undefined && known.height >= entry.height) {
        if (this.chain.getAncestor(known, entry.height) === entry) return true;
      }
    }
    return false;
  }
}
