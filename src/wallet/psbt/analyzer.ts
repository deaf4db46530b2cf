import { moneyRange } from '../../consensus/subsidy.js';
import { DEFAULT_BYTES_PER_SIGOP, STANDARD_SCRIPT_VERIFY_FLAGS } from '../../policy/constants.js';
import { virtualSize } from '../../policy/vsize.js';
import { Transaction } from '../../primitives/transaction.js';
import { TxIn } from '../../primitives/txin.js';
import type { TxOut } from '../../primitives/txout.js';
import { TransactionSignatureChecker } from '../../script/checker.js';
import { ScriptFlags } from '../../script/flags.js';
import { verifyScript } from '../../script/interpreter.js';
import { PrecomputedTransactionData } from '../../script/precomputed.js';
import { isPayToScriptHash, isUnspendable } from '../../script/script.js';
import { countWitnessSigOps, getP2SHSigOpCount, getSigOpCount } from '../../script/sigops.js';
import { classifyScript } from '../../script/templates.js';
import { equalBytes } from '../../encoding/bytes.js';
import { allSpentOutputs } from './finalizer.js';
import type { Psbt } from './psbt.js';
import { type FinalScripts, type Missing, satisfy } from './satisfier.js';
import { knownPubkeys, solveInput } from './solver.js';

/**
 * Core's analyzepsbt (node/psbt.cpp AnalyzePSBT): per input, whether its UTXO is known, whether it
 * is final, which role must act next and what is missing; for the whole PSBT, the next role, the
 * fee and an estimate of the finished transaction's size. The PSBT is not modified.
 */

export type PsbtRole = 'creator' | 'updater' | 'signer' | 'finalizer' | 'extractor';
const ROLE_ORDER: readonly PsbtRole[] = ['creator', 'updater', 'signer', 'finalizer', 'extractor'];

export interface InputAnalysis {
  hasUtxo: boolean;
  isFinal: boolean;
  next: PsbtRole;
  /** HASH160s of keys lacking a public key or a signature; hashes of missing scripts. */
  missing?: Missing & { redeemScript?: Uint8Array; witnessScript?: Uint8Array };
}

export interface PsbtAnalysis {
  inputs: InputAnalysis[];
  next: PsbtRole;
  /** Satoshis, when every input's UTXO is known. */
  fee?: number;
  /** Virtual size of the finished transaction (signatures estimated at 72 bytes), when solvable. */
  estimatedVsize?: number;
  /** fee * 1000 / estimatedVsize: satoshis per 1000 virtual bytes, as Core's CFeeRate. */
  estimatedFeeRate?: number;
  /** Set when the PSBT can never become valid (Core's "PSBT is not valid. ..."). */
  error?: string;
}

/** Core's DummySignatureCreator makes 72-byte signatures: the largest DER plus a sighash byte. */
const DUMMY_SIGNATURE = new Uint8Array(72).fill(0x30);
/** A BIP340 key path signature with the default sighash. */
const DUMMY_SCHNORR = new Uint8Array(64);

function isFinalAndValid(
  psbt: Psbt,
  index: number,
  utxo: TxOut,
  txdata: PrecomputedTransactionData,
): boolean {
  const input = psbt.inputs[index]!;
  if (!input.isFinalized()) return false;
  const checker = new TransactionSignatureChecker(psbt.unsignedTx, index, utxo.value, txdata);
  const witness = input.finalScriptWitness ?? [];
  const scriptSig = input.finalScriptSig ?? new Uint8Array(0);
  return verifyScript(scriptSig, utxo.scriptPubKey, witness, STANDARD_SCRIPT_VERIFY_FLAGS, checker) === 'OK';
}

function analyzeInput(psbt: Psbt, index: number, txdata: PrecomputedTransactionData): InputAnalysis {
  const input = psbt.inputs[index]!;
  const utxo = psbt.utxo(index);
  if (utxo === undefined) return { hasUtxo: false, isFinal: false, next: 'updater' };
  if (isFinalAndValid(psbt, index, utxo, txdata)) return { hasUtxo: true, isFinal: true, next: 'extractor' };
  if (input.isFinalized()) return { hasUtxo: true, isFinal: false, next: 'finalizer' };
  if (classifyScript(utxo.scriptPubKey).type === 'witness_v1_taproot') {
    return { hasUtxo: true, isFinal: false, next: input.tapKeySig === undefined ? 'signer' : 'finalizer' };
  }
  const solved = solveInput(psbt, index);
  if (!solved.ok) {
    const missing = { pubkeys: [], signatures: [] };
    if (solved.code === 'missing-redeem-script') {
      return {
        hasUtxo: true,
        isFinal: false,
        next: 'updater',
        missing: { ...missing, redeemScript: solved.hash },
      };
    }
    if (solved.code === 'missing-witness-script') {
      return {
        hasUtxo: true,
        isFinal: false,
        next: 'updater',
        missing: { ...missing, witnessScript: solved.hash },
      };
    }
    return { hasUtxo: true, isFinal: false, next: 'updater' };
  }
  const signatureFor = (pubkey: Uint8Array) =>
    input.partialSigs.find((s) => equalBytes(s.pubkey, pubkey))?.signature;
  const satisfied = satisfy(solved.plan, signatureFor, knownPubkeys(psbt, index));
  if (satisfied.ok) return { hasUtxo: true, isFinal: false, next: 'finalizer' };
  const next = satisfied.missing.pubkeys.length > 0 ? 'updater' : 'signer';
  return { hasUtxo: true, isFinal: false, next, missing: satisfied.missing };
}

