import type { Logger } from 'pino';
import type { ChainEntry } from '../chain/chain-entry.js';
import type { BlockResult } from '../chain/types.js';
import type { MempoolEntry } from '../mempool/entry.js';
import type { Block } from '../primitives/block.js';
import type { AddrRelay } from './addr-relay.js';
import { BlockAnnouncer } from './block-announcer.js';
import { BlockDownload, type BlockDownloadOptions } from './block-download.js';
import { BlockQueue, type QueuedBlock } from './block-queue.js';
import { BlockServer } from './block-server.js';
import { HeaderSync } from './header-sync.js';
import { routeMessage } from './message-router.js';
import type { NetContext, NetMempool } from './net-context.js';
import type { Peer } from './peer.js';
import { SyncProgress, type SyncProgressReport } from './sync-progress.js';
import { TxRelay } from './tx-relay.js';
import { FEEFILTER_VERSION, SENDHEADERS_VERSION } from './wire/constants.js';
import type { NetMessage } from './wire/message.js';

export interface NetProcessingOptions {
  readonly blockDownload?: BlockDownloadOptions;
  readonly headersTimeoutMs?: number;
  readonly progressEveryBlocks?: number;
}

export interface NetProcessingDeps {
  readonly ctx: NetContext;
  readonly mempool: NetMempool;
  /** The address relay of the current address manager (replaced when peers.dat is loaded). */
  readonly addrRelay: () => AddrRelay;
  readonly onProgress: (report: SyncProgressReport) => void;
}

/**
 * What the node does with its peers' messages (Core's net_processing.cpp, as opposed to net.cpp's
 * sockets, which PeerManager keeps): headers-first sync, block download and processing, block
 * announcements, serving our chain, and transaction relay, wired to the chain's and mempool's
 * events. Each job is its own class; this one connects them and owns none of the sockets.
 */
export class NetProcessing {
  private readonly ctx: NetContext;
  private readonly mempool: NetMempool;
  private readonly addrRelay: () => AddrRelay;
  private readonly onProgress: NetProcessingDeps['onProgress'];
  private readonly log: Logger | undefined;
  private readonly queue: BlockQueue;
  private readonly download: BlockDownload;
  private readonly headerSync: HeaderSync;
  private readonly server: BlockServer;
  private readonly announcer: BlockAnnouncer;
  private readonly txRelay: TxRelay;
  private readonly progress: SyncProgress;
  private lastAnnounced: ChainEntry | undefined;
  private running = false;
  private readonly onTip = (entry: ChainEntry): void => {
    this.txRelay.onNewTip();
    this.maybeAnnounce(entry);
  };
  private readonly onConnected = (block: Block, entry: ChainEntry): void =>
    this.onBlockConnected(block, entry);
  private readonly onMempoolTx = (entry: MempoolEntry): void => this.txRelay.onMempoolTx(entry);

  constructor(options: NetProcessingOptions, deps: NetProcessingDeps) {
    this.ctx = deps.ctx;
    this.mempool = deps.mempool;
    this.addrRelay = deps.addrRelay;
    this.onProgress = deps.onProgress;
    this.log = deps.ctx.log;
    this.queue = new BlockQueue({
      chain: this.ctx.chain,
      onResult: (item, result) => this.onBlockResult(item, result),
      onError: (err) => this.log?.error({ err }, 'block processing failed'),
    });
    this.download = new BlockDownload(options.blockDownload ?? {}, this.ctx, this.queue);
    this.headerSync = new HeaderSync({ responseTimeoutMs: options.headersTimeoutMs }, this.ctx, () =>
      this.download.schedule(),
    );
    this.server = new BlockServer(this.ctx.chain);
    this.announcer = new BlockAnnouncer(this.ctx.chain);
    this.txRelay = new TxRelay(this.ctx, this.mempool);
    this.progress = new SyncProgress({
      everyBlocks: options.progressEveryBlocks,
      nowMs: () => this.ctx.nowMs(),
    });
  }

