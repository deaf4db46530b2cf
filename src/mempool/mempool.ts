import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Chain } from '../chain/chain.js';
import type { ChainEntry } from '../chain/chain-entry.js';
import { TxValidationResult } from '../consensus/errors.js';
import type { Block } from '../primitives/block.js';
import type { Coin } from '../primitives/coin.js';
import type { OutPoint } from '../primitives/outpoint.js';
import type { Transaction } from '../primitives/transaction.js';
import { DEFAULT_BLOCK_MIN_TX_FEE } from '../policy/constants.js';
import { PolicyReject } from '../policy/reject.js';
import type { EcdsaVerify } from '../script/checker.js';
import { selectPackages } from './block-selection.js';
import type { TipContext } from './chain-view.js';
import { MEMPOOL_HEIGHT, mempoolCoin } from './coin-view.js';
import { hashKey, MempoolEntry } from './entry.js';
import { RollingFeeFloor } from './fee-floor.js';
import { entryInfo, type MempoolEntryInfo, type MempoolInfo, mempoolInfo } from './info.js';
import { Orphanage } from './orphanage.js';
import {
  type MempoolAcceptResult,
  type MempoolOptions,
  type RemovalReason,
  type ResolvedMempoolOptions,
  reject,
  resolveOptions,
} from './options.js';
import { MempoolPersistence } from './persistence.js';
import { PoolIndex } from './pool-index.js';
import { DisconnectedTransactions, spendersOf, staleAfterReorg } from './reorg.js';
import { expiredEntries, trimToSize } from './eviction.js';
import { validateTransaction } from './validate.js';

export interface MempoolEvents {
  /** A transaction entered the pool. */
  tx: [entry: MempoolEntry];
  /** A transaction left the pool, and why. */
  removed: [txid: Uint8Array, reason: RemovalReason];
}

export interface MempoolDeps {
  readonly chain: Chain;
  /** Unix seconds (entry times, expiry, fee-floor decay); default the system clock. */
  readonly now?: () => number;
  /** In [0, 1): picks orphans to evict; default Math.random. */
  readonly random?: () => number;
  /** The curve check for script verification (default: the native secp256k1 adapter). */
  readonly ecdsaVerify?: EcdsaVerify;
}

interface AcceptArgs {
  readonly acceptTime: number;
  /** Reorg re-adds and nothing else: no fee floors, no size limit (Core's bypass_limits). */
  readonly bypassLimits: boolean;
  readonly testAccept: boolean;
}

/** Expiry is checked at most this often: entries live two weeks, a minute of slack costs nothing. */
const EXPIRY_SCAN_INTERVAL = 60;

/**
 * The transaction memory pool (docs/node-architecture.md; Core's CTxMemPool with MemPoolAccept).
 * Validation is synchronous from start to finish, so no chain event can interleave with it; the
 * async signatures leave room for verifying scripts on worker threads later.
 */
export class Mempool extends EventEmitter<MempoolEvents> {
  readonly options: ResolvedMempoolOptions;
  private readonly chain: Chain;
  private readonly pool = new PoolIndex();
  private readonly orphans: Orphanage;
  private readonly floor: RollingFeeFloor;
  private readonly disconnected = new DisconnectedTransactions();
  private readonly deltas = new Map<string, { txid: Uint8Array; delta: number }>();
  private readonly persistence: MempoolPersistence | undefined;
  private readonly log: Logger | undefined;
  private readonly now: () => number;
  private readonly ecdsaVerify: EcdsaVerify | undefined;
  private tipCache: { entry: ChainEntry; ctx: TipContext } | undefined;
  private sequence = 1;
  private nextExpiryScan = 0;
  private loaded: boolean;
  private readonly chainListeners: {
    connected: (block: Block) => void;
    disconnected: (block: Block) => void;
    tip: () => void;
  };

