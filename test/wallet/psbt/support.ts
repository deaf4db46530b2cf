import assert from 'node:assert/strict';
import { utf8 } from '../../../src/encoding/bytes.js';
import { sha256 } from '../../../src/crypto/hash.js';
import { MANDATORY_SCRIPT_VERIFY_FLAGS } from '../../../src/policy/constants.js';
import { OutPoint } from '../../../src/primitives/outpoint.js';
import { Transaction } from '../../../src/primitives/transaction.js';
import { TxIn } from '../../../src/primitives/txin.js';
import { TxOut } from '../../../src/primitives/txout.js';
import { TransactionSignatureChecker } from '../../../src/script/checker.js';
import { verifyScript } from '../../../src/script/interpreter.js';
import { PrecomputedTransactionData } from '../../../src/script/precomputed.js';
import { type EcdsaKey, privateKeySigner } from '../../../src/wallet/psbt/index.js';

/** A deterministic key for a test party: the private key is SHA256 of its name. */
export function keyFor(name: string, compressed = true): EcdsaKey {
  return privateKeySigner(sha256(utf8(name)), compressed);
}

/** A transaction paying `outputs`, spending a made-up coin so its txid is unique per `label`. */
export function fundingTx(label: string, outputs: { script: Uint8Array; value: number }[]): Transaction {
  const prevout = new OutPoint(sha256(utf8(label)), 0);
  return new Transaction(
    2,
    [new TxIn(prevout, new Uint8Array(0), 0xffffffff)],
    outputs.map((o) => new TxOut(o.value, o.script)),
    0,
  );
}

/**
 * Checks every input of `tx` with the interpreter under consensus flags (what a block requires),
 * independently of the extractor's own verification.
 */
export function assertConsensusValid(tx: Transaction, spent: readonly TxOut[]): void {
  const txdata = new PrecomputedTransactionData(tx, spent);
  tx.inputs.forEach((txin, i) => {
    const utxo = spent[i]!;
    const checker = new TransactionSignatureChecker(tx, i, utxo.value, txdata);
    const result = verifyScript(
      txin.scriptSig,
      utxo.scriptPubKey,
      txin.witness,
      MANDATORY_SCRIPT_VERIFY_FLAGS,
      checker,
    );
    assert.equal(result, 'OK', `input ${i}`);
  });
}
