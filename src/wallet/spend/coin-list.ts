import type { CoinCandidate } from '../coin-selection/types.js';
import { type AvailableCoinsFilter, forEachAvailable, forEachAvailableOf } from '../tracking/balances.js';
import type { TxBook, WalletOutput, WalletTxState } from '../tracking/tx-book.js';

/** Builds coin selection's view of one coin; `ancestry` only for unconfirmed coins. */
export type CandidateFactory = (
  output: WalletOutput,
  depth: number,
  fromMe: boolean,
  ancestry: { readonly ancestors: number; readonly descendants: number } | undefined,
) => CoinCandidate | undefined;

export interface CoinListQuery {
  readonly minConf: number;
  /** Core's include_watching: every coin the wallet can solve, not only those it can sign. */
  readonly solvable: boolean;
  readonly locked: ReadonlySet<string>;
  /** Mempool ancestry of an unconfirmed wallet transaction (Core's GetTransactionAncestry). */
  readonly ancestryOf: (wtx: WalletTxState) => { ancestors: number; descendants: number } | undefined;
  readonly make: CandidateFactory;
}

/** The confirmed coins of one kind at one tip, and the unconfirmed wallet transactions with credits. */
interface Snapshot {
  readonly tipHeight: number;
  readonly version: number;
  /**
   * Candidates in the book's transaction order; a spend leaves a hole (undefined) rather than
   * shifting the rest, found through `slot`. Copying 10,000 live entries out of a plain array
   * measured 54 µs against 118 µs out of a Map.
   */
  readonly confirmed: (CoinCandidate | undefined)[];
  /** outpoint key -> index in `confirmed`, for the coins still there. */
  readonly slot: Map<string, number>;
  /** Keys of transactions with credits that were unconfirmed at the snapshot or added since. */
  readonly pending: Set<string>;
}

/**
 * The coins a send chooses from (Core's AvailableCoins), kept up to date instead of rebuilt per
 * send. Walking a 10,000-coin wallet's outputs (depth, trust, spent and lock tests, a candidate
 * each) cost 0.5–0.9 ms of a ≈5.5 ms sendtoaddress; between blocks the confirmed coins only ever
 * lose members, to the wallet's own spends, which TxBook reports as they are added. So:
 * - confirmed coins are a snapshot per (tip height, TxBook.coinsVersion): a block, a conflict, a
 *   reorg or new credits on a known transaction rebuild it on the next send;
 * - unconfirmed coins are evaluated fresh on every send, because their trust and mempool ancestry
 *   change with every child transaction; only the transactions that have them are visited.
 * Locked coins are left out at read time (lockunspent changes nothing here).
 */
export class WalletCoinList {
  readonly #book: TxBook;
  /** By query kind: signable coins (sendtoaddress) or solvable ones (include_watching). */
  readonly #snapshots = new Map<boolean, Snapshot>();

  constructor(book: TxBook) {
    this.#book = book;
    book.spendListeners.push((outpointKey) => {
      for (const s of this.#snapshots.values()) {
        const i = s.slot.get(outpointKey);
        if (i === undefined) continue;
        s.confirmed[i] = undefined;
        s.slot.delete(outpointKey);
      }
    });
    book.addListeners.push((wtx) => {
      if (wtx.credits.size === 0 || wtx.block !== undefined) return;
      for (const s of this.#snapshots.values()) s.pending.add(wtx.key);
    });
  }

  candidates(q: CoinListQuery): CoinCandidate[] {
    const book = this.#book;
    const kind: AvailableCoinsFilter = q.solvable ? { onlySolvable: true } : { onlySpendable: true };
    const out: CoinCandidate[] = [];
    if (q.minConf > 1) {
      // Deeper than the snapshot's one confirmation: rare (an explicit minconf), walk everything.
      forEachAvailable(
        book,
        { ...kind, minConf: q.minConf, locked: q.locked },
        (output, depth, _s, fromMe) => {
          const c = q.make(output, depth, fromMe, undefined);
          if (c !== undefined) out.push(c);
        },
      );
      return out;
    }
    const snap = this.#snapshot(q.solvable, kind, q.make);
    const locked = q.locked.size > 0 ? q.locked : undefined;
    const confirmed = snap.confirmed;
    for (let i = 0; i < confirmed.length; i++) {
      const c = confirmed[i];
      if (c !== undefined && (locked === undefined || !locked.has(c.outpoint.key()))) out.push(c);
    }
    if (q.minConf > 0) return out;
    const memo = new Map<string, boolean>();
    const filter: AvailableCoinsFilter = { ...kind, maxConf: 0, locked: q.locked };
    for (const key of snap.pending) {
      const outputs = book.outputsByTx.get(key);
      if (outputs === undefined) continue;
      forEachAvailableOf(book, outputs, filter, memo, (output, depth, _safe, fromMe) => {
        const c = q.make(output, depth, fromMe, q.ancestryOf(output.wtx));
        if (c !== undefined) out.push(c);
      });
    }
    return out;
  }

  #snapshot(solvable: boolean, kind: AvailableCoinsFilter, make: CandidateFactory): Snapshot {
    const book = this.#book;
    const known = this.#snapshots.get(solvable);
    if (known !== undefined && known.tipHeight === book.tipHeight && known.version === book.coinsVersion)
      return known;
    const snap: Snapshot = {
      tipHeight: book.tipHeight,
      version: book.coinsVersion,
      confirmed: [],
      slot: new Map(),
      pending: new Set(),
    };
    const memo = new Map<string, boolean>();
    const filter: AvailableCoinsFilter = { ...kind, minConf: 1 };
    for (const [key, outputs] of book.outputsByTx) {
      const depth = book.depth(outputs[0]!.wtx);
      if (depth === 0) snap.pending.add(key);
      if (depth < 1) continue;
      forEachAvailableOf(book, outputs, filter, memo, (output, d, _safe, fromMe) => {
        const c = make(output, d, fromMe, undefined);
        if (c === undefined) return;
        snap.slot.set(output.outpointKey, snap.confirmed.length);
        snap.confirmed.push(c);
      });
    }
    this.#snapshots.set(solvable, snap);
    return snap;
  }
}