  constructor(options: MempoolOptions, deps: MempoolDeps) {
    super();
    this.options = resolveOptions(options);
    this.chain = deps.chain;
    this.now = deps.now ?? (() => Math.floor(Date.now() / 1000));
    this.ecdsaVerify = deps.ecdsaVerify;
    this.log = options.logger?.child({ module: 'mempool' });
    this.floor = new RollingFeeFloor(this.options.incrementalRelayFeeRate);
    this.orphans = new Orphanage(
      { maxOrphans: this.options.maxOrphans },
      { now: this.now, random: deps.random ?? Math.random },
    );
    this.persistence =
      options.persistPath === undefined ? undefined : new MempoolPersistence(options.persistPath);
    this.loaded = this.persistence === undefined;
    this.chainListeners = {
      connected: (block) => this.onBlockConnected(block),
      disconnected: (block) => this.disconnected.add(block),
      tip: () => this.onTip(),
    };
    this.chain.on('block-connected', this.chainListeners.connected);
    this.chain.on('block-disconnected', this.chainListeners.disconnected);
    this.chain.on('tip', this.chainListeners.tip);
  }

  /** Stops following the chain (the pool's contents stay readable). */
  close(): void {
    this.chain.off('block-connected', this.chainListeners.connected);
    this.chain.off('block-disconnected', this.chainListeners.disconnected);
    this.chain.off('tip', this.chainListeners.tip);
  }

  // Reads.

  get size(): number {
    return this.pool.size;
  }

  has(txid: Uint8Array): boolean {
    return this.pool.get(txid) !== undefined;
  }

  get(txid: Uint8Array): MempoolEntry | undefined {
    return this.pool.get(txid);
  }

  getByWtxid(wtxid: Uint8Array): MempoolEntry | undefined {
    return this.pool.getByWtxid(wtxid);
  }

  /**
   * An output of a pool transaction as a Coin at MEMPOOL_HEIGHT (Core's convention), whether or not
   * another pool transaction spends it: check spender() for that (gettxout does).
   */
  getCoin(outpoint: OutPoint): Coin | undefined {
    return mempoolCoin(this.pool, outpoint, MEMPOOL_HEIGHT);
  }

  spender(outpoint: OutPoint): MempoolEntry | undefined {
    return this.pool.spender(outpoint);
  }

  entries(): Iterable<MempoolEntry> {
    return this.pool.entries();
  }

  hasOrphan(wtxid: Uint8Array): boolean {
    return this.orphans.has(wtxid);
  }

  get orphanCount(): number {
    return this.orphans.size;
  }

  /** Forgets the orphans a peer sent (when it disconnects); returns how many. */
  removeOrphansFrom(peerId: number): number {
    return this.orphans.removeForPeer(peerId);
  }

  /** The current minimum fee rate for entry in sat/kvB (getmempoolinfo's mempoolminfee). */
  minFeeRate(): number {
    return Math.max(this.rollingFloor(), this.options.minRelayFeeRate);
  }

  info(): MempoolInfo {
    return mempoolInfo(this.pool, this.options, this.loaded, this.minFeeRate());
  }

  entryInfo(entry: MempoolEntry): MempoolEntryInfo {
    return entryInfo(entry);
  }

  /**
   * Candidate order for block templates: by ancestor fee rate, ancestors first (see
   * selectPackages). `maxWeight` and `maxSigOpsCost` are what is left after the coinbase.
   */
  selectForBlock(
    maxWeight: number,
    maxSigOpsCost: number,
    options: { minFeeRate?: number } = {},
  ): MempoolEntry[] {
    return selectPackages(this.pool.entries(), maxWeight, maxSigOpsCost, {
      minFeeRate: options.minFeeRate ?? DEFAULT_BLOCK_MIN_TX_FEE,
    });
  }

  // Acceptance.

  /** Validates and adds `tx`; a transaction with unknown inputs is kept as an orphan. */
  async accept(tx: Transaction, source?: { peerId?: number }): Promise<MempoolAcceptResult> {
    return this.acceptNow(tx, source?.peerId);
  }

