import { randomBytes } from 'node:crypto';
import { equalBytes } from '../../encoding/bytes.js';
import { ecdsaSignDer, ecdsaSignDerLowR, ecdsaVerifyDer, publicKeyCreate } from '../../crypto/secp256k1.js';
import { signTaprootKeyPath } from '../../crypto/taproot-sign.js';
import { PrecomputedTransactionData } from '../../script/precomputed.js';
import { isCompressedPubKey } from '../../script/sig-encoding.js';
import { SighashType, signatureHashLegacy, signatureHashWitnessV0 } from '../../script/sighash.js';
import { SigVersion } from '../../script/sigversion.js';
import { PsbtError } from './errors.js';
import { allSpentOutputs } from './finalizer.js';
import type { Psbt } from './psbt.js';
import { type InputIssue, knownPubkeys, type SpendPlan, solveInput, templatePubkeys } from './solver.js';
import { isTaprootInput, signTaprootInput } from './taproot-signer.js';

/**
 * The BIP174 Signer: adds partial signatures for every input it can sign with the keys it holds,
 * and only adds data. Keys are behind an interface so an institution can keep them in an HSM: the
 * signer hands over a 32-byte signature hash and gets a DER signature back.
 */
export interface EcdsaKey {
  /** 33-byte compressed or 65-byte uncompressed public key, as it appears in scripts. */
  readonly publicKey: Uint8Array;
  /** A DER ECDSA signature (without the sighash byte) of the 32-byte hash `msg32`. */
  sign(msg32: Uint8Array): Uint8Array;
  /**
   * A BIP340 signature of a BIP341 signature hash by this key as a taproot internal key, tweaked
   * with `merkleRoot` (none: key path only, BIP86). Absent on keys that cannot sign taproot.
   */
  signTaprootKeyPath?(msg32: Uint8Array, merkleRoot: Uint8Array | undefined): Uint8Array;
}

/**
 * An EcdsaKey over a raw private key: RFC6979 deterministic nonces, low S. With `grindR` it grinds
 * for a low R as Core's wallet does (CKey::Sign, every signature ≤ 71 bytes with its sighash byte,
 * which the wallet's fee estimates count on); without, it signs plain RFC6979, which is how
 * BIP174's example signatures are made, and the tests reproduce them exactly.
 */
export function privateKeySigner(privateKey: Uint8Array, compressed = true, grindR = false): EcdsaKey {
  const key = privateKey.slice();
  return {
    publicKey: publicKeyCreate(key, compressed),
    sign: (msg32) => (grindR ? ecdsaSignDerLowR(msg32, key) : ecdsaSignDer(msg32, key)),
    signTaprootKeyPath: (msg32, merkleRoot) =>
      signTaprootKeyPath(msg32, key, new Uint8Array(randomBytes(32)), merkleRoot),
  };
}

export interface SignOptions {
  /**
   * The sighash type to sign with (default SIGHASH_ALL). An input whose PSBT_IN_SIGHASH_TYPE
   * differs is not signed: a PSBT cannot talk a signer into SIGHASH_NONE (Core's SIGHASH_MISMATCH).
   */
  sighashType?: number;
  /** Only these inputs (default: all). */
  inputs?: readonly number[];
}

export type InputSignStatus =
  | 'signed'
  | 'missing-spent-outputs'
  | 'nothing-to-sign'
  | 'finalized'
  | 'sighash-mismatch'
  | InputIssue['code'];

export interface InputSignResult {
  index: number;
  status: InputSignStatus;
  /** Signatures this call added. */
  added: number;
}

const DEFINED_SIGHASHES = new Set([0x01, 0x02, 0x03, 0x81, 0x82, 0x83]);

function sighashFor(
  psbt: Psbt,
  index: number,
  plan: SpendPlan,
  sighashType: number,
  txdata: PrecomputedTransactionData,
): Uint8Array {
  return plan.sigversion === SigVersion.WITNESS_V0
    ? signatureHashWitnessV0(plan.scriptCode, psbt.unsignedTx, index, sighashType, plan.utxo.value, txdata)
    : signatureHashLegacy(plan.scriptCode, psbt.unsignedTx, index, sighashType, txdata);
}