/** The final scripts, or the scripts with dummy signatures, of input `index`; undefined if unsolvable. */
function estimatedScripts(psbt: Psbt, index: number): FinalScripts | undefined {
  const input = psbt.inputs[index]!;
  if (input.isFinalized()) {
    return { scriptSig: input.finalScriptSig ?? new Uint8Array(0), witness: input.finalScriptWitness ?? [] };
  }
  const utxo = psbt.utxo(index);
  if (utxo !== undefined && classifyScript(utxo.scriptPubKey).type === 'witness_v1_taproot') {
    return { scriptSig: new Uint8Array(0), witness: [input.tapKeySig ?? DUMMY_SCHNORR] };
  }
  const solved = solveInput(psbt, index);
  if (!solved.ok) return undefined;
  const satisfied = satisfy(solved.plan, () => DUMMY_SIGNATURE, knownPubkeys(psbt, index));
  return satisfied.ok ? satisfied.scripts : undefined;
}

/** Core's GetVirtualTransactionSize with GetTransactionSigOpCost under the standard flags. */
function estimateVsize(psbt: Psbt, spent: readonly TxOut[]): number | undefined {
  const unsigned = psbt.unsignedTx;
  const inputs: TxIn[] = [];
  for (let i = 0; i < unsigned.inputs.length; i++) {
    const scripts = estimatedScripts(psbt, i);
    if (scripts === undefined) return undefined;
    const txin = unsigned.inputs[i]!;
    inputs.push(new TxIn(txin.prevout, scripts.scriptSig, txin.sequence, scripts.witness));
  }
  const tx = new Transaction(unsigned.version, inputs, unsigned.outputs, unsigned.locktime);
  let legacy = 0;
  for (const txin of tx.inputs) legacy += getSigOpCount(txin.scriptSig, false);
  for (const out of tx.outputs) legacy += getSigOpCount(out.scriptPubKey, false);
  let cost = legacy * 4;
  tx.inputs.forEach((txin, i) => {
    const spk = spent[i]!.scriptPubKey;
    if (isPayToScriptHash(spk)) cost += getP2SHSigOpCount(spk, txin.scriptSig) * 4;
    cost += countWitnessSigOps(txin.scriptSig, spk, txin.witness, ScriptFlags.WITNESS);
  });
  return virtualSize(tx.weight(), cost, DEFAULT_BYTES_PER_SIGOP);
}

export function analyzePsbt(psbt: Psbt): PsbtAnalysis {
  const spent = allSpentOutputs(psbt);
  const txdata = new PrecomputedTransactionData(psbt.unsignedTx, spent);
  const inputs: InputAnalysis[] = [];
  let inAmount = 0;
  for (let i = 0; i < psbt.inputs.length; i++) {
    const utxo = psbt.utxo(i);
    if (utxo !== undefined) {
      if (!moneyRange(utxo.value) || !moneyRange(inAmount + utxo.value)) {
        return { inputs: [], next: 'creator', error: `PSBT is not valid. Input ${i} has invalid value` };
      }
      if (isUnspendable(utxo.scriptPubKey)) {
        return {
          inputs: [],
          next: 'creator',
          error: `PSBT is not valid. Input ${i} spends unspendable output`,
        };
      }
      inAmount += utxo.value;
    }
    inputs.push(analyzeInput(psbt, i, txdata));
  }
  let next: PsbtRole = 'extractor';
  for (const input of inputs)
    if (ROLE_ORDER.indexOf(input.next) < ROLE_ORDER.indexOf(next)) next = input.next;
  const analysis: PsbtAnalysis = { inputs, next };
  if (spent === undefined) return analysis;

  let outAmount = 0;
  for (const out of psbt.unsignedTx.outputs) {
    if (!moneyRange(out.value) || !moneyRange(outAmount + out.value)) {
      return { inputs: [], next: 'creator', error: 'PSBT is not valid. Output amount invalid' };
    }
    outAmount += out.value;
  }
  analysis.fee = inAmount - outAmount;
  const vsize = estimateVsize(psbt, spent);
  if (vsize !== undefined) {
    analysis.estimatedVsize = vsize;
    analysis.estimatedFeeRate = Math.trunc((analysis.fee * 1000) / vsize);
  }
  return analysis;
}
