import { equalBytes } from '../../encoding/bytes.js';
import { PsbtError } from './errors.js';
import type { PsbtInput } from './input.js';
import { addRawRecord } from './key-value.js';
import type { PsbtOutput } from './output.js';
import type { Psbt } from './psbt.js';
import type { PreimageKind } from './types.js';

/**
 * The BIP174 Combiner: merges PSBTs of the same unsigned transaction into one holding every
 * record of each. Where two PSBTs hold different values under the same key the first one wins, as
 * in Core's PartiallySignedTransaction::Merge; the exception is a witness UTXO, whose conflicting
 * amounts mean someone lies about what is spent (the BIP143 fee attack), so that is refused.
 */

/** Appends the items of `from` whose key (by `same`) is not in `into` yet. */
function union<T>(into: T[], from: readonly T[], same: (a: T, b: T) => boolean): void {
  for (const item of from) if (!into.some((existing) => same(existing, item))) into.push(item);
}

const PREIMAGE_KINDS: readonly PreimageKind[] = ['ripemd160', 'sha256', 'hash160', 'hash256'];

function mergeInput(into: PsbtInput, from: PsbtInput, index: number): void {
  into.nonWitnessUtxo ??= from.nonWitnessUtxo;
  if (into.witnessUtxo !== undefined && from.witnessUtxo !== undefined) {
    const a = into.witnessUtxo;
    const b = from.witnessUtxo;
    if (a.value !== b.value || a.rawValue !== b.rawValue || !equalBytes(a.scriptPubKey, b.scriptPubKey)) {
      throw new PsbtError('utxo-mismatch', `input ${index}: the PSBTs disagree on the witness UTXO`);
    }
  }
  into.witnessUtxo ??= from.witnessUtxo;
  union(into.partialSigs, from.partialSigs, (a, b) => equalBytes(a.pubkey, b.pubkey));
  into.sighashType ??= from.sighashType;
  into.redeemScript ??= from.redeemScript;
  into.witnessScript ??= from.witnessScript;
  union(into.bip32Derivations, from.bip32Derivations, (a, b) => equalBytes(a.pubkey, b.pubkey));
  into.finalScriptSig ??= from.finalScriptSig;
  into.finalScriptWitness ??= from.finalScriptWitness;
  into.porCommitment ??= from.porCommitment;
  for (const kind of PREIMAGE_KINDS) {
    union(into.preimages[kind], from.preimages[kind], (a, b) => equalBytes(a.hash, b.hash));
  }
  into.tapKeySig ??= from.tapKeySig;
  union(
    into.tapScriptSigs,
    from.tapScriptSigs,
    (a, b) => equalBytes(a.xonly, b.xonly) && equalBytes(a.leafHash, b.leafHash),
  );
  union(into.tapLeafScripts, from.tapLeafScripts, (a, b) => equalBytes(a.controlBlock, b.controlBlock));
  union(into.tapBip32Derivations, from.tapBip32Derivations, (a, b) => equalBytes(a.xonly, b.xonly));
  into.tapInternalKey ??= from.tapInternalKey;
  into.tapMerkleRoot ??= from.tapMerkleRoot;
  for (const record of from.proprietary) addRawRecord(into.proprietary, record);
  for (const record of from.unknown) addRawRecord(into.unknown, record);
}

function mergeOutput(into: PsbtOutput, from: PsbtOutput): void {
  into.redeemScript ??= from.redeemScript;
  into.witnessScript ??= from.witnessScript;
  union(into.bip32Derivations, from.bip32Derivations, (a, b) => equalBytes(a.pubkey, b.pubkey));
  into.tapInternalKey ??= from.tapInternalKey;
  into.tapTree ??= from.tapTree;
  union(into.tapBip32Derivations, from.tapBip32Derivations, (a, b) => equalBytes(a.xonly, b.xonly));
  for (const record of from.proprietary) addRawRecord(into.proprietary, record);
  for (const record of from.unknown) addRawRecord(into.unknown, record);
}

/**
 * Combines `psbts` into a new PSBT; the arguments are not modified. Throws 'different-transactions'
 * unless all have the same unsigned transaction (BIP174: "A Combiner must not combine two
 * different PSBTs").
 */
export function combinePsbts(psbts: readonly Psbt[]): Psbt {
  const [first, ...rest] = psbts;
  if (first === undefined) throw new PsbtError('bad-argument', 'no PSBTs to combine');
  const txid = first.txid();
  for (const psbt of rest) {
    if (!equalBytes(psbt.txid(), txid)) {
      throw new PsbtError('different-transactions', 'PSBTs not compatible (different transactions)');
    }
  }
  // Copies through the codec, so the result shares no mutable field with any argument.
  const out = first.clone();
  for (const psbt of rest.map((p) => p.clone())) {
    if (out.version === undefined || (psbt.version !== undefined && psbt.version > out.version)) {
      out.version = psbt.version;
    }
    // The xpub is the record's key: one value per xpub, or the result would repeat a key.
    union(out.xpubs, psbt.xpubs, (a, b) => equalBytes(a.xpub, b.xpub));
    for (const record of psbt.proprietary) addRawRecord(out.proprietary, record);
    for (const record of psbt.unknown) addRawRecord(out.unknown, record);
    for (let i = 0; i < out.inputs.length; i++) mergeInput(out.inputs[i]!, psbt.inputs[i]!, i);
    for (let i = 0; i < out.outputs.length; i++) mergeOutput(out.outputs[i]!, psbt.outputs[i]!);
  }
  return out;
}
