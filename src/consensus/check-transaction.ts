import type { Transaction } from '../primitives/transaction.js';
import { MAX_BLOCK_WEIGHT, WITNESS_SCALE_FACTOR } from './constants.js';
import { invalidTx, type TxCheck, TxValidationResult, VALID } from './errors.js';
import { Reject } from './reject.js';
import { MAX_MONEY, moneyRange } from './subsidy.js';

const consensus = (reason: (typeof Reject)[keyof typeof Reject], debug = '') =>
  invalidTx(TxValidationResult.CONSENSUS, reason, debug);

/**
 * Core's CheckTransaction (consensus/tx_check.cpp): the rules a transaction must meet on its own,
 * without the chain or its inputs. Every failure is TX_CONSENSUS.
 */
export function checkTransaction(tx: Transaction): TxCheck {
  if (tx.inputs.length === 0) return consensus(Reject.TXNS_VIN_EMPTY);
  if (tx.outputs.length === 0) return consensus(Reject.TXNS_VOUT_EMPTY);
  // Size limit on the stripped size: the witness is not counted because it has not been checked for
  // malleability yet (a peer could pad it).
  if (tx.baseSize() * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) return consensus(Reject.TXNS_OVERSIZE);

  // Negative or overflowing output values (CVE-2010-5139, the 184 billion BTC overflow). The running
  // total is checked at each step, so it never exceeds 2 * MAX_MONEY and stays exact as a number.
  let valueOut = 0;
  for (const output of tx.outputs) {
    if (output.value < 0) return consensus(Reject.TXNS_VOUT_NEGATIVE);
    if (output.value > MAX_MONEY) return consensus(Reject.TXNS_VOUT_TOOLARGE);
    valueOut += output.value;
    if (!moneyRange(valueOut)) return consensus(Reject.TXNS_TXOUTTOTAL_TOOLARGE);
  }

  // Duplicate inputs (CVE-2018-17144): CheckTxInputs sees each coin once and would let a transaction
  // spend the same coin twice, inflating the supply. A set over outpoint keys catches it.
  const seen = new Set<string>();
  for (const input of tx.inputs) {
    const key = input.prevout.key();
    if (seen.has(key)) return consensus(Reject.TXNS_INPUTS_DUPLICATE);
    seen.add(key);
  }

  if (tx.isCoinbase()) {
    const length = tx.inputs[0]!.scriptSig.length;
    if (length < 2 || length > 100) return consensus(Reject.CB_LENGTH);
  } else {
    for (const input of tx.inputs) {
      if (input.prevout.isNull()) return consensus(Reject.TXNS_PREVOUT_NULL);
    }
  }
  return VALID;
}

/** Sum of output values (Core's GetValueOut); callers have run checkTransaction, so it is exact. */
export function transactionValueOut(tx: Transaction): number {
  let total = 0;
  for (const output of tx.outputs) total += output.value;
  return total;
}
