import type { ChainEntry } from '../chain/chain-entry.js';
import type { MempoolEntry } from '../mempool/entry.js';
import type { Block } from '../primitives/block.js';
import type { WalletChain, WalletMempool } from './node-interfaces.js';

/** What one wallet hears from the node (Core's CValidationInterface slice the wallet uses). */
export interface WalletNodeListener {
  blockConnected(block: Block, entry: ChainEntry): void;
  blockDisconnected(block: Block, entry: ChainEntry): void;
  transactionAdded(entry: MempoolEntry): void;
  transactionRemoved(txid: Uint8Array): void;
}

/**
 * One subscription to the chain and the mempool for all loaded wallets, dispatched to each (Core's
 * validation interface has one queue too). A listener per wallet per event on the node's emitters
 * tripped Node's MaxListenersExceededWarning past ten wallets, and every wallet loaded added four.
 * Dispatch follows the order wallets were added, synchronously, as the emitters call.
 */
export class WalletNodeEvents {
  readonly #listeners = new Set<WalletNodeListener>();
  readonly #handlers: {
    connected: (block: Block, entry: ChainEntry) => void;
    disconnected: (block: Block, entry: ChainEntry) => void;
    tx: (entry: MempoolEntry) => void;
    removed: (txid: Uint8Array) => void;
  };

  constructor(
    private readonly chain: WalletChain,
    private readonly mempool: WalletMempool | undefined,
  ) {
    this.#handlers = {
      connected: (block, entry) => {
        for (const l of this.#listeners) l.blockConnected(block, entry);
      },
      disconnected: (block, entry) => {
        for (const l of this.#listeners) l.blockDisconnected(block, entry);
      },
      tx: (entry) => {
        for (const l of this.#listeners) l.transactionAdded(entry);
      },
      removed: (txid) => {
        for (const l of this.#listeners) l.transactionRemoved(txid);
      },
    };
    chain.on('block-connected', this.#handlers.connected);
    chain.on('block-disconnected', this.#handlers.disconnected);
    mempool?.on('tx', this.#handlers.tx);
    mempool?.on('removed', this.#handlers.removed);
  }

  add(listener: WalletNodeListener): void {
    this.#listeners.add(listener);
  }

  remove(listener: WalletNodeListener): void {
    this.#listeners.delete(listener);
  }

  close(): void {
    this.#listeners.clear();
    this.chain.off('block-connected', this.#handlers.connected);
    this.chain.off('block-disconnected', this.#handlers.disconnected);
    this.mempool?.off('tx', this.#handlers.tx);
    this.mempool?.off('removed', this.#handlers.removed);
  }
}
