import { compactSizeLength } from '../../encoding/compact-size.js';
import { DUST_RELAY_TX_FEE, MAX_STANDARD_TX_WEIGHT } from '../../policy/constants.js';
import { feeForSize } from '../../policy/fee-rate.js';
import { isDust } from '../../policy/standard.js';
import { WITNESS_SCALE_FACTOR } from '../../primitives/transaction.js';
import { TxOut } from '../../primitives/txout.js';
import { outputSize, selectionOverheadVsize, weightToVsize } from '../fees/tx-size.js';
import {
  DEFAULT_CONSOLIDATE_FEERATE,
  DEFAULT_DISCARD_FEE,
  DEFAULT_TRANSACTION_MAXFEE,
} from '../fees/wallet-fee-rate.js';
import { selectCoins } from './choose.js';
import { DEFAULT_ELIGIBILITY_OPTIONS, type EligibilityOptions } from './eligibility.js';
import { CoinSelectionError } from './errors.js';
import { makeSelectionParams } from './params.js';
import { priceCoin, sortPool } from './pool.js';
import { randomRange, type RandomSource, secureRandom, shuffleInPlace } from './random.js';
import type { CoinCandidate, PricedCoin, Selection } from './types.js';
import { changeAmount } from './waste.js';

/**
 * Funding a payment: Core's CreateTransactionInternal (wallet/spend.cpp) up to the unsigned
 * transaction. Selects inputs, decides on change, sizes the transaction, settles the fee exactly and,
 * for subtractFeeFromAmount, takes it from the chosen recipients.
 */

export interface Recipient {
  readonly scriptPubKey: Uint8Array;
  readonly value: number;
  readonly subtractFeeFromAmount?: boolean;
}

export interface FundOptions {
  /** sat/kvB (walletFeeRate). */
  readonly feeRate: number;
  readonly changeScript: Uint8Array;
  /**
   * Weight of spending the change later (spendWeight of the change type). Core assumes a P2SH-P2WPKH
   * spend (91 vB) when it cannot tell; so does the default.
   */
  readonly changeSpendWeight?: number;
  /** -consolidatefeerate: the long-term rate of the waste metric. */
  readonly longTermFeeRate?: number;
  /** discardFeeRate(): raised to the dust relay rate here too, so change is never dust. */
  readonly discardFeeRate?: number;
  readonly dustRelayFeeRate?: number;
  /** Coin control's max_tx_weight (TRUC transactions use less). */
  readonly maxTxWeight?: number;
  /** -maxtxfee. */
  readonly maxTxFee?: number;
  /** Where the change goes; random by default (privacy). */
  readonly changePosition?: number;
  /** Coin control's selected inputs: always spent, first, in this order. */
  readonly preset?: readonly CoinCandidate[];
  /** Coin control's add_inputs / m_allow_other_inputs. */
  readonly allowOtherInputs?: boolean;
  readonly eligibility?: Partial<EligibilityOptions>;
  readonly knapsackVisitBudget?: number;
}

export interface FundedTransaction {
  readonly inputs: readonly CoinCandidate[];
  readonly outputs: readonly TxOut[];
  readonly changeIndex: number | undefined;
  /** Σ inputs − Σ outputs. */
  readonly fee: number;
  /** Estimated size once signed. */
  readonly weight: number;
  readonly vsize: number;
  readonly selection: Selection;
}

/** Core's DUMMY_NESTED_P2WPKH_INPUT_SIZE (91 vB), as weight. */
const UNKNOWN_CHANGE_SPEND_WEIGHT = 91 * WITNESS_SCALE_FACTOR;

/**
 * Weight once signed. Candidate weights count the one-byte empty witness of witness-less inputs (as
 * Core's input sizes do); a transaction where no input has a witness drops those and the marker.
 */
function transactionWeight(inputs: readonly CoinCandidate[], outputs: readonly TxOut[]): number {
  let base = 4 + compactSizeLength(inputs.length) + compactSizeLength(outputs.length) + 4;
  for (const o of outputs) base += outputSize(o.scriptPubKey.length);
  let weight = base * WITNESS_SCALE_FACTOR;
  let segwit = false;
  for (const input of inputs) {
    weight += input.inputWeight;
    if (input.witness !== false) segwit = true;
  }
  return segwit ? weight + 2 : weight - inputs.length;
}

export function fundTransaction(
  recipients: readonly Recipient[],
  candidates: readonly CoinCandidate[],
  options: FundOptions,
  rng: RandomSource = secureRandom(),
): FundedTransaction {
  if (recipients.length === 0) throw new CoinSelectionError('no-recipients');
  if (recipients.some((r) => r.value < 0)) throw new CoinSelectionError('negative-amount');
  const dustRelayFeeRate = options.dustRelayFeeRate ?? DUST_RELAY_TX_FEE;
  for (const r of recipients) {
    if (isDust(new TxOut(r.value, r.scriptPubKey), dustRelayFeeRate))
      throw new CoinSelectionError('amount-too-small');
  }
  // The varint counts of inputs and outputs can outgrow their one-byte estimate (253+ of them), which
  // per-input rounding usually but not always absorbs: a short fee is settled by a second selection
  // with the difference added to the fixed overhead.
  let extraVsize = 0;
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = fundOnce(recipients, candidates, options, rng, dustRelayFeeRate, extraVsize);
    if ('funded' in result) return result.funded;
    extraVsize += result.shortVsize;
  }
  throw new CoinSelectionError('internal-bug', 'Fee needed > fee paid');
}