  /** Full validation without adding (bitcoind's testmempoolaccept); orphans are not kept. */
  async testAccept(tx: Transaction): Promise<MempoolAcceptResult> {
    return this.acceptOne(tx, { acceptTime: this.now(), bypassLimits: false, testAccept: true });
  }

  /** The synchronous core of accept(), for callers that must not yield (tests, benchmarks). */
  acceptNow(tx: Transaction, peerId?: number): MempoolAcceptResult {
    const result = this.acceptOne(tx, { acceptTime: this.now(), bypassLimits: false, testAccept: false });
    if (result.ok) this.acceptOrphansOf(tx);
    else if (result.result === TxValidationResult.MISSING_INPUTS) this.orphans.add(tx, peerId);
    return result;
  }

  /**
   * bitcoind's prioritisetransaction: adds `delta` satoshis to the fee the pool and block selection
   * see (not the fee paid). Kept for transactions not yet in the pool, as Core's mapDeltas.
   */
  prioritiseTransaction(txid: Uint8Array, delta: number): void {
    const key = hashKey(txid);
    const total = (this.deltas.get(key)?.delta ?? 0) + delta;
    if (total === 0) this.deltas.delete(key);
    else this.deltas.set(key, { txid: Uint8Array.from(txid), delta: total });
    const entry = this.pool.getByKey(key);
    if (entry !== undefined) this.pool.applyFeeDelta(entry, delta);
  }

  private acceptOne(tx: Transaction, args: AcceptArgs): MempoolAcceptResult {
    const tip = this.tipContext();
    const checked = validateTransaction(
      {
        pool: this.pool,
        chain: this.chain,
        tip,
        options: this.options,
        minFeeRate: this.rollingFloor(),
        feeDelta: (key) => this.deltas.get(key)?.delta ?? 0,
        ecdsaVerify: this.ecdsaVerify,
      },
      tx,
      args.bypassLimits,
    );
    if ('ok' in checked) return checked;
    const { ws, plan, evicted } = checked;

    const entry = new MempoolEntry(
      tx,
      ws.fee,
      args.acceptTime,
      tip.height,
      ws.sigOpCost,
      ws.vsize,
      ws.spendsCoinbase,
      // Reorg re-adds sort before everything already in the pool, as Core's entry_sequence 0.
      args.bypassLimits ? 0 : this.sequence++,
    );
    entry.feeDelta = ws.modifiedFee - ws.fee;
    const replaced = [...evicted];
    if (args.testAccept) return { ok: true, entry, replaced };

    if (evicted.size > 0) this.removeEntries(evicted, 'replaced');
    this.pool.add(entry, plan.ancestors);
    if (!args.bypassLimits) {
      this.limitSize();
      if (this.pool.get(entry.txid) !== entry) {
        return reject(TxValidationResult.RECONSIDERABLE, PolicyReject.MEMPOOL_FULL);
      }
    }
    this.emit('tx', entry);
    return { ok: true, entry, replaced };
  }

