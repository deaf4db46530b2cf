import type { NetworkParams } from '../consensus/params.js';
import type { Logger } from 'pino';
import type { FeeRateEstimator, WalletFeeSettings } from './fees/wallet-fee-rate.js';
import type { Keystore, KeystoreOptions } from './keystore/keystore.js';
import type { WalletScripts } from './keychain/wallet-scripts.js';
import type { WalletChain, WalletMempool } from './node-interfaces.js';
import type { WalletCoinList } from './spend/coin-list.js';
import type { SigningKeyCache } from './spend/wallet-keys.js';
import type { BestBlockRecord, ImportedScriptRecord, WalletMetaRecord } from './store/records.js';
import type { WalletDB, WalletDbOp } from './store/wallet-db.js';
import type { TxBook } from './tracking/tx-book.js';
import type { TxTracker } from './tracking/tx-tracker.js';

/** What a wallet is handed from outside when it is loaded: the node's parts, fees, clock and log. */
export interface WalletEnvironment {
  readonly chain: WalletChain;
  readonly mempool: WalletMempool | undefined;
  readonly fees: { readonly settings: WalletFeeSettings; readonly estimator?: FeeRateEstimator };
  /** Unix seconds. */
  readonly now: () => number;
  readonly logger: Logger | undefined;
  /** scrypt parameters for encryptwallet / walletpassphrasechange. */
  readonly kdf: KeystoreOptions;
}

/** What a wallet is made of, shared by the modules implementing its operations. */
export interface WalletState extends WalletEnvironment {
  readonly name: string;
  readonly network: NetworkParams;
  /** `<networkDir>/wallets/<name>` */
  readonly dir: string;
  readonly db: WalletDB;
  /** Absent for wallets without private keys (disablePrivateKeys, blank). */
  keystore: Keystore | undefined;
  meta: WalletMetaRecord;
  readonly scripts: WalletScripts;
  readonly book: TxBook;
  /** The spendable coins, maintained incrementally for the send path. */
  readonly coinList: WalletCoinList;
  readonly tracker: TxTracker;
  /** Address book: address -> label. */
  readonly labels: Map<string, string>;
  /** Imported scripts by script key. */
  readonly imported: Map<string, ImportedScriptRecord>;
  /** lockunspent: outpoint keys. */
  readonly lockedCoins: Set<string>;
  lastBlock: BestBlockRecord | undefined;
  /** Chain keys derived while unlocked (wiped on lock). */
  readonly signingKeys: SigningKeyCache;
}

/**
 * Database writes in call order: chain events arrive synchronously, their batches are queued
 * behind one another so a later batch can never land before an earlier one.
 */
export class WriteQueue {
  #tail: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(
    private readonly db: WalletDB,
    private readonly logger: Logger | undefined,
  ) {}

  write(ops: WalletDbOp[], sync = false): Promise<void> {
    if (ops.length === 0) return this.#tail;
    const run = this.#tail.then(() => this.db.write(ops, sync));
    this.#tail = run.catch((err: unknown) => {
      this.#failure = err;
      this.logger?.error({ module: 'wallet', err }, 'wallet database write failed');
    });
    return run;
  }

  /** Resolves once every queued write is done. */
  async drain(): Promise<void> {
    await this.#tail;
    if (this.#failure !== undefined) {
      const err = this.#failure;
      this.#failure = undefined;
      throw err;
    }
  }
}
