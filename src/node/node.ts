import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Chain } from '../chain/chain.js';
import { SignatureVerifyPool } from '../crypto/verify-pool.js';
import { Mempool } from '../mempool/mempool.js';
import { BlockAssembler } from '../mining/block-assembler.js';
import { Miner } from '../mining/miner.js';
import { PeerManager } from '../net/peer-manager.js';
import { WalletManager } from '../wallet/wallet-manager.js';
import { AddressIndex } from './address-index/address-index.js';
import type { NodeConfig } from './config.js';
import { WalletResendTimer } from './wallet-resend-timer.js';
import { isInitialBlockDownload } from '../chain/initial-download.js';

export const USER_AGENT = '/Tally:0.1.0/';

/**
 * The full node: chain, mempool, miner, P2P peers and the signature pool (RPC is attached by the CLI,
 * the layer above).
 * Parts are opened in dependency order and closed in reverse, so a clean stop flushes the chain after
 * everything that could still write to it has stopped. A crash (kill -9) is safe without stop(): the
 * chain's store is consistent after every atomic batch and replays unflushed blocks on open.
 */
export class FullNode {
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly config: NodeConfig,
    readonly chain: Chain,
    readonly mempool: Mempool,
    readonly assembler: BlockAssembler,
    readonly miner: Miner,
    readonly peers: PeerManager,
    private readonly pool: SignatureVerifyPool,
    readonly logger: Logger | undefined,
    readonly startTime: number,
    /** The explorer's address index (-addressindex), building in the background once open. */
    readonly addressIndex: AddressIndex | undefined,
    /** Named wallets (src/wallet), following the chain and the mempool. */
    readonly wallets: WalletManager,
    /** The wallets' periodic rebroadcast to peers (Core's MaybeResendWalletTxs). */
    private readonly walletResend: WalletResendTimer,
  ) {}

  static async open(config: NodeConfig, logger?: Logger): Promise<FullNode> {
    const { network } = config;
    mkdirSync(config.networkDir, { recursive: true, mode: 0o700 });
    const pool = await SignatureVerifyPool.create();
    let chain: Chain | undefined;
    let addressIndex: AddressIndex | undefined;
    let wallets: WalletManager | undefined;
    let peers: PeerManager | undefined;
    try {
      chain = await Chain.open(
        {
          network,
          dataDir: config.datadir,
          txIndex: config.txindex,
          cacheMB: config.dbcache,
          ...(logger ? { logger } : {}),
        },
        { pool },
      );
      const mempool = new Mempool(
        {
          network,
          maxSizeMB: config.maxmempool,
          persistPath: join(config.networkDir, 'mempool.dat'),
          ...(logger ? { logger } : {}),
        },
        { chain },
      );
      const loaded = await mempool.load();
      logger?.info({ module: 'node', transactions: loaded }, 'mempool loaded');
      // After the mempool (wallets follow its events), before peers can feed blocks.
      wallets = await WalletManager.open(
        { networkDir: config.networkDir, ...(logger ? { logger } : {}) },
        // Peers start later; until then (and without them) nothing is relayed.
        { chain, mempool, relay: (txid) => peers?.relayTransaction(txid) ?? false },
      );
      const assembler = new BlockAssembler({ network }, { chain, mempool });
      const miner = new Miner({ network }, { chain, mempool, assembler });
      logger?.info(
        { module: 'node', network: network.name, height: chain.height, tip: chain.tip.hashHex() },
        'chain open',
      );
      peers = new PeerManager(
        {
          network,
          listen: config.listen,
          port: config.port,
          bind: config.bind,
          connect: config.connect,
          addnode: config.addnode,
          maxInbound: config.maxconnections,
          dataDir: config.datadir,
          userAgent: USER_AGENT,
        },
        { chain, mempool, ...(logger ? { logger } : {}) },
      );
      if (config.addressindex) {
        addressIndex = await AddressIndex.open(
          { path: join(config.networkDir, 'indexes', 'address'), ...(logger ? { logger } : {}) },
          { chain },
        );
        addressIndex.start();
      }
      await peers.start();
      const openChain = chain;
      const walletResend = new WalletResendTimer(
        { minDelaySeconds: config.walletrebroadcastdelay, ...(logger ? { logger } : {}) },
        {
          wallets,
          isReadyToBroadcast: () =>
            !isInitialBlockDownload(openChain.tip, network, Math.floor(Date.now() / 1000)),
        },
      );
      walletResend.start();
      return new FullNode(
        config,
        chain,
        mempool,
        assembler,
        miner,
        peers,
        pool,
        logger,
        Math.floor(Date.now() / 1000),
        addressIndex,
        wallets,
        walletResend,
      );
    } catch (err) {
      await addressIndex?.close();
      await wallets?.close();
      await chain?.close();
      await pool.close();
      throw explainOpenError(err, config);
    }
  }

  /** Stops every part once, in reverse order; concurrent callers share the same promise. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.logger?.info({ module: 'node' }, 'shutting down');
      // Before the peers it announces to; waits for a rebroadcast in progress.
      await this.walletResend.stop();
      // Peers first: nothing may feed the chain or the mempool while they are being saved.
      await this.peers.stop();
      await this.miner.close();
      try {
        await this.mempool.save();
      } catch (err) {
        this.logger?.error({ module: 'node', err }, 'could not save the mempool');
      }
      this.mempool.close();
      // Wallets write their last batches before the chain they follow closes.
      await this.wallets.close();
      // Before the chain: the index reads blocks from it between its batches.
      await this.addressIndex?.close();
      await this.chain.close();
      await this.pool.close();
      this.logger?.info({ module: 'node' }, 'stopped');
    })();
    return this.stopping;
  }
}

/**
 * bitcoind's message when another process already uses the data directory. Here that shows as
 * LevelDB's LOCK file being held, which classic-level reports only as "Database failed to open".
 */
function explainOpenError(err: unknown, config: NodeConfig): unknown {
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error && (cause as Error & { code?: unknown }).code === 'LEVEL_LOCKED') {
    return new Error(
      `Cannot obtain a lock on data directory ${config.networkDir}. Tally is probably already running.`,
      { cause: err },
    );
  }
  return err;
}