function fundOnce(
  recipients: readonly Recipient[],
  candidates: readonly CoinCandidate[],
  options: FundOptions,
  rng: RandomSource,
  dustRelayFeeRate: number,
  extraVsize: number,
): { funded: FundedTransaction } | { shortVsize: number } {
  const feeRate = options.feeRate;
  const longTermFeeRate = options.longTermFeeRate ?? DEFAULT_CONSOLIDATE_FEERATE;
  const discardFeeRate = Math.max(options.discardFeeRate ?? DEFAULT_DISCARD_FEE, dustRelayFeeRate);
  const maxTxWeight = options.maxTxWeight ?? MAX_STANDARD_TX_WEIGHT;
  const subtractFeeCount = recipients.filter((r) => r.subtractFeeFromAmount === true).length;
  const sffo = subtractFeeCount > 0;
  let recipientsSum = 0;
  for (const r of recipients) recipientsSum += r.value;
  const noInputsVsize = selectionOverheadVsize(recipients.map((r) => r.scriptPubKey.length)) + extraVsize;
  const params = makeSelectionParams(
    {
      feeRate,
      longTermFeeRate,
      discardFeeRate,
      changeScript: options.changeScript,
      changeSpendVsize: weightToVsize(options.changeSpendWeight ?? UNKNOWN_CHANGE_SPEND_WEIGHT),
      recipientsSum,
      recipientCount: recipients.length,
      subtractFeeOutputs: sffo,
      maxTxWeight,
      noInputsVsize,
      knapsackVisitBudget: options.knapsackVisitBudget,
    },
    rng,
  );
  // With fees taken from the recipients, the selection only needs their amounts.
  const target = recipientsSum + feeForSize(feeRate, sffo ? 0 : noInputsVsize);
  const preset = options.preset ?? [];
  if (target === 0 && preset.length === 0) throw new CoinSelectionError('zero-target');

  const price = (c: CoinCandidate): PricedCoin => priceCoin(c, feeRate, longTermFeeRate, sffo);
  const allowOtherInputs = options.allowOtherInputs ?? true;
  const pool = sortPool(allowOtherInputs ? candidates.map(price) : []);
  const selection = selectCoins(pool, preset.map(price), target, params, rng, {
    allowOtherInputs,
    eligibility: { ...DEFAULT_ELIGIBILITY_OPTIONS, ...options.eligibility },
  });

  const outputs = recipients.map((r) => new TxOut(r.value, r.scriptPubKey));
  let change = changeAmount(selection, params.minViableChange, params.changeFee);
  let changeIndex: number | undefined;
  if (change > 0) {
    changeIndex = options.changePosition ?? randomRange(rng, outputs.length + 1);
    if (changeIndex < 0 || changeIndex > outputs.length)
      throw new CoinSelectionError('change-index-out-of-range');
    outputs.splice(changeIndex, 0, new TxOut(change, options.changeScript));
  }

  // Preset inputs first in their given order, the rest shuffled (Core's GetShuffledInputVector).
  const presetKeys = new Set(preset.map((c) => c.outpoint.key()));
  const chosen = shuffleInPlace(
    rng,
    selection.inputs.filter((p) => !presetKeys.has(p.coin.outpoint.key())).map((p) => p.coin),
  );
  const inputs = [...preset, ...chosen];
  const weight = transactionWeight(inputs, outputs);
  const vsize = weightToVsize(weight);
  let bumpFees = 0;
  for (const c of inputs) bumpFees += c.ancestorBumpFee ?? 0;
  const feeNeeded = feeForSize(feeRate, vsize) + bumpFees;
  const outputTotal = (): number => outputs.reduce((sum, o) => sum + o.value, 0);
  let fee = selection.selectedValue - outputTotal();
  if (fee < 0) throw new CoinSelectionError('internal-bug', 'Fee paid < 0');

  // Estimates round up, so the change usually gets back a little.
  if (changeIndex !== undefined && feeNeeded < fee) {
    change += fee - feeNeeded;
    outputs[changeIndex]!.value = change;
    fee = feeNeeded;
  }

  if (sffo) {
    // Core splits the difference evenly, the first such recipient also taking the remainder; a
    // negative difference (an overshoot kept without change) goes to the recipients.
    const toReduce = feeNeeded - fee;
    let first = true;
    let i = 0;
    for (const r of recipients) {
      if (i === changeIndex) i++;
      const out = outputs[i]!;
      if (r.subtractFeeFromAmount === true) {
        out.value -= Math.trunc(toReduce / subtractFeeCount);
        if (first) {
          first = false;
          out.value -= toReduce % subtractFeeCount;
        }
        if (isDust(out, dustRelayFeeRate)) {
          throw new CoinSelectionError(
            out.value < 0 ? 'amount-too-small-to-pay-fee' : 'amount-too-small-after-fee',
          );
        }
      }
      i++;
    }
    fee = selection.selectedValue - outputTotal();
  }

  if (feeNeeded > fee) {
    const short = feeNeeded - fee;
    if (changeIndex !== undefined && change - short >= params.minViableChange) {
      change -= short;
      outputs[changeIndex]!.value = change;
      fee = feeNeeded;
    } else {
      return { shortVsize: Math.max(1, Math.ceil((short * 1000) / Math.max(feeRate, 1))) };
    }
  }

  if (weight > MAX_STANDARD_TX_WEIGHT) throw new CoinSelectionError('tx-too-large');
  if (fee > (options.maxTxFee ?? DEFAULT_TRANSACTION_MAXFEE))
    throw new CoinSelectionError('max-fee-exceeded');
  return { funded: { inputs, outputs, changeIndex, fee, weight, vsize, selection } };
}
