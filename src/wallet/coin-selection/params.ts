import { feeForSize } from '../../policy/fee-rate.js';
import { getDustThreshold } from '../../policy/standard.js';
import { WITNESS_SCALE_FACTOR } from '../../primitives/transaction.js';
import { TxOut } from '../../primitives/txout.js';
import { outputSize } from '../fees/tx-size.js';
import type { SelectionParams } from './choose.js';
import { randomRange, type RandomSource } from './random.js';
import { CHANGE_LOWER, CHANGE_UPPER } from './srd.js';

/**
 * Core's GenerateChangeTarget: the change Knapsack and CoinGrinder aim to leave. Small payments get
 * CHANGE_LOWER; larger ones a random amount between CHANGE_LOWER and min(2 × payment, CHANGE_UPPER),
 * so the change does not stand out as "the output about the size of the last payment".
 */
export function generateChangeTarget(paymentValue: number, changeFee: number, rng: RandomSource): number {
  if (paymentValue <= CHANGE_LOWER / 2) return changeFee + CHANGE_LOWER;
  const upper = Math.min(paymentValue * 2, CHANGE_UPPER);
  return changeFee + randomRange(rng, upper - CHANGE_LOWER) + CHANGE_LOWER;
}

export interface SelectionParamsInput {
  /** sat/kvB. */
  readonly feeRate: number;
  readonly longTermFeeRate: number;
  /** Already at least the dust relay rate (discardFeeRate() ensures it). */
  readonly discardFeeRate: number;
  readonly changeScript: Uint8Array;
  /** Vbytes of spending the change later. */
  readonly changeSpendVsize: number;
  /** Sum of the recipients' amounts, and how many there are. */
  readonly recipientsSum: number;
  readonly recipientCount: number;
  readonly subtractFeeOutputs: boolean;
  readonly maxTxWeight: number;
  /** Core's tx_noinputs_size: vbytes of everything but inputs and change. */
  readonly noInputsVsize: number;
  readonly knapsackVisitBudget?: number;
}

/**
 * Core's CoinSelectionParams as CreateTransactionInternal fills them: the change output's fee now,
 * the cost of change (its fee now plus spending it later at the discard rate), the smallest change
 * worth keeping (above dust at the discard rate and above its own spending fee), and the random change
 * target.
 */
export function makeSelectionParams(input: SelectionParamsInput, rng: RandomSource): SelectionParams {
  const changeOutput = new TxOut(0, input.changeScript);
  const changeOutputSize = outputSize(input.changeScript.length);
  const changeFee = feeForSize(input.feeRate, changeOutputSize);
  const changeSpendFee = feeForSize(input.discardFeeRate, input.changeSpendVsize);
  return {
    effectiveFeeRate: input.feeRate,
    longTermFeeRate: input.longTermFeeRate,
    changeFee,
    costOfChange: changeSpendFee + changeFee,
    minViableChange: Math.max(changeSpendFee + 1, getDustThreshold(changeOutput, input.discardFeeRate)),
    minChangeTarget: generateChangeTarget(
      Math.floor(input.recipientsSum / input.recipientCount),
      changeFee,
      rng,
    ),
    subtractFeeOutputs: input.subtractFeeOutputs,
    maxSelectionWeight: input.maxTxWeight - input.noInputsVsize * WITNESS_SCALE_FACTOR,
    changeOutputWeight: changeOutputSize * WITNESS_SCALE_FACTOR,
    knapsackVisitBudget: input.knapsackVisitBudget,
  };
}
