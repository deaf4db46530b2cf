import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type CreateWalletOptions, type WalletApi, WalletError, type WalletManagerApi } from './api.js';
import { FeeFeed } from './fee-feed.js';
import {
  defaultFallbackFee,
  DEFAULT_WALLET_FEE_SETTINGS,
  type WalletFeeSettings,
} from './fees/wallet-fee-rate.js';
import { DEFAULT_KEYPOOL } from './keychain/wallet-scripts.js';
import type { KeystoreOptions } from './keystore/keystore.js';
import { WalletNodeEvents } from './node-events.js';
import type { WalletChain, WalletMempool } from './node-interfaces.js';
import type { ResubmitReport } from './tracking/resubmit.js';
import { Wallet } from './wallet.js';
import { checkRestore, restoreWalletFiles } from './backup.js';
import { checkWalletName, createWalletFiles, walletPaths, walletsOnDisk } from './wallet-files.js';
import { loadWalletState } from './wallet-load.js';
import { WalletSettings } from './wallet-settings.js';

export interface WalletManagerOptions {
  /** `<datadir>/<network>` (main: the datadir): wallets live in its `wallets/` folder. */
  readonly networkDir: string;
  /** Scripts derived ahead on each HD chain (Core's -keypool, default 1000). */
  readonly keypool?: number;
  readonly fees?: Partial<WalletFeeSettings>;
  /** scrypt parameters for new encryption (tests use cheap ones). */
  readonly kdf?: KeystoreOptions;
  /** Unix seconds. */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** Load the wallets listed in settings.json (default true). */
  readonly loadStartupWallets?: boolean;
}

export interface WalletManagerDeps {
  readonly chain: WalletChain;
  readonly mempool?: WalletMempool;
  /**
   * Announces a mempool transaction to peers that do not know it (Core's RelayTransaction); false
   * when it is not in the mempool. Absent: no peers, so no periodic rebroadcast.
   */
  readonly relay?: (txid: Uint8Array) => boolean;
}

/**
 * The node's named wallets (Core's WalletContext with CreateWallet/LoadWallet/UnloadWallet):
 * each in `<networkDir>/wallets/<name>/`, the start-up list in `<networkDir>/settings.json`.
 */
export class WalletManager implements WalletManagerApi {
  readonly walletsDir: string;
  readonly #wallets = new Map<string, Wallet>();
  /** Names being loaded or created, so two calls cannot open one database twice. */
  readonly #busy = new Set<string>();
  readonly #settings: WalletSettings;
  readonly #fees: WalletFeeSettings;
  readonly #feeFeed: FeeFeed;
  readonly #events: WalletNodeEvents;
  readonly #now: () => number;

