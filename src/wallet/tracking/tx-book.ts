import { COINBASE_MATURITY } from '../../consensus/constants.js';
import { OutPoint } from '../../primitives/outpoint.js';
import type { Transaction } from '../../primitives/transaction.js';
import type { CoinCandidate } from '../coin-selection/types.js';
import type { OwnedScript } from '../keychain/owned-script.js';
import type { BlockPosition } from '../store/records.js';

/** A wallet transaction in memory (Core's CWalletTx with its TxState). */
export interface WalletTxState {
  readonly tx: Transaction;
  readonly txid: Uint8Array;
  /** OutPoint.keyPrefix(txid): the map key; `key + vout` is an output's outpoint key. */
  readonly key: string;
  readonly txidHex: string;
  timeReceived: number;
  time: number;
  /** Set while confirmed in the active chain. */
  block: BlockPosition | undefined;
  /** Set while a transaction spending the same coin is confirmed (TxStateConflicted). */
  conflict: { readonly height: number; readonly hash: string } | undefined;
  inMempool: boolean;
  /** abandontransaction: its inputs may be spent again (Core's TxStateInactive{abandoned}). */
  abandoned?: boolean;
  /** bumpfee: display txid of the replacement (Core's mapValue "replaced_by_txid"). */
  replacedBy?: string;
  /** bumpfee: display txid of the transaction this one replaced ("replaces_txid"). */
  replaces?: string;
  comment?: string;
  commentTo?: string;
  readonly orderPos: number;
  /** Outputs that pay the wallet, by index. */
  readonly credits: ReadonlyMap<number, OwnedScript>;
}

/** A wallet output (Core's COutput before filtering). */
export interface WalletOutput {
  readonly wtx: WalletTxState;
  readonly vout: number;
  readonly outpointKey: string;
  readonly value: number;
  readonly script: OwnedScript;
  /** Coin selection's view of it, kept while its confirmations, origin and ancestry stay the same. */
  candidate?: CoinCandidate;
}

/**
 * The wallet's transactions and the indexes Core keeps beside them: every input of a wallet
 * transaction (mapTxSpends, for "is this output spent" and for conflicts) and every output paying
 * the wallet. Pure bookkeeping: persistence and events are the Wallet's business.
 */
export class TxBook {
  readonly txs = new Map<string, WalletTxState>();
  /** outpoint key -> keys of wallet transactions spending it. */
  readonly spends = new Map<string, Set<string>>();
  /** outpoint key -> wallet output (spent or not). */
  readonly outputs = new Map<string, WalletOutput>();
  /** Each transaction's outputs paying the wallet, by transaction key (listed in vout order). */
  readonly outputsByTx = new Map<string, WalletOutput[]>();
  #nextOrder = 0;
  tipHeight = 0;
  /**
   * Bumped by every change that can alter which confirmed outputs are unspent and eligible other
   * than a new transaction spending them (which `spendListeners` report): a block position set or
   * cleared, a conflict, new credits on a known transaction, an abandoned transaction. The send
   * path's coin list (spend/coin-list.ts) rebuilds when it moves.
   */
  coinsVersion = 0;
  /** Told the outpoint key of every input of each transaction added. */
  readonly spendListeners: ((outpointKey: string) => void)[] = [];
  /** Told of each transaction added (the coin list tracks unconfirmed ones). */
  readonly addListeners: ((wtx: WalletTxState) => void)[] = [];

  markCoinsChanged(): void {
    this.coinsVersion++;
  }

  nextOrderPos(): number {
    return this.#nextOrder++;
  }