function signInput(
  psbt: Psbt,
  index: number,
  keys: readonly EcdsaKey[],
  sighashType: number,
  txdata: PrecomputedTransactionData,
): InputSignResult {
  const input = psbt.inputs[index]!;
  const result = (status: InputSignStatus, added = 0): InputSignResult => ({ index, status, added });
  if (input.isFinalized()) return result('finalized');
  if (isTaprootInput(psbt, index)) return signTaprootInput(psbt, index, keys, sighashType, txdata);
  const solved = solveInput(psbt, index);
  if (!solved.ok) return result(solved.code);
  const plan = solved.plan;
  if (input.sighashType !== undefined && input.sighashType !== sighashType) return result('sighash-mismatch');
  // Signatures already there must use the same type, or the finalizer would have to refuse them.
  if (input.partialSigs.some((s) => s.signature[s.signature.length - 1] !== sighashType)) {
    return result('sighash-mismatch');
  }

  const wanted = templatePubkeys(plan.template, [
    ...knownPubkeys(psbt, index),
    ...keys.map((k) => k.publicKey),
  ]);
  let added = 0;
  let hash: Uint8Array | undefined;
  for (const pubkey of wanted) {
    if (input.partialSigs.some((s) => equalBytes(s.pubkey, pubkey))) continue;
    const key = keys.find((k) => equalBytes(k.publicKey, pubkey));
    if (key === undefined) continue;
    // BIP143 policy: segwit v0 scripts are only ever spent with compressed keys (Core's CreateSig).
    if (plan.sigversion === SigVersion.WITNESS_V0 && !isCompressedPubKey(pubkey)) continue;
    hash ??= sighashFor(psbt, index, plan, sighashType, txdata);
    const der = key.sign(hash);
    // An external signer (HSM) that returns garbage must not put it into a PSBT others rely on.
    if (!ecdsaVerifyDer(der, hash, pubkey)) {
      throw new PsbtError('bad-argument', `input ${index}: the key returned an invalid signature`);
    }
    const signature = new Uint8Array(der.length + 1);
    signature.set(der, 0);
    signature[der.length] = sighashType;
    input.partialSigs.push({ pubkey: pubkey.slice(), signature });
    added++;
  }
  if (added === 0) return result('nothing-to-sign');
  // Record a non-default type so combiners and finalizers see what was signed (Core does too).
  if (sighashType !== SighashType.ALL) input.sighashType = sighashType;
  // Like Core: a witness signature carries its amount, so the witness UTXO may travel with it.
  if (plan.sigversion === SigVersion.WITNESS_V0 && input.witnessUtxo === undefined) {
    input.witnessUtxo = plan.utxo;
  }
  return result('signed', added);
}

/**
 * Signs, in place, every input of `psbt` that `keys` can sign, and reports per input what it did
 * or why not. An input whose UTXO is missing or inconsistent is never signed (BIP174 "Data
 * Signers Check For").
 */
export function signPsbt(
  psbt: Psbt,
  keys: readonly EcdsaKey[],
  options: SignOptions = {},
): InputSignResult[] {
  const sighashType = options.sighashType ?? SighashType.ALL;
  if (!DEFINED_SIGHASHES.has(sighashType)) {
    throw new PsbtError('bad-argument', `undefined sighash type ${sighashType}`);
  }
  const indexes = options.inputs ?? psbt.inputs.map((_, i) => i);
  for (const i of indexes) {
    if (!Number.isInteger(i) || i < 0 || i >= psbt.inputs.length) {
      throw new PsbtError('bad-index', `input ${i} out of range`);
    }
  }
  // BIP341 signatures commit to every input's spent output: known only if each input has its UTXO.
  const txdata = new PrecomputedTransactionData(psbt.unsignedTx, allSpentOutputs(psbt));
  return indexes.map((i) => signInput(psbt, i, keys, sighashType, txdata));
}
