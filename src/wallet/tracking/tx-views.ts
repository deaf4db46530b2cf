import { toHex } from '../../encoding/hex.js';
import type { WalletTx, WalletTxDetail, WalletTxEntry } from '../api.js';
import type { TxBook, WalletTxState } from './tx-book.js';

/** Core's SignalsOptInRBF: an input with nSequence below 0xfffffffe (BIP125). */
function signalsRbf(wtx: WalletTxState): boolean {
  return wtx.tx.inputs.some((i) => i.sequence <= 0xfffffffd);
}

export interface ViewContext {
  readonly book: TxBook;
  /** Address book: address -> label; an owned script without an entry is change (Core's IsChange). */
  readonly labels: ReadonlyMap<string, string>;
  /** The address of any output script on the wallet's network (undefined when it has none). */
  readonly address: (script: Uint8Array) => string | undefined;
}

/** Amounts and per-output entries of one transaction, Core's CachedTxGetAmounts + ListTransactions. */
function amounts(ctx: ViewContext, wtx: WalletTxState, includeWatchOnly: boolean) {
  const { book, labels } = ctx;
  const { debit, allMine, anyMine } = book.debit(wtx, includeWatchOnly);
  const valueOut = wtx.tx.outputs.reduce((s, o) => s + o.value, 0);
  // Core's nFee (positive): known when every input is ours.
  const fee = allMine ? debit - valueOut : undefined;
  const details: WalletTxDetail[] = [];
  const depth = book.depth(wtx);
  const coinbase = wtx.tx.isCoinbase();
  const received: WalletTxDetail[] = [];
  // Core's involvesWatchonly: the transaction spends or pays a watch-only script.
  let watchOnly = false;
  for (const s of wtx.credits.values()) watchOnly ||= s.watchOnly;
  if (!coinbase) {
    for (const i of wtx.tx.inputs) watchOnly ||= book.outputs.get(i.prevout.key())?.script.watchOnly === true;
  }
  wtx.tx.outputs.forEach((out, vout) => {
    const owned = wtx.credits.get(vout);
    const mine = owned !== undefined && (includeWatchOnly || !owned.watchOnly);
    const address = owned?.address ?? undefined;
    const label = address === undefined ? undefined : labels.get(address);
    const isChange = owned !== undefined && label === undefined;
    if (anyMine) {
      if (isChange) return;
    } else if (!mine) return;
    const addr = address ?? ctx.address(out.scriptPubKey);
    if (anyMine) {
      const toLabel = addr === undefined ? undefined : labels.get(addr);
      details.push({
        ...(addr === undefined ? {} : { address: addr }),
        category: 'send',
        amount: -out.value,
        ...(toLabel === undefined ? {} : { label: toLabel }),
        vout,
        ...(fee === undefined ? {} : { fee: -fee }),
        abandoned: wtx.abandoned === true,
        ...(watchOnly ? { involvesWatchonly: true } : {}),
      });
    }
    if (mine) {
      const category = coinbase
        ? depth < 1
          ? 'orphan'
          : book.isImmatureCoinbase(wtx)
            ? 'immature'
            : 'generate'
        : 'receive';
      received.push({
        ...(addr === undefined ? {} : { address: addr }),
        category,
        amount: out.value,
        ...(label === undefined ? {} : { label }),
        vout,
        ...(watchOnly ? { involvesWatchonly: true } : {}),
      });
    }
  });
  return { debit, fee, details: [...details, ...received], anyMine };
}

function replaceable(book: TxBook, wtx: WalletTxState): 'yes' | 'no' | 'unknown' {
  if (book.depth(wtx) > 0) return 'no';
  if (signalsRbf(wtx)) return 'yes';
  return wtx.inMempool ? 'no' : 'unknown';
}

/** gettransaction's view. */
export function walletTxView(ctx: ViewContext, wtx: WalletTxState, includeWatchOnly: boolean): WalletTx {
  const { book } = ctx;
  const a = amounts(ctx, wtx, includeWatchOnly);
  const credit = book.credit(wtx, includeWatchOnly);
  const depth = book.depth(wtx);
  return {
    txid: wtx.txidHex,
    wtxid: wtx.tx.wtxidHex(),
    tx: wtx.tx,
    hex: toHex(wtx.tx.encode(true)),
    time: wtx.time,
    timeReceived: wtx.timeReceived,
    ...(wtx.block === undefined
      ? {}
      : {
          blockHash: wtx.block.hash,
          blockHeight: wtx.block.height,
          blockIndex: wtx.block.index,
          blockTime: wtx.block.time,
        }),
    confirmations: depth,
    trusted: book.isTrusted(wtx),
    replaceable: replaceable(book, wtx),
    generated: wtx.tx.isCoinbase(),
    amount: a.fee === undefined ? credit - a.debit : credit - a.debit + a.fee,
    ...(a.fee === undefined ? {} : { fee: -a.fee }),
    details: a.details,
    walletConflicts: book.conflictsOf(wtx.tx, wtx.key).map((w) => w.txidHex),
    ...(wtx.comment === undefined ? {} : { comment: wtx.comment }),
    ...(wtx.commentTo === undefined ? {} : { commentTo: wtx.commentTo }),
    ...(wtx.replacedBy === undefined ? {} : { replacedBy: wtx.replacedBy }),
    ...(wtx.replaces === undefined ? {} : { replaces: wtx.replaces }),
  };
}

/** listtransactions entries of one transaction, in Core's order (sends, then receives). */
export function walletTxEntries(
  ctx: ViewContext,
  wtx: WalletTxState,
  includeWatchOnly: boolean,
): WalletTxEntry[] {
  const { book } = ctx;
  const a = amounts(ctx, wtx, includeWatchOnly);
  const depth = book.depth(wtx);
  const common = {
    txid: wtx.txidHex,
    wtxid: wtx.tx.wtxidHex(),
    confirmations: depth,
    generated: wtx.tx.isCoinbase(),
    ...(wtx.block === undefined
      ? { trusted: book.isTrusted(wtx) }
      : {
          blockHash: wtx.block.hash,
          blockHeight: wtx.block.height,
          blockIndex: wtx.block.index,
          blockTime: wtx.block.time,
        }),
    time: wtx.time,
    timeReceived: wtx.timeReceived,
    walletConflicts: book.conflictsOf(wtx.tx, wtx.key).map((w) => w.txidHex),
    replaceable: replaceable(book, wtx),
    ...(wtx.comment === undefined ? {} : { comment: wtx.comment }),
    ...(wtx.replacedBy === undefined ? {} : { replacedBy: wtx.replacedBy }),
    ...(wtx.replaces === undefined ? {} : { replaces: wtx.replaces }),
  };
  return a.details.map((d) => ({ ...d, ...common }));
}
