import type { OutPoint } from '../../primitives/outpoint.js';

/**
 * A coin the wallet could spend, as the wallet's coin list reports it. The caller has already left
 * out what Core's AvailableCoins leaves out (immature coinbase outputs, locked coins, coins spent in
 * the mempool, untrusted conflicted ones); eligibility by confirmations and mempool ancestry is
 * decided here.
 */
export interface CoinCandidate {
  readonly outpoint: OutPoint;
  /** Satoshis. */
  readonly value: number;
  /**
   * Weight the signed input adds to a transaction, as tx-size.ts spendWeight computes it: a
   * witness-less input counts the one-byte empty witness it has in a segwit transaction (Core's
   * GetTransactionInputWeight). Selection prices it rounded up to whole vbytes (Core's input_bytes).
   */
  readonly inputWeight: number;
  /**
   * Whether the input carries a witness. Only the final size uses it: a transaction of witness-less
   * inputs has no marker, flag or empty stacks. Absent means yes, which can only overestimate.
   */
  readonly witness?: boolean;
  /** Depth in the chain: 0 while the creating transaction is in the mempool. */
  readonly confirmations: number;
  /**
   * Core's m_from_me: the creating transaction spent only our coins (our change, a self-transfer).
   * Such coins are trusted sooner: one confirmation, or none when -spendzeroconfchange.
   */
  readonly fromMe: boolean;
  /** Unconfirmed transactions this coin depends on, its own included (0 once confirmed). */
  readonly ancestors?: number;
  /** Descendants of this coin's highest unconfirmed ancestor (Core's descendant count). */
  readonly descendants?: number;
  /** Core's OutputType ("legacy", "p2sh-segwit", "bech32", "bech32m"): the first pass avoids mixing. */
  readonly outputType?: string;
  /** Fee needed to raise unconfirmed ancestors to the target rate (Core's ancestor bump fee). */
  readonly ancestorBumpFee?: number;
}

/** A candidate priced at the selection's fee rates: Core's OutputGroup of one coin. */
export interface PricedCoin {
  readonly coin: CoinCandidate;
  /** Fee to spend it now: the input's vsize at the effective rate, plus any ancestor bump fee. */
  readonly fee: number;
  /** Fee to spend it later at the long-term rate: fee − longTermFee is its share of the waste. */
  readonly longTermFee: number;
  /** value − fee. */
  readonly effectiveValue: number;
  /** What the algorithms add up: the effective value, or the value when fees come from the outputs. */
  readonly amount: number;
  /** Input vsize × 4, as Core's OutputGroup::m_weight. */
  readonly weight: number;
}

declare const sortedBrand: unique symbol;

/**
 * Priced coins sorted once by amount, largest first, lighter first among equal amounts (Core's
 * descending_effval_weight). Every algorithm relies on this order; filtering keeps it.
 */
export type SortedPool = readonly PricedCoin[] & { readonly [sortedBrand]: true };

export type AlgorithmName = 'bnb' | 'coingrinder' | 'srd' | 'knapsack' | 'manual';

export type AlgorithmOutcome =
  | {
      readonly ok: true;
      readonly algorithm: AlgorithmName;
      readonly inputs: readonly PricedCoin[];
      /** Nodes visited by the search algorithms (BnB, CoinGrinder). */
      readonly tries?: number;
    }
  | { readonly ok: false; readonly algorithm: AlgorithmName; readonly maxWeightExceeded: boolean };

/** A set of inputs with its waste (Core's SelectionResult). */
export interface Selection {
  readonly algorithm: AlgorithmName;
  readonly inputs: readonly PricedCoin[];
  /** The amount selected for: recipients plus non-input fees (Core's m_target). */
  readonly target: number;
  readonly selectedValue: number;
  readonly selectedEffectiveValue: number;
  /** Σ input weights (Core's GetWeight). */
  readonly weight: number;
  /** False when fees come from the outputs: then amounts are values, not effective values. */
  readonly useEffectiveValue: boolean;
  /** Core's waste metric; lower is better. */
  readonly waste: number;
}

/** The change parameters the waste metric and the change decision need (from CoinSelectionParams). */
export interface ChangeParams {
  /** Fee for the change output now (Core's m_change_fee). */
  readonly changeFee: number;
  /** Creating the change now plus spending it later at the discard rate (Core's m_cost_of_change). */
  readonly costOfChange: number;
  /** Smallest change worth keeping (Core's min_viable_change). */
  readonly minViableChange: number;
}