  private constructor(
    private readonly options: WalletManagerOptions,
    private readonly deps: WalletManagerDeps,
  ) {
    this.walletsDir = join(options.networkDir, 'wallets');
    mkdirSync(this.walletsDir, { recursive: true, mode: 0o700 });
    this.#settings = new WalletSettings(join(options.networkDir, 'settings.json'));
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.#fees = {
      ...DEFAULT_WALLET_FEE_SETTINGS,
      fallbackFee: defaultFallbackFee(deps.chain.network.name),
      ...options.fees,
    };
    this.#feeFeed = new FeeFeed(deps.chain, deps.mempool, this.#now);
    this.#events = new WalletNodeEvents(deps.chain, deps.mempool);
  }

  /** Creates the manager and loads the start-up wallets (a wallet that fails is logged, not fatal). */
  static async open(options: WalletManagerOptions, deps: WalletManagerDeps): Promise<WalletManager> {
    const manager = new WalletManager(options, deps);
    if (options.loadStartupWallets ?? true) {
      for (const name of manager.#settings.startupWallets()) {
        try {
          await manager.load(name);
        } catch (err) {
          options.logger?.error({ module: 'wallet', wallet: name, err }, 'could not load wallet at start-up');
        }
      }
    }
    return manager;
  }

  async #exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (this.#wallets.has(name) || this.#busy.has(name)) {
      throw new WalletError('WALLET_ALREADY_LOADED', `Wallet "${name}" is already loaded.`);
    }
    this.#busy.add(name);
    try {
      return await fn();
    } finally {
      this.#busy.delete(name);
    }
  }

  async create(o: CreateWalletOptions): Promise<WalletApi> {
    checkWalletName(o.name);
    return this.#exclusive(o.name, async () => {
      const tip = this.deps.chain.tip;
      await createWalletFiles(
        this.walletsDir,
        o,
        this.deps.chain.network,
        { hash: tip.hashHex(), height: tip.height },
        this.#now(),
        this.options.kdf,
      );
      const wallet = await this.#open(o.name);
      if (o.loadOnStartup !== undefined) await this.#settings.setStartup(o.name, o.loadOnStartup);
      return wallet;
    });
  }

  async load(name: string, loadOnStartup?: boolean): Promise<WalletApi> {
    checkWalletName(name);
    return this.#exclusive(name, async () => {
      const wallet = await this.#open(name);
      if (loadOnStartup !== undefined) await this.#settings.setStartup(name, loadOnStartup);
      return wallet;
    });
  }

  /**
   * restorewallet (Core's RestoreWallet): writes the backup's files under the new name, then loads
   * the wallet, which rescans from the best block the backup recorded; a wallet that fails to load
   * is removed again.
   */
  async restore(name: string, backupFile: string, loadOnStartup?: boolean): Promise<WalletApi> {
    checkRestore(this.walletsDir, name, backupFile);
    return this.#exclusive(name, async () => {
      await restoreWalletFiles(this.walletsDir, name, backupFile, this.deps.chain.network);
      let wallet: Wallet;
      try {
        wallet = await this.#open(name);
      } catch (e) {
        rmSync(walletPaths(this.walletsDir, name).dir, { recursive: true, force: true });
        throw e;
      }
      if (loadOnStartup !== undefined) await this.#settings.setStartup(name, loadOnStartup);
      return wallet;
    });
  }

  async #open(name: string): Promise<Wallet> {
    const state = await loadWalletState(this.walletsDir, name, {
      chain: this.deps.chain,
      mempool: this.deps.mempool,
      fees: { settings: this.#fees, estimator: this.#feeFeed.estimator },
      now: this.#now,
      logger: this.options.logger?.child({ module: 'wallet', wallet: name }),
      keypool: this.options.keypool ?? DEFAULT_KEYPOOL,
      kdf: this.options.kdf ?? {},
    });
    const wallet = new Wallet(state, this.#events);
    try {
      await wallet.start();
    } catch (e) {
      await wallet.close();
      throw e;
    }
    this.#wallets.set(name, wallet);
    this.options.logger?.info({ module: 'wallet', wallet: name, txs: state.book.txs.size }, 'wallet loaded');
    return wallet;
  }

  async unload(name: string, loadOnStartup?: boolean): Promise<void> {
    const wallet = this.#wallets.get(name);
    if (wallet === undefined) {
      throw new WalletError('WALLET_NOT_FOUND', 'Requested wallet does not exist or is not loaded');
    }
    this.#wallets.delete(name);
    await wallet.close();
    if (loadOnStartup !== undefined) await this.#settings.setStartup(name, loadOnStartup);
  }

  loaded(): readonly string[] {
    return [...this.#wallets.keys()].sort();
  }

  onDisk(): readonly string[] {
    return walletsOnDisk(this.walletsDir);
  }

  get(name: string): Wallet | undefined {
    return this.#wallets.get(name);
  }

  /**
   * Re-announces a loaded wallet's unconfirmed transactions to peers (one wallet's turn of Core's
   * MaybeResendWalletTxs; the node's WalletResendTimer decides when). Undefined when the wallet is
   * not loaded or the node has no peers to relay to.
   */
  async rebroadcast(name: string): Promise<ResubmitReport | undefined> {
    const wallet = this.#wallets.get(name);
    const { relay } = this.deps;
    if (wallet === undefined || relay === undefined) return undefined;
    return wallet.rebroadcast(relay);
  }

  /** Closes every wallet (node shutdown); the start-up list is left as it is. */
  async close(): Promise<void> {
    this.#feeFeed.close();
    const wallets = [...this.#wallets.values()];
    this.#wallets.clear();
    for (const w of wallets) await w.close();
    this.#events.close();
  }
}
