import type { ChainEntry } from '../../chain/chain-entry.js';
import type { Block } from '../../primitives/block.js';
import { OutPoint } from '../../primitives/outpoint.js';
import type { Transaction } from '../../primitives/transaction.js';
import { bestBlockKey } from '../layout.js';
import { type OwnedScript, scriptKey } from '../keychain/owned-script.js';
import type { WalletScripts } from '../keychain/wallet-scripts.js';
import type { BestBlockRecord } from '../store/records.js';
import { put, type WalletDbOp } from '../store/wallet-db.js';
import type { TxBook, WalletTxState } from './tx-book.js';
import { txRecordOp } from './tx-record.js';

/**
 * Keeps the wallet's transactions in step with the chain and the mempool (Core's
 * SyncTransaction / blockConnected / blockDisconnected / transactionAddedToMempool): records the
 * transactions that pay to or spend from the wallet, their block positions, conflicts, and the last
 * processed block. Everything here is synchronous; each call returns the database writes that
 * must be applied together.
 */
export class TxTracker {
  constructor(
    private readonly book: TxBook,
    private readonly scripts: WalletScripts,
    private readonly now: () => number,
  ) {}

  /** Outputs of `tx` that pay the wallet, marking their HD keys used (and topping up). */
  #credits(tx: Transaction, ops: WalletDbOp[]): Map<number, OwnedScript> {
    const credits = new Map<number, OwnedScript>();
    const outputs = tx.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const script = outputs[i]!.scriptPubKey;
      // Most outputs of a block are not the wallet's: a length it has no script of rules them out
      // without building a key.
      if (!this.scripts.hasLength(script.length)) continue;
      const owned = this.scripts.get(scriptKey(script));
      if (owned === undefined) continue;
      credits.set(i, owned);
      const moved = this.scripts.markUsed(owned);
      if (moved !== undefined) ops.push(moved.indexOp());
    }
    return credits;
  }

  /** Whether any input spends a wallet output or competes with a wallet transaction. */
  #touchesWallet(tx: Transaction): boolean {
    if (tx.isCoinbase()) return false;
    for (const input of tx.inputs) {
      const k = input.prevout.key();
      if (this.book.outputs.has(k) || this.book.spends.has(k)) return true;
    }
    return false;
  }

  #newState(tx: Transaction, credits: Map<number, OwnedScript>, time: number): WalletTxState {
    const txid = tx.txid();
    return {
      tx,
      txid,
      key: OutPoint.keyPrefix(txid),
      txidHex: tx.txidHex(),
      timeReceived: this.now(),
      time,
      block: undefined,
      conflict: undefined,
      inMempool: false,
      orderPos: this.book.nextOrderPos(),
      credits,
    };
  }

  /**
   * A transaction entered the mempool (or the wallet broadcast it). Returns its state when it
   * involves the wallet.
   */
  fromMempool(
    tx: Transaction,
    ops: WalletDbOp[],
    extra: Pick<WalletTxState, 'comment' | 'commentTo'> = {},
  ): WalletTxState | undefined {
    const known = this.book.get(OutPoint.keyPrefix(tx.txid()));
    const credits = this.#credits(tx, ops);
    if (known !== undefined) {
      known.inMempool = true;
      // Back in the mempool (rebroadcast, or a reorg): no longer abandoned, as in Core.
      if (known.abandoned === true) {
        known.abandoned = false;
        this.moved(known, ops);
      }
      this.book.mergeCredits(known, credits);
      return known;
    }
    const spendsOurs = this.#spendsOurs(tx);
    if (credits.size === 0 && !spendsOurs) return undefined;
    const wtx = this.#newState(tx, credits, this.now());
    wtx.inMempool = true;
    if (extra.comment !== undefined) wtx.comment = extra.comment;
    if (extra.commentTo !== undefined) wtx.commentTo = extra.commentTo;
    this.book.add(wtx);
    ops.push(txRecordOp(wtx));
    return wtx;
  }

  #spendsOurs(tx: Transaction): boolean {
    if (tx.isCoinbase()) return false;
    for (const input of tx.inputs) if (this.book.outputs.has(input.prevout.key())) return true;
    return false;
  }

  /** Queues the record of a transaction whose state the caller changed. */
  touch(wtx: WalletTxState, ops: WalletDbOp[]): void {
    ops.push(txRecordOp(wtx));
  }

  removedFromMempool(txid: Uint8Array): void {
    const wtx = this.book.get(OutPoint.keyPrefix(txid));
    if (wtx !== undefined) wtx.inMempool = false;
  }

  /** The caller changed a transaction's block position or conflict: queue its record, rebuild coin lists. */
  moved(wtx: WalletTxState, ops: WalletDbOp[]): void {
    this.book.markCoinsChanged();
    ops.push(txRecordOp(wtx));
  }

  /**
   * A block joined the active chain: record its wallet transactions as confirmed, and mark wallet
   * transactions that spend the same coins (and their descendants) conflicted.
   */
  connectBlock(block: Block, entry: ChainEntry, ops: WalletDbOp[], recordBest = true): number {
    let found = 0;
    const hash = entry.hashHex();
    const txs = block.txs;
    for (let index = 0; index < txs.length; index++) {
      const tx = txs[index]!;
      const touches = this.#touchesWallet(tx);
      const credits = this.#credits(tx, ops);
      if (!touches && credits.size === 0) continue;
      const key = OutPoint.keyPrefix(tx.txid());
      if (touches) this.#markConflicts(tx, key, entry.height, hash, ops);
      let wtx = this.book.get(key);
      let changed = false;
      if (wtx === undefined) {
        if (credits.size === 0 && !this.#spendsOurs(tx)) continue; // only competed with a wallet tx
        wtx = this.#newState(tx, credits, block.header.time);
        this.book.add(wtx);
        changed = true;
      } else {
        this.book.mergeCredits(wtx, credits);
      }
      found++;
      // A rescan over blocks already processed finds the same position: nothing to write.
      const same = wtx.block?.hash === hash && wtx.block.index === index && wtx.conflict === undefined;
      if (same && !changed) continue;
      wtx.block = { hash, height: entry.height, index, time: block.header.time };
      wtx.conflict = undefined;
      wtx.abandoned = false;
      this.moved(wtx, ops);
    }
    if (recordBest) ops.push(bestBlockOp(entry));
    return found;
  }

  #markConflicts(tx: Transaction, selfKey: string, height: number, hash: string, ops: WalletDbOp[]): void {
    for (const rival of this.book.conflictsOf(tx, selfKey)) {
      if (rival.block !== undefined) continue; // confirmed: cannot conflict with the active chain
      for (const w of this.book.withDescendants(rival)) {
        if (w.block !== undefined) continue;
        w.conflict = { height, hash };
        w.inMempool = false;
        this.moved(w, ops);
      }
    }
  }

  /**
   * A block left the active chain: its wallet transactions become unconfirmed (the mempool offers
   * them again), and transactions it conflicted become unconflicted.
   */
  disconnectBlock(block: Block, entry: ChainEntry, ops: WalletDbOp[], recordBest = true): void {
    const hash = entry.hashHex();
    for (const tx of block.txs) {
      const wtx = this.book.get(OutPoint.keyPrefix(tx.txid()));
      if (wtx?.block?.hash !== hash) continue;
      wtx.block = undefined;
      this.moved(wtx, ops);
    }
    for (const wtx of this.book.txs.values()) {
      if (wtx.conflict?.hash !== hash) continue;
      wtx.conflict = undefined;
      this.moved(wtx, ops);
    }
    if (recordBest && entry.prev !== undefined) ops.push(bestBlockOp(entry.prev));
  }
}

export function bestBlockOp(entry: ChainEntry): WalletDbOp {
  return put(bestBlockKey(), { hash: entry.hashHex(), height: entry.height } satisfies BestBlockRecord);
}
