import type { ChainEntry } from '../../chain/chain-entry.js';
import { fromDisplayHex } from '../../encoding/hex.js';
import { OutPoint } from '../../primitives/outpoint.js';
import { WalletError, type WalletTxEntry } from '../api.js';
import type { WalletChain } from '../node-interfaces.js';
import { viewContext } from '../wallet-reads.js';
import type { WalletState } from '../wallet-state.js';
import type { WalletTxState } from './tx-book.js';
import { type ViewContext, walletTxEntries } from './tx-views.js';

/**
 * Core's listsinceblock (wallet/rpc/transactions.cpp): what a payment back office polls to learn of
 * deposits, robust to reorganisations. Given the block of the previous poll it returns the wallet's
 * transactions confirmed after it (or after the fork point, when that block left the active chain)
 * plus the unconfirmed ones, the transactions of the blocks that left the active chain since
 * (`removed`), and `lastBlock` to pass next time.
 */

/** listsinceblock's arguments; `blockHash` is display hex, absent for every transaction. */
export interface SinceBlockRequest {
  readonly blockHash?: string;
  /** >= 1; sets `lastBlock` to the block this many confirmations deep (1: the tip). */
  readonly targetConfirmations: number;
  readonly includeRemoved: boolean;
  /** Also list the wallet's change outputs (as a send and a receive), Core's include_change. */
  readonly includeChange: boolean;
  /** Only incoming entries paying addresses with this label (and no sends). */
  readonly label?: string;
}

/** listsinceblock's result; entries have listTransactions' shape, `lastBlock` is display hex. */
export interface SinceBlockResult {
  readonly transactions: WalletTxEntry[];
  readonly removed: WalletTxEntry[];
  readonly lastBlock: string;
}

/** Core lists every entry of a removed transaction, whatever its depth ("hence the big negative"). */
const ANY_DEPTH = -100_000_000;

const blockNotFound = (): WalletError => new WalletError('INVALID_ADDRESS_OR_KEY', 'Block not found');

/** The block the wallet has processed up to (Core's GetLastBlockHash), the chain's tip before any. */
function walletTip(s: WalletState): ChainEntry {
  const last = s.lastBlock;
  if (last !== undefined && last.hash !== '') {
    const entry = s.chain.getEntry(fromDisplayHex(last.hash));
    if (entry !== undefined) return entry;
  }
  return s.chain.tip;
}

/** The ancestor of `entry` at `height` (the active chain's array when `entry` is on it). */
function ancestorAt(chain: WalletChain, entry: ChainEntry, height: number): ChainEntry | undefined {
  if (chain.isOnActiveChain(entry)) return chain.getEntryAtHeight(height);
  let e: ChainEntry | undefined = entry;
  while (e !== undefined && e.height > height) e = e.prev;
  return e;
}

/**
 * Core's findCommonAncestor. The wallet's block is normally on the active chain: then the answer is
 * the lower of it and the first active ancestor of `a`, found by walking only `a`'s stale branch.
 */
function commonAncestor(chain: WalletChain, a: ChainEntry, b: ChainEntry): ChainEntry | undefined {
  if (chain.isOnActiveChain(b)) {
    let e: ChainEntry | undefined = a;
    while (e !== undefined && !chain.isOnActiveChain(e)) e = e.prev;
    if (e === undefined) return undefined;
    return e.height <= b.height ? e : b;
  }
  let x: ChainEntry | undefined = a;
  let y: ChainEntry | undefined = b;
  while (x !== undefined && y !== undefined && x.height > y.height) x = x.prev;
  while (x !== undefined && y !== undefined && y.height > x.height) y = y.prev;
  while (x !== undefined && y !== undefined && x.key !== y.key) {
    x = x.prev;
    y = y.prev;
  }
  return x !== undefined && y !== undefined ? x : undefined;
}

/**
 * The address book as Core's include_change sees it: the transaction's own addresses without a
 * label (change, Core's ScriptIsChange) get an empty entry, so walletTxEntries lists their outputs
 * as a send and a receive like any other output. Labels are read from the real book afterwards.
 */
class ChangeListedLabels implements ReadonlyMap<string, string> {
  constructor(
    private readonly book: ReadonlyMap<string, string>,
    private readonly change: ReadonlySet<string>,
  ) {}
  get size(): number {
    return this.book.size;
  }
  get(address: string): string | undefined {
    return this.book.get(address) ?? (this.change.has(address) ? '' : undefined);
  }
  has(address: string): boolean {
    return this.get(address) !== undefined;
  }
  forEach(fn: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [k, v] of this.book) fn(v, k, this);
  }
  entries(): MapIterator<[string, string]> {
    return this.book.entries();
  }
  keys(): MapIterator<string> {
    return this.book.keys();
  }
  values(): MapIterator<string> {
    return this.book.values();
  }
  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.book.entries();
  }
}