  /** Follows the chain and the mempool. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.ctx.chain.on('tip', this.onTip);
    this.ctx.chain.on('block-connected', this.onConnected);
    this.mempool.on('tx', this.onMempoolTx);
  }

  /** Stops following them, drops queued blocks and waits for the one being processed. */
  async stop(): Promise<void> {
    this.running = false;
    this.ctx.chain.off('tip', this.onTip);
    this.ctx.chain.off('block-connected', this.onConnected);
    this.mempool.off('tx', this.onMempoolTx);
    this.queue.clear();
    this.download.clear();
    await this.queue.idle();
  }

  /** The handshake completed: say how we want blocks and transactions, then start syncing. */
  onReady(peer: Peer): void {
    const remote = peer.remote!;
    if (remote.commonVersion >= SENDHEADERS_VERSION) peer.send({ command: 'sendheaders' });
    if (remote.commonVersion >= FEEFILTER_VERSION) {
      peer.send({ command: 'feefilter', feeRate: BigInt(Math.ceil(this.mempool.minFeeRate())) });
    }
    this.addrRelay().onReady(peer);
    this.headerSync.onReady(peer);
  }

  onPeerClosed(peer: Peer): void {
    this.download.onPeerClosed(peer);
    this.txRelay.onPeerClosed(peer);
  }

  route(peer: Peer, message: NetMessage): Promise<void> {
    return routeMessage(
      {
        headerSync: this.headerSync,
        download: this.download,
        server: this.server,
        txRelay: this.txRelay,
        addrRelay: this.addrRelay(),
      },
      peer,
      message,
    );
  }

  /** Header timeouts, stall detection, requests. */
  tick(): void {
    this.headerSync.tick();
    this.download.tick();
  }

  /** One transaction announcement round. */
  flushTxs(): void {
    this.txRelay.flush();
  }

  /** Core's PeerManager::RelayTransaction (see TxRelay.relayTransaction). */
  relayTransaction(txid: Uint8Array): boolean {
    return this.txRelay.relayTransaction(txid);
  }

  inFlightHeights(peer: Peer): number[] {
    return this.download.inFlightHeights(peer);
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private onBlockResult(item: QueuedBlock, result: BlockResult): void {
    const { peer } = item;
    if (result.status === 'invalid') {
      this.ctx.punish(peer, { kind: 'block', result: result.result, inbound: peer.inbound }, result.reason);
    } else if (result.status === 'orphan') {
      // Its ancestors are unknown to us: ask the sender for the headers in between.
      if (peer.isOpen && peer.headersRequestedAt === undefined) {
        this.headerSync.requestHeaders(peer, this.ctx.chain.bestHeader);
      }
    } else if (result.status === 'connected' || result.status === 'reorganized') {
      peer.noteBlock();
    }
    this.maybeAnnounce(this.ctx.chain.tip);
    this.download.schedule();
  }

  private onBlockConnected(block: Block, entry: ChainEntry): void {
    this.download.onBlockConnected();
    const report = this.progress.onBlockConnected(
      entry.height,
      block.txs.length,
      this.ctx.chain.bestHeader.height,
    );
    if (report === undefined) return;
    this.log?.info(
      {
        height: report.height,
        headers: report.headers,
        progress: Number(report.progress.toFixed(4)),
        blocksPerSecond: Number(report.blocksPerSecond.toFixed(1)),
        txPerSecond: Number(report.txPerSecond.toFixed(1)),
      },
      report.done ? 'block sync caught up' : 'block sync progress',
    );
    this.onProgress(report);
  }

  /**
   * Announces a new tip once we are not catching up: during a download every block would be
   * stale news to peers as soon as it went out, so only the tip at the end is announced. (The
   * chain's `tip` event fires while the queue still holds the block; the queue's result callback
   * announces then.)
   */
  private maybeAnnounce(tip: ChainEntry): void {
    if (!this.running || this.download.busy || tip === this.lastAnnounced) return;
    this.lastAnnounced = tip;
    this.announcer.announce(tip, this.ctx.readyPeers());
  }
}