  /** Orphans waiting for `tx` (and then for each orphan accepted in turn) are tried again. */
  private acceptOrphansOf(tx: Transaction): void {
    const queue = [tx];
    for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
      for (const orphan of this.orphans.childrenOf(parent)) {
        const result = this.acceptOne(orphan, {
          acceptTime: this.now(),
          bypassLimits: false,
          testAccept: false,
        });
        if (result.ok) {
          this.orphans.remove(orphan);
          queue.push(orphan);
        } else if (result.result !== TxValidationResult.MISSING_INPUTS) {
          // Invalid for a reason other than another missing parent: it will not get better.
          this.orphans.remove(orphan);
        }
      }
    }
  }

  // Removal.

  private removeEntries(stage: ReadonlySet<MempoolEntry>, reason: RemovalReason): void {
    if (stage.size === 0) return;
    this.pool.remove(stage);
    for (const entry of stage) this.emit('removed', entry.txid, reason);
  }

  /** Removes `entry` with all its descendants (Core's removeRecursive). */
  private removeWithDescendants(entry: MempoolEntry, reason: RemovalReason): void {
    const stage = entry.descendants();
    stage.add(entry);
    this.removeEntries(stage, reason);
  }

  /** Core's LimitMempoolSize: expire old entries, then evict by descendant score to fit the budget. */
  private limitSize(): void {
    const now = this.now();
    if (now >= this.nextExpiryScan) {
      this.nextExpiryScan = now + EXPIRY_SCAN_INTERVAL;
      this.removeEntries(expiredEntries(this.pool, now - this.options.expirySeconds), 'expiry');
    }
    trimToSize(this.pool, this.floor, this.options, (stage) => this.removeEntries(stage, 'sizelimit'));
  }

  private rollingFloor(): number {
    return this.floor.get(this.now(), this.pool.usage, this.options.maxSizeBytes);
  }

  // Following the chain.

  private tipContext(): TipContext {
    const tip = this.chain.tip;
    if (this.tipCache?.entry !== tip) {
      this.tipCache = {
        entry: tip,
        ctx: { height: tip.height, medianTimePast: this.chain.medianTimePast(tip) },
      };
    }
    return this.tipCache.ctx;
  }

  /** Core's removeForBlock: confirmed transactions leave; so do pool transactions spending the same coins. */
  private onBlockConnected(block: Block): void {
    this.disconnected.removeForBlock(block);
    for (const tx of block.txs) {
      const key = hashKey(tx.txid());
      const entry = this.pool.getByKey(key);
      if (entry !== undefined) this.removeEntries(new Set([entry]), 'block');
      for (const input of tx.inputs) {
        const conflict = this.pool.spender(input.prevout);
        if (conflict !== undefined && conflict.key !== key) this.removeWithDescendants(conflict, 'conflict');
      }
      this.deltas.delete(key);
    }
    this.floor.onBlock(this.now());
    this.orphans.removeForBlock(block);
    // Orphans whose missing parent this block confirmed can enter now.
    for (const tx of block.txs) this.acceptOrphansOf(tx);
  }

  /** The chain settled on a new tip: finish any reorganization (Core's MaybeUpdateMempoolForReorg). */
  private onTip(): void {
    if (this.disconnected.isEmpty) return;
    const now = this.now();
    for (const tx of this.disconnected.take()) {
      const result = tx.isCoinbase()
        ? undefined
        : this.acceptOne(tx, { acceptTime: now, bypassLimits: true, testAccept: false });
      if (result === undefined || !result.ok) {
        // Whatever spent its outputs in the pool is now spending nothing.
        for (const spender of spendersOf(this.pool, tx)) this.removeWithDescendants(spender, 'reorg');
      }
    }
    const stale = staleAfterReorg(this.pool, this.chain, this.tipContext());
    this.removeEntries(stale, 'reorg');
    this.limitSize();
    this.log?.debug({ size: this.pool.size }, 'mempool updated after reorg');
  }

  // Persistence.

  /** Writes the pool to `persistPath` (atomically: a temporary file renamed over the old one). */
  async save(): Promise<void> {
    if (this.persistence === undefined) return;
    await this.persistence.save(this.pool.entries(), this.deltas);
  }

  /**
   * Reads `persistPath` and validates every transaction again against the current chain (Core's
   * LoadMempool): expired, invalid or now-confirmed transactions are skipped. Returns how many
   * entered the pool.
   */
  async load(): Promise<number> {
    if (this.persistence === undefined) return 0;
    const accepted = await this.persistence.restore(this.now() - this.options.expirySeconds, {
      prioritise: (txid, delta) => this.prioritiseTransaction(txid, delta),
      accept: (tx, time) =>
        this.acceptOne(tx, { acceptTime: time, bypassLimits: false, testAccept: false }).ok,
      log: this.log,
    });
    this.loaded = true;
    return accepted;
  }
}