  add(wtx: WalletTxState): void {
    this.txs.set(wtx.key, wtx);
    if (wtx.orderPos >= this.#nextOrder) this.#nextOrder = wtx.orderPos + 1;
    if (!wtx.tx.isCoinbase()) {
      for (const input of wtx.tx.inputs) {
        const k = input.prevout.key();
        let set = this.spends.get(k);
        if (set === undefined) {
          set = new Set();
          this.spends.set(k, set);
        }
        set.add(wtx.key);
        for (const l of this.spendListeners) l(k);
      }
    }
    const own: WalletOutput[] = [];
    for (const [vout, script] of wtx.credits) {
      const outpointKey = wtx.key + vout;
      const output: WalletOutput = { wtx, vout, outpointKey, value: wtx.tx.outputs[vout]!.value, script };
      this.outputs.set(outpointKey, output);
      own.push(output);
    }
    if (own.length > 0) this.outputsByTx.set(wtx.key, own);
    for (const l of this.addListeners) l(wtx);
  }

  /**
   * Outputs of a known transaction that became the wallet's after it was recorded (an address
   * imported, then a rescan): they join its credits and the output indexes.
   */
  mergeCredits(wtx: WalletTxState, credits: ReadonlyMap<number, OwnedScript>): boolean {
    const own = wtx.credits as Map<number, OwnedScript>;
    let added = false;
    for (const [vout, script] of credits) {
      if (own.has(vout)) continue;
      own.set(vout, script);
      const outpointKey = wtx.key + vout;
      const output: WalletOutput = { wtx, vout, outpointKey, value: wtx.tx.outputs[vout]!.value, script };
      this.outputs.set(outpointKey, output);
      const list = this.outputsByTx.get(wtx.key);
      if (list === undefined) this.outputsByTx.set(wtx.key, [output]);
      else list.push(output);
      added = true;
    }
    if (added) this.markCoinsChanged();
    return added;
  }

  get(key: string): WalletTxState | undefined {
    return this.txs.get(key);
  }

  /** Core's GetTxDepthInMainChain: >0 confirmed, 0 unconfirmed, <0 conflicted. */
  depth(wtx: WalletTxState): number {
    if (wtx.block !== undefined) return this.tipHeight - wtx.block.height + 1;
    if (wtx.conflict !== undefined) return -(this.tipHeight - wtx.conflict.height + 1);
    return 0;
  }

  /** Core's GetBlocksToMaturity. */
  blocksToMaturity(wtx: WalletTxState): number {
    if (!wtx.tx.isCoinbase()) return 0;
    return Math.max(0, COINBASE_MATURITY + 1 - this.depth(wtx));
  }

  isImmatureCoinbase(wtx: WalletTxState): boolean {
    return this.blocksToMaturity(wtx) > 0;
  }

  /** Core's IsSpent: some wallet transaction that is neither conflicted nor abandoned spends it. */
  isSpent(outpointKey: string): boolean {
    const spenders = this.spends.get(outpointKey);
    if (spenders === undefined) return false;
    for (const k of spenders) {
      const s = this.txs.get(k);
      if (s === undefined) continue;
      const d = this.depth(s);
      if (d > 0 || (d === 0 && s.abandoned !== true)) return true;
    }
    return false;
  }

  /** Σ of our outputs this transaction spends (Core's GetDebit), and whether all inputs are ours. */
  debit(wtx: WalletTxState, includeWatchOnly = true): { debit: number; allMine: boolean; anyMine: boolean } {
    if (wtx.tx.isCoinbase()) return { debit: 0, allMine: false, anyMine: false };
    let debit = 0;
    let mine = 0;
    for (const input of wtx.tx.inputs) {
      const out = this.outputs.get(input.prevout.key());
      if (out === undefined || (!includeWatchOnly && out.script.watchOnly)) continue;
      debit += out.value;
      mine++;
    }
    return { debit, allMine: mine === wtx.tx.inputs.length, anyMine: mine > 0 };
  }

  credit(wtx: WalletTxState, includeWatchOnly = true): number {
    let credit = 0;
    for (const [vout, s] of wtx.credits) {
      if (!includeWatchOnly && s.watchOnly) continue;
      credit += wtx.tx.outputs[vout]!.value;
    }
    return credit;
  }

  /**
   * Core's CachedTxIsTrusted: confirmed; or unconfirmed, in the mempool, sent by us, and every
   * input a spendable output of ours from a trusted transaction.
   */
  isTrusted(wtx: WalletTxState, memo = new Map<string, boolean>()): boolean {
    const d = this.depth(wtx);
    if (d >= 1) return true;
    if (d < 0 || !wtx.inMempool) return false;
    const known = memo.get(wtx.key);
    if (known !== undefined) return known;
    memo.set(wtx.key, false); // cycles cannot happen, but a bad state must not recurse forever
    let trusted = !wtx.tx.isCoinbase();
    for (const input of wtx.tx.inputs) {
      if (!trusted) break;
      const out = this.outputs.get(input.prevout.key());
      if (out === undefined || !out.script.spendable) trusted = false;
      else trusted = this.isTrusted(out.wtx, memo);
    }
    memo.set(wtx.key, trusted);
    return trusted;
  }

  /** Wallet transactions spending any input of `tx` other than `tx` itself. */
  conflictsOf(tx: Transaction, selfKey: string): WalletTxState[] {
    const found = new Map<string, WalletTxState>();
    if (tx.isCoinbase()) return [];
    for (const input of tx.inputs) {
      const spenders = this.spends.get(input.prevout.key());
      if (spenders === undefined) continue;
      for (const k of spenders) {
        if (k === selfKey) continue;
        const s = this.txs.get(k);
        if (s !== undefined) found.set(k, s);
      }
    }
    return [...found.values()];
  }

  /** `wtx` and every wallet transaction spending its outputs, recursively (Core's descendants walk). */
  withDescendants(wtx: WalletTxState): WalletTxState[] {
    const out: WalletTxState[] = [];
    const seen = new Set<string>();
    const stack = [wtx];
    while (stack.length > 0) {
      const w = stack.pop()!;
      if (seen.has(w.key)) continue;
      seen.add(w.key);
      out.push(w);
      for (let i = 0; i < w.tx.outputs.length; i++) {
        for (const k of this.spends.get(w.key + i) ?? []) {
          const child = this.txs.get(k);
          if (child !== undefined) stack.push(child);
        }
      }
    }
    return out;
  }

  outpointOf(out: WalletOutput): OutPoint {
    return new OutPoint(out.wtx.txid, out.vout);
  }
}
