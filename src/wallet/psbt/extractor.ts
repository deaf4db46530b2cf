import { STANDARD_SCRIPT_VERIFY_FLAGS } from '../../policy/constants.js';
import { Transaction } from '../../primitives/transaction.js';
import { TxIn } from '../../primitives/txin.js';
import { TxOut } from '../../primitives/txout.js';
import { TransactionSignatureChecker } from '../../script/checker.js';
import { scriptErrorMessage } from '../../script/errors.js';
import { verifyScript } from '../../script/interpreter.js';
import { PrecomputedTransactionData } from '../../script/precomputed.js';
import { PsbtError } from './errors.js';
import type { Psbt } from './psbt.js';

export interface ExtractOptions {
  /**
   * Script flags every input must pass (default: Core's standard flags, the ones
   * PSBTInputSignedAndVerified uses, so the result is relayable and not only consensus-valid).
   */
  flags?: number;
}

/**
 * The BIP174 Transaction Extractor: the network transaction of a fully finalized PSBT. Unlike the
 * BIP's minimal extractor it interprets every input's scripts against the output it spends before
 * returning, so a transaction that would be rejected is an error here rather than on the network.
 * The PSBT is not modified.
 */
export function extractTransaction(psbt: Psbt, options: ExtractOptions = {}): Transaction {
  const flags = options.flags ?? STANDARD_SCRIPT_VERIFY_FLAGS;
  const unsigned = psbt.unsignedTx;
  const spent: TxOut[] = [];
  const inputs = unsigned.inputs.map((txin, i) => {
    const input = psbt.inputs[i]!;
    if (!input.isFinalized())
      throw new PsbtError('incomplete', `PSBT is not complete: input ${i} is not finalized`);
    const utxo = psbt.utxo(i);
    if (utxo === undefined) {
      throw new PsbtError(
        'missing-utxo',
        `input ${i}: the spent output is unknown, cannot verify its scripts`,
      );
    }
    spent.push(utxo);
    return new TxIn(
      txin.prevout,
      input.finalScriptSig?.slice() ?? new Uint8Array(0),
      txin.sequence,
      input.finalScriptWitness?.map((item) => item.slice()) ?? [],
    );
  });
  const outputs = unsigned.outputs.map((o) => new TxOut(o.value, o.scriptPubKey.slice(), o.rawValue));
  const tx = new Transaction(unsigned.version, inputs, outputs, unsigned.locktime);
  const txdata = new PrecomputedTransactionData(tx, spent);
  for (let i = 0; i < tx.inputs.length; i++) {
    const txin = tx.inputs[i]!;
    const utxo = spent[i]!;
    const checker = new TransactionSignatureChecker(tx, i, utxo.value, txdata);
    const result = verifyScript(txin.scriptSig, utxo.scriptPubKey, txin.witness, flags, checker);
    if (result !== 'OK') {
      throw new PsbtError('script-verify-failed', `input ${i}: ${scriptErrorMessage(result)}`);
    }
  }
  return tx;
}
