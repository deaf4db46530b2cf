import { OutPoint } from '../primitives/outpoint.js';
import { Transaction } from '../primitives/transaction.js';
import { TxIn } from '../primitives/txin.js';
import { TxOut } from '../primitives/txout.js';

/**
 * The transaction pair Bitcoin Core evaluates a lone script in (script_tests.cpp's
 * BuildCreditingTransaction / BuildSpendingTransaction): a coinbase-like "crediting" transaction whose
 * one output carries the scriptPubKey, and a "spending" transaction whose one input spends it with the
 * scriptSig and witness. Used by the conformance tests and by `tally script verify`, so both judge a
 * script in exactly the context Core's vectors assume.
 */
export function buildCreditingTransaction(scriptPubKey: Uint8Array, amount: number): Transaction {
  // scriptSig `CScript() << CScriptNum(0) << CScriptNum(0)`: two empty pushes, i.e. OP_0 OP_0.
  const input = new TxIn(OutPoint.null(), Uint8Array.of(0x00, 0x00), 0xffffffff);
  return new Transaction(1, [input], [new TxOut(amount, scriptPubKey)], 0);
}

export function buildSpendingTransaction(
  scriptSig: Uint8Array,
  witness: Uint8Array[],
  credit: Transaction,
): Transaction {
  const input = new TxIn(new OutPoint(credit.txid(), 0), scriptSig, 0xffffffff, witness);
  return new Transaction(1, [input], [new TxOut(credit.outputs[0]!.value, new Uint8Array(0))], 0);
}
