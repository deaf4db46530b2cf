import { equalBytes } from '../../encoding/bytes.js';
import { STANDARD_SCRIPT_VERIFY_FLAGS } from '../../policy/constants.js';
import type { TxOut } from '../../primitives/txout.js';
import { TransactionSignatureChecker } from '../../script/checker.js';
import { verifyScript } from '../../script/interpreter.js';
import { PrecomputedTransactionData } from '../../script/precomputed.js';
import { classifyScript } from '../../script/templates.js';
import type { Psbt } from './psbt.js';
import { type FinalScripts, type Missing, satisfy } from './satisfier.js';
import { type InputIssue, knownPubkeys, solveInput } from './solver.js';

/**
 * The BIP174 Input Finalizer: for each input with enough signatures, builds the final scriptSig
 * and witness, checks them with the script interpreter (as Core's ProduceSignature does, so a bad
 * partial signature never becomes "final"), and clears the signing data BIP174 says to clear.
 */

export type InputFinalizeStatus =
  | 'finalized'
  | 'already-finalized'
  | 'missing-signatures'
  | 'sighash-mismatch'
  | 'script-verify-failed'
  | InputIssue['code'];

export interface InputFinalizeResult {
  index: number;
  status: InputFinalizeStatus;
  /** For 'missing-signatures': HASH160s of the keys whose signatures or public keys are missing. */
  missing?: Missing;
}

export interface FinalizeResult {
  /** Every input is finalized: the extractor can run. */
  complete: boolean;
  inputs: InputFinalizeResult[];
}

export interface FinalizeOptions {
  /** Script flags the final scripts must pass (default: Core's standard flags, so it relays). */
  flags?: number;
}

/** The spent outputs of every input when all are known (BIP341 signatures commit to all of them). */
export function allSpentOutputs(psbt: Psbt): TxOut[] | undefined {
  const outputs: TxOut[] = [];
  for (let i = 0; i < psbt.inputs.length; i++) {
    const utxo = psbt.utxo(i);
    if (utxo === undefined) return undefined;
    outputs.push(utxo);
  }
  return outputs;
}

function verifies(
  psbt: Psbt,
  index: number,
  utxo: TxOut,
  scripts: FinalScripts,
  flags: number,
  txdata: PrecomputedTransactionData,
): boolean {
  const checker = new TransactionSignatureChecker(psbt.unsignedTx, index, utxo.value, txdata);
  return verifyScript(scripts.scriptSig, utxo.scriptPubKey, scripts.witness, flags, checker) === 'OK';
}

function commit(psbt: Psbt, index: number, scripts: FinalScripts): void {
  const input = psbt.inputs[index]!;
  // BIP174: an empty scriptSig or witness stays unset rather than an empty record.
  input.finalScriptSig = scripts.scriptSig.length > 0 ? scripts.scriptSig : undefined;
  input.finalScriptWitness = scripts.witness.length > 0 ? scripts.witness : undefined;
  input.clearSigningData();
}

function finalizeInput(
  psbt: Psbt,
  index: number,
  flags: number,
  txdata: PrecomputedTransactionData,
): InputFinalizeResult {
  const input = psbt.inputs[index]!;
  if (input.isFinalized()) return { index, status: 'already-finalized' };

  // BIP371 key path: the witness is the signature alone.
  const utxo = psbt.utxo(index);
  if (utxo !== undefined && input.tapKeySig !== undefined) {
    if (classifyScript(utxo.scriptPubKey).type !== 'witness_v1_taproot') {
      return { index, status: 'unsupported-script' };
    }
    const scripts = { scriptSig: new Uint8Array(0), witness: [input.tapKeySig] };
    if (!verifies(psbt, index, utxo, scripts, flags, txdata))
      return { index, status: 'script-verify-failed' };
    commit(psbt, index, scripts);
    return { index, status: 'finalized' };
  }

  const solved = solveInput(psbt, index);
  if (!solved.ok) return { index, status: solved.code };
  const plan = solved.plan;
  // BIP174: "finalizers must fail to finalize inputs which have signatures that do not match the
  // specified sighash type".
  if (
    input.sighashType !== undefined &&
    input.partialSigs.some((s) => s.signature[s.signature.length - 1] !== input.sighashType)
  ) {
    return { index, status: 'sighash-mismatch' };
  }
  // Only signatures that verify are used: with m-of-n, one bad signature need not block the others.
  const checker = new TransactionSignatureChecker(psbt.unsignedTx, index, plan.utxo.value, txdata);
  const valid = input.partialSigs.filter((s) =>
    checker.checkEcdsaSignature(s.signature, s.pubkey, plan.scriptCode, plan.sigversion),
  );
  const signatureFor = (pubkey: Uint8Array) => valid.find((s) => equalBytes(s.pubkey, pubkey))?.signature;
  const satisfied = satisfy(plan, signatureFor, knownPubkeys(psbt, index));
  if (!satisfied.ok) return { index, status: 'missing-signatures', missing: satisfied.missing };
  if (!verifies(psbt, index, plan.utxo, satisfied.scripts, flags, txdata)) {
    return { index, status: 'script-verify-failed' };
  }
  commit(psbt, index, satisfied.scripts);
  return { index, status: 'finalized' };
}

/** Finalizes, in place, every input that can be finalized; reports each input's state. */
export function finalizePsbt(psbt: Psbt, options: FinalizeOptions = {}): FinalizeResult {
  const flags = options.flags ?? STANDARD_SCRIPT_VERIFY_FLAGS;
  const txdata = new PrecomputedTransactionData(psbt.unsignedTx, allSpentOutputs(psbt));
  const inputs = psbt.inputs.map((_, i) => finalizeInput(psbt, i, flags, txdata));
  return {
    complete: inputs.every((r) => r.status === 'finalized' || r.status === 'already-finalized'),
    inputs,
  };
}
