import type { ChainEntry } from '../chain/chain-entry.js';
import type { MempoolEntry } from '../mempool/entry.js';
import type { RemovalReason } from '../mempool/options.js';
import type { Block } from '../primitives/block.js';
import { OutPoint } from '../primitives/outpoint.js';
import { FeeEstimator } from './fees/estimator.js';
import type { WalletChain, WalletMempool } from './node-interfaces.js';

/** Blocks older than this are history being synced: they say nothing about today's fees. */
const RECENT_BLOCK_SECONDS = 24 * 60 * 60;

/**
 * Feeds the wallet's fee estimator from the node (Core's CBlockPolicyEstimator is fed by the
 * mempool's validation interface): transactions entering the pool, leaving it unconfirmed, and
 * the blocks confirming them. Only recent blocks count, so initial sync costs nothing here.
 */
export class FeeFeed {
  readonly estimator = new FeeEstimator();
  readonly #listeners: {
    tx: (entry: MempoolEntry) => void;
    removed: (txid: Uint8Array, reason: RemovalReason) => void;
    connected: (block: Block, entry: ChainEntry) => void;
  };

  constructor(
    private readonly chain: WalletChain,
    private readonly mempool: WalletMempool | undefined,
    now: () => number,
  ) {
    this.#listeners = {
      tx: (entry) => this.estimator.processEntry(entry.key, (entry.fee * 1000) / entry.vsize, chain.height),
      removed: (txid, reason) => {
        if (reason !== 'block') this.estimator.removeEntry(OutPoint.keyPrefix(txid));
      },
      connected: (block, entry) => {
        if (block.header.time < now() - RECENT_BLOCK_SECONDS) return;
        this.estimator.processBlock(
          entry.height,
          block.txs.map((tx) => OutPoint.keyPrefix(tx.txid())),
        );
      },
    };
    mempool?.on('tx', this.#listeners.tx);
    mempool?.on('removed', this.#listeners.removed);
    chain.on('block-connected', this.#listeners.connected);
  }

  close(): void {
    this.mempool?.off('tx', this.#listeners.tx);
    this.mempool?.off('removed', this.#listeners.removed);
    this.chain.off('block-connected', this.#listeners.connected);
  }
}
