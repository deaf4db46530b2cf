import type { AddrRelay } from './addr-relay.js';
import type { BlockDownload } from './block-download.js';
import type { BlockServer } from './block-server.js';
import type { HeaderSync } from './header-sync.js';
import type { Peer } from './peer.js';
import type { TxRelay } from './tx-relay.js';
import { type InvItem, InvType, MSG_WITNESS_FLAG } from './wire/inventory.js';
import type { NetMessage } from './wire/message.js';

/** The components a peer's messages go to. */
export interface MessageRoutes {
  readonly headerSync: HeaderSync;
  readonly download: BlockDownload;
  readonly server: BlockServer;
  readonly txRelay: TxRelay;
  readonly addrRelay: AddrRelay;
}

function isBlockItem(item: InvItem): boolean {
  return (item.type & ~MSG_WITNESS_FLAG) === InvType.BLOCK;
}

function isTxItem(item: InvItem): boolean {
  const base = item.type & ~MSG_WITNESS_FLAG;
  return base === InvType.TX || base === InvType.WTX;
}

/**
 * Where each message of a peer that completed its handshake goes (Core's ProcessMessage after
 * the handshake part, which PeerConnection handles). Messages we never ask for or do not use
 * (compact blocks, merkleblock, a late `version`) are ignored, as Core ignores unknown ones.
 */
export async function routeMessage(r: MessageRoutes, peer: Peer, m: NetMessage): Promise<void> {
  switch (m.command) {
    case 'headers':
      return r.headerSync.onHeaders(peer, m.headers);
    case 'getheaders':
      return r.server.onGetHeaders(peer, m);
    case 'getblocks':
      return r.server.onGetBlocks(peer, m);
    case 'inv': {
      const blocks = m.items.filter(isBlockItem).map((i) => i.hash);
      if (blocks.length > 0) r.headerSync.onBlockInv(peer, blocks);
      const txs = m.items.filter(isTxItem);
      if (txs.length > 0) r.txRelay.onInv(peer, txs);
      return;
    }
    case 'getdata':
      return r.server.onGetData(peer, m.items, (p, item) => r.txRelay.lookup(p, item));
    case 'notfound':
      r.download.onNotFound(
        peer,
        m.items.filter(isBlockItem).map((i) => i.hash),
      );
      r.txRelay.onNotFound(
        peer,
        m.items.filter(isTxItem).map((i) => i.hash),
      );
      return;
    case 'block':
      return r.download.onBlock(peer, m.block);
    case 'tx':
      return r.txRelay.onTx(peer, m.tx);
    case 'sendheaders':
      peer.sendHeaders = true;
      return;
    case 'feefilter':
      return r.txRelay.onFeeFilter(peer, m.feeRate);
    case 'mempool':
      return r.txRelay.onMempoolRequest(peer);
    case 'addr':
    case 'addrv2':
      return r.addrRelay.onAddr(peer, m.addresses);
    case 'getaddr':
      return r.addrRelay.onGetAddr(peer);
    default:
      return;
  }
}
