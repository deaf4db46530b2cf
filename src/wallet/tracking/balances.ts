import type { WalletBalances } from '../api.js';
import type { TxBook, WalletOutput } from './tx-book.js';

/**
 * Core's GetBalance (wallet/receive.cpp): per transaction, the unspent credit counts as trusted
 * when the transaction is trusted and deep enough, as untrusted_pending when it is an untrusted
 * mempool transaction, and coinbase credit as immature until 100 blocks are on top of it.
 */
export function walletBalances(book: TxBook, minConf = 0, includeWatchOnly = false): WalletBalances {
  const result: WalletBalances = { trusted: 0, untrustedPending: 0, immature: 0 };
  const memo = new Map<string, boolean>();
  for (const wtx of book.txs.values()) {
    if (wtx.credits.size === 0) continue;
    const depth = book.depth(wtx);
    const trusted = book.isTrusted(wtx, memo);
    let credit = 0;
    for (const [vout, script] of wtx.credits) {
      if (!includeWatchOnly && script.watchOnly) continue;
      if (book.isSpent(wtx.key + vout)) continue;
      credit += wtx.tx.outputs[vout]!.value;
    }
    if (book.isImmatureCoinbase(wtx)) {
      if (depth > 0) result.immature += credit;
      continue;
    }
    if (trusted && depth >= minConf) result.trusted += credit;
    if (!trusted && depth === 0 && wtx.inMempool) result.untrustedPending += credit;
  }
  return result;
}

export interface AvailableCoinsFilter {
  readonly minConf?: number;
  readonly maxConf?: number;
  readonly includeUnsafe?: boolean;
  readonly includeWatchOnly?: boolean;
  /** Only outputs the wallet can sign for (coin selection); listunspent shows watch-only too. */
  readonly onlySpendable?: boolean;
  /** Only outputs the wallet knows how to spend (PSBT funding for an external signer). */
  readonly onlySolvable?: boolean;
  readonly locked?: ReadonlySet<string>;
}

export interface AvailableCoin {
  readonly output: WalletOutput;
  readonly depth: number;
  readonly safe: boolean;
  /** Core's m_from_me: the creating transaction spent coins of ours. */
  readonly fromMe: boolean;
}

/**
 * Core's AvailableCoins: unspent wallet outputs, without immature coinbase outputs, conflicted or
 * abandoned transactions, unconfirmed ones outside the mempool, and (unless `includeUnsafe`)
 * unconfirmed ones that are not trusted.
 */
export function availableCoins(book: TxBook, filter: AvailableCoinsFilter = {}): AvailableCoin[] {
  const out: AvailableCoin[] = [];
  forEachAvailable(book, filter, (output, depth, safe, fromMe) => {
    out.push({ output, depth, safe, fromMe });
  });
  return out;
}

/** availableCoins without building a list: `visit` sees each coin (the send path's fast loop). */
export function forEachAvailable(
  book: TxBook,
  filter: AvailableCoinsFilter,
  visit: (output: WalletOutput, depth: number, safe: boolean, fromMe: boolean) => void,
): void {
  const memo = new Map<string, boolean>();
  // Transaction by transaction: the per-transaction tests run once for all its outputs (a wallet's
  // thousands of coins often come from few transactions).
  for (const outputs of book.outputsByTx.values()) forEachAvailableOf(book, outputs, filter, memo, visit);
}

/** forEachAvailable over the outputs of one transaction (`outputs`: its entry in book.outputsByTx). */
export function forEachAvailableOf(
  book: TxBook,
  outputs: readonly WalletOutput[],
  filter: AvailableCoinsFilter,
  memo: Map<string, boolean>,
  visit: (output: WalletOutput, depth: number, safe: boolean, fromMe: boolean) => void,
): void {
  const minConf = filter.minConf ?? 0;
  const maxConf = filter.maxConf ?? Number.MAX_SAFE_INTEGER;
  const locked = filter.locked !== undefined && filter.locked.size > 0 ? filter.locked : undefined;
  const wtx = outputs[0]!.wtx;
  const depth = book.depth(wtx);
  if (depth < 0 || depth < minConf || depth > maxConf || book.isImmatureCoinbase(wtx)) return;
  if (depth === 0 && !wtx.inMempool) return;
  const safe = depth > 0 || book.isTrusted(wtx, memo);
  if (!safe && filter.includeUnsafe !== true) return;
  const fromMe = book.debit(wtx).anyMine;
  const spends = book.spends;
  for (let i = 0; i < outputs.length; i++) {
    const output = outputs[i]!;
    const script = output.script;
    if (filter.onlySpendable === true && !script.spendable) continue;
    if (filter.onlySolvable === true && script.spend === undefined) continue;
    if (filter.includeWatchOnly === false && script.watchOnly) continue;
    if (locked?.has(output.outpointKey) === true) continue;
    if (spends.has(output.outpointKey) && book.isSpent(output.outpointKey)) continue;
    visit(output, depth, safe, fromMe);
  }
}
