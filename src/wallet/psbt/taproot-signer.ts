import { equalBytes } from '../../encoding/bytes.js';
import { schnorrVerify } from '../../crypto/secp256k1.js';
import type { PrecomputedTransactionData } from '../../script/precomputed.js';
import { ScriptExecutionData } from '../../script/execdata.js';
import { SighashType } from '../../script/sighash.js';
import { SIGHASH_DEFAULT, signatureHashTaproot } from '../../script/sighash-taproot.js';
import { SigVersion } from '../../script/sigversion.js';
import { taprootTweakPublicKey } from '../../script/taproot.js';
import { classifyScript } from '../../script/templates.js';
import { PsbtError } from './errors.js';
import type { Psbt } from './psbt.js';
import type { EcdsaKey, InputSignResult } from './signer.js';

/**
 * The BIP371 key-path half of the Signer: a P2TR input is signed with the key whose x-only form is
 * PSBT_IN_TAP_INTERNAL_KEY (or, without that field, any held key that tweaks to the output key),
 * tweaked by PSBT_IN_TAP_MERKLE_ROOT when present, and the signature goes to PSBT_IN_TAP_KEY_SIG.
 * Script-path spends (tapscript leaves) are not signed here.
 */

/** Whether input `index` spends a P2TR output, as far as its UTXO says. */
export function isTaprootInput(psbt: Psbt, index: number): boolean {
  const utxo = psbt.utxo(index);
  return utxo !== undefined && classifyScript(utxo.scriptPubKey).type === 'witness_v1_taproot';
}

/**
 * The hash type to sign with, or undefined on a mismatch with the input's PSBT_IN_SIGHASH_TYPE.
 * The RPC layer turns "DEFAULT" and a missing argument into SIGHASH_ALL, so a plain ALL request is
 * signed as SIGHASH_DEFAULT (64 bytes, committing to the same data) unless the input asks for ALL.
 */
function taprootHashType(requested: number, inputType: number | undefined): number | undefined {
  if (inputType === undefined) return requested === SighashType.ALL ? SIGHASH_DEFAULT : requested;
  if (inputType === requested) return requested;
  if (inputType === SIGHASH_DEFAULT && requested === SighashType.ALL) return SIGHASH_DEFAULT;
  return undefined;
}

export function signTaprootInput(
  psbt: Psbt,
  index: number,
  keys: readonly EcdsaKey[],
  sighashType: number,
  txdata: PrecomputedTransactionData,
): InputSignResult {
  const input = psbt.inputs[index]!;
  const result = (status: InputSignResult['status'], added = 0): InputSignResult => ({
    index,
    status,
    added,
  });
  if (input.tapKeySig !== undefined) return result('nothing-to-sign');
  const hashType = taprootHashType(sighashType, input.sighashType);
  if (hashType === undefined) return result('sighash-mismatch');
  const program = psbt.utxo(index)!.scriptPubKey.subarray(2);
  const merkleRoot = input.tapMerkleRoot;
  const key = keys.find((k) => {
    if (k.signTaprootKeyPath === undefined || k.publicKey.length !== 33) return false;
    const xonly = k.publicKey.subarray(1);
    if (input.tapInternalKey !== undefined && !equalBytes(input.tapInternalKey, xonly)) return false;
    const tweaked = taprootTweakPublicKey(xonly, merkleRoot);
    return tweaked !== null && equalBytes(tweaked.outputKey, program);
  });
  if (key === undefined) return result('nothing-to-sign');
  if (!txdata.hasSpentOutputs) return result('missing-spent-outputs');
  const hash = signatureHashTaproot(
    psbt.unsignedTx,
    index,
    hashType,
    SigVersion.TAPROOT,
    txdata,
    new ScriptExecutionData(),
  );
  if (hash === null) return result('sighash-mismatch'); // SIGHASH_SINGLE without its output
  const sig = key.signTaprootKeyPath!(hash, merkleRoot);
  // An external signer (HSM) that returns garbage must not put it into a PSBT others rely on.
  if (sig.length !== 64 || !schnorrVerify(sig, hash, program)) {
    throw new PsbtError('bad-argument', `input ${index}: the key returned an invalid signature`);
  }
  input.tapKeySig = hashType === SIGHASH_DEFAULT ? sig : Uint8Array.of(...sig, hashType);
  input.tapInternalKey ??= key.publicKey.slice(1);
  if (hashType !== SIGHASH_DEFAULT && hashType !== SighashType.ALL) input.sighashType = hashType;
  // Like Core: the witness UTXO travels with the signature (BIP341 commits to it).
  input.witnessUtxo ??= psbt.utxo(index);
  return result('signed', 1);
}