/** Entries of one transaction as Core's ListTransactions(wtx, nMinDepth, filter_label, include_change). */
function entriesOf(
  ctx: ViewContext,
  wtx: WalletTxState,
  minDepth: number,
  label: string | undefined,
  includeChange: boolean,
): WalletTxEntry[] {
  let entries: WalletTxEntry[];
  if (includeChange) {
    const change = new Set<string>();
    for (const owned of wtx.credits.values()) {
      if (owned.address !== null && !ctx.labels.has(owned.address)) change.add(owned.address);
    }
    const view: ViewContext = { ...ctx, labels: new ChangeListedLabels(ctx.labels, change) };
    entries = walletTxEntries(view, wtx, true).map((e) => {
      if (e.address === undefined || !change.has(e.address)) return e;
      const { label: _none, ...rest } = e;
      return rest;
    });
  } else {
    entries = walletTxEntries(ctx, wtx, true);
  }
  const depth = ctx.book.depth(wtx);
  return entries.filter((e) => {
    // Sends only without a label filter; receives only deep enough and (with a filter) whose
    // address-book label, "" when the address has none, equals it.
    if (e.category === 'send') return label === undefined;
    if (depth < minDepth) return false;
    return label === undefined || (e.label ?? '') === label;
  });
}

/** listsinceblock. WalletError: "Block not found" (-5), "Invalid parameter" (-8). */
export async function listSinceBlock(s: WalletState, req: SinceBlockRequest): Promise<SinceBlockResult> {
  const { chain, book } = s;
  const tip = walletTip(s);
  let given: ChainEntry | undefined;
  let forkHeight: number | undefined;
  if (req.blockHash !== undefined && req.blockHash !== '') {
    let hash: Uint8Array;
    try {
      hash = fromDisplayHex(req.blockHash);
    } catch {
      throw blockNotFound();
    }
    given = chain.getEntry(hash);
    const fork = given === undefined ? undefined : commonAncestor(chain, given, tip);
    if (fork === undefined) throw blockNotFound();
    forkHeight = fork.height;
  }
  const target = req.targetConfirmations;
  if (!Number.isInteger(target) || target < 1)
    throw new WalletError('INVALID_PARAMETER', 'Invalid parameter');

  const ctx = viewContext(s);
  // Transactions less deep than the fork point: confirmed after it, unconfirmed, or conflicted by a
  // block after it (whose receive entries Core's minimum depth 0 leaves out).
  const depth = forkHeight === undefined ? -1 : tip.height + 1 - forkHeight;
  // Core walks its unordered mapWallet; here the order the wallet learned them (listtransactions').
  // Filtered before sorting: a poll from a recent block keeps few of a large wallet's transactions.
  const recent: WalletTxState[] = [];
  for (const wtx of book.txs.values()) {
    if (depth === -1 || Math.abs(book.depth(wtx)) < depth) recent.push(wtx);
  }
  recent.sort((a, b) => a.orderPos - b.orderPos);
  const transactions: WalletTxEntry[] = [];
  for (const wtx of recent) transactions.push(...entriesOf(ctx, wtx, 0, req.label, req.includeChange));

  // The blocks from the given one back to the fork are no longer active: the wallet keeps their
  // transactions (now unconfirmed or conflicted), so match each block's txids against the book.
  const removed: WalletTxEntry[] = [];
  if (req.includeRemoved && given !== undefined && forkHeight !== undefined) {
    let entry: ChainEntry | undefined = given;
    while (entry !== undefined && entry.height > forkHeight) {
      const block = await chain.getBlock(entry.hash);
      if (block === undefined) throw new WalletError('INTERNAL_ERROR', "Can't read block from disk");
      for (const tx of block.txs) {
        const wtx = book.get(OutPoint.keyPrefix(tx.txid()));
        if (wtx !== undefined) removed.push(...entriesOf(ctx, wtx, ANY_DEPTH, req.label, req.includeChange));
      }
      entry = entry.prev;
    }
  }

  const confirmations = Math.min(target, tip.height + 1);
  const last = ancestorAt(chain, tip, tip.height + 1 - confirmations);
  return { transactions, removed, lastBlock: (last ?? tip).hashHex() };
}
