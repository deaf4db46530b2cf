import { compareBytes } from '../../encoding/bytes.js';
import { BufferWriter } from '../../encoding/writer.js';
import { hash160 } from '../../crypto/hash.js';
import { isValidPublicKey } from '../../crypto/secp256k1.js';
import { ScriptFlags } from '../../script/flags.js';
import { checkSignatureEncoding } from '../../script/sig-encoding.js';
import { PsbtError } from './errors.js';
import {
  copyRaw,
  decodeBip32Derivation,
  decodeFixed,
  decodePreimage,
  decodeProprietary,
  decodeTapBip32Derivation,
  encodeKeyOriginValue,
  encodeTapBip32Value,
  sortedRaw,
} from './field-codec.js';
import { PsbtInput } from './input.js';
import { decodeExactly, expectKeySize, type MapRecord, makeKey, writeRecord } from './key-value.js';
import { decodeNetworkTransaction, readTxOut, writeTxOut } from './tx-codec.js';
import { InputType, type PartialSig, type PreimageKind, type TapLeafScript } from './types.js';

/** BIP370 input fields, refused in version 0 with Core's messages. */
const V2_ONLY: ReadonlyMap<number, string> = new Map([
  [InputType.PREVIOUS_TXID, 'Previous txid is not allowed in PSBTv0'],
  [InputType.OUTPUT_INDEX, "Previous output's index is not allowed in PSBTv0"],
  [InputType.SEQUENCE, 'Sequence is not allowed in PSBTv0'],
  [InputType.REQUIRED_TIME_LOCKTIME, 'Required time based locktime is not allowed in PSBTv0'],
  [InputType.REQUIRED_HEIGHT_LOCKTIME, 'Required height based locktime is not allowed in PSBTv0'],
]);

const PREIMAGE_TYPES: ReadonlyMap<number, PreimageKind> = new Map([
  [InputType.RIPEMD160, 'ripemd160'],
  [InputType.SHA256, 'sha256'],
  [InputType.HASH160, 'hash160'],
  [InputType.HASH256, 'hash256'],
]);

function decodePartialSig(record: MapRecord): PartialSig {
  const pubkey = record.keyData;
  if (pubkey.length !== 33 && pubkey.length !== 65) {
    throw new PsbtError(
      'bad-key',
      'Size of key was not the expected size for the type partial signature pubkey',
    );
  }
  if (!isValidPublicKey(pubkey)) throw new PsbtError('bad-key', 'Invalid pubkey');
  // BIP174: "the signature as would be pushed to the stack", so strict DER plus a defined hashtype.
  const signature = record.value;
  if (
    signature.length === 0 ||
    checkSignatureEncoding(signature, ScriptFlags.DERSIG | ScriptFlags.STRICTENC) !== null
  ) {
    throw new PsbtError('bad-value', 'Signature is not a valid encoding');
  }
  return { pubkey: pubkey.slice(), signature: signature.slice() };
}

function decodeSchnorrSig(bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length < 64) throw new PsbtError('bad-value', `${what} signature is shorter than 64 bytes`);
  if (bytes.length > 65) throw new PsbtError('bad-value', `${what} signature is longer than 65 bytes`);
  return bytes.slice();
}

function decodeTapLeafScript(record: MapRecord): TapLeafScript {
  // Control block: 33 bytes plus 32 per tree level (BIP341).
  if (record.key.length < 34) {
    throw new PsbtError('bad-key', 'Input Taproot leaf script key is not at least 34 bytes');
  }
  if ((record.key.length - 2) % 32 !== 0) {
    throw new PsbtError('bad-key', "Input Taproot leaf script key's control block size is not valid");
  }
  if (record.value.length === 0) {
    throw new PsbtError('bad-value', 'Input Taproot leaf script must be at least 1 byte');
  }
  return {
    controlBlock: record.keyData.slice(),
    script: record.value.slice(0, -1),
    leafVersion: record.value[record.value.length - 1]!,
  };
}

/** Applies one record to `input`; the map reader has already refused duplicate keys. */
function applyRecord(input: PsbtInput, record: MapRecord): void {
  const { type, value } = record;
  switch (type) {
    case InputType.NON_WITNESS_UTXO:
      expectKeySize(record, 1, 'Input Non-witness UTXO');
      input.nonWitnessUtxo = decodeNetworkTransaction(value);
      return;
    case InputType.WITNESS_UTXO:
      expectKeySize(record, 1, 'Input Witness UTXO');
      input.witnessUtxo = decodeExactly(value, readTxOut);
      return;
    case InputType.PARTIAL_SIG:
      input.partialSigs.push(decodePartialSig(record));
      return;
    case InputType.SIGHASH_TYPE:
      expectKeySize(record, 1, 'Input Sighash Type');
      input.sighashType = decodeExactly(value, (r) => r.u32());
      return;
    case InputType.REDEEM_SCRIPT:
      expectKeySize(record, 1, 'Input redeemScript');
      input.redeemScript = value.slice();
      return;
    case InputType.WITNESS_SCRIPT:
      expectKeySize(record, 1, 'Input witnessScript');
      input.witnessScript = value.slice();
      return;
    case InputType.BIP32_DERIVATION:
      input.bip32Derivations.push(decodeBip32Derivation(record));
      return;
    case InputType.FINAL_SCRIPTSIG:
      expectKeySize(record, 1, 'Input Final scriptSig');
      input.finalScriptSig = value.slice();
      return;
    case InputType.FINAL_SCRIPTWITNESS:
      expectKeySize(record, 1, 'Input Final scriptWitness');
      input.finalScriptWitness = decodeExactly(value, (r) => {
        const count = r.compactSize();
        const stack: Uint8Array[] = [];
        for (let i = 0; i < count; i++) stack.push(r.varBytes().slice());
        return stack;
      });
      return;
    case InputType.POR_COMMITMENT:
      expectKeySize(record, 1, 'Input PoR Commitment');
      input.porCommitment = value.slice();
      return;
    case InputType.TAP_KEY_SIG:
      expectKeySize(record, 1, 'Input Taproot Key Path Signature');
      input.tapKeySig = decodeSchnorrSig(value, 'Input Taproot key path');
      return;
    case InputType.TAP_SCRIPT_SIG:
      expectKeySize(record, 65, 'Input Taproot Script Path Signature');
      input.tapScriptSigs.push({
        xonly: record.keyData.slice(0, 32),
        leafHash: record.keyData.slice(32),
        signature: decodeSchnorrSig(value, 'Input Taproot script path'),
      });
      return;
    case InputType.TAP_LEAF_SCRIPT:
      input.tapLeafScripts.push(decodeTapLeafScript(record));
      return;
    case InputType.TAP_BIP32_DERIVATION:
      input.tapBip32Derivations.push(decodeTapBip32Derivation(record, 'Input'));
      return;
    case InputType.TAP_INTERNAL_KEY:
      input.tapInternalKey = decodeFixed(record, 32, 'Input Taproot Internal Key');
      return;
    case InputType.TAP_MERKLE_ROOT:
      input.tapMerkleRoot = decodeFixed(record, 32, 'Input Taproot Merkle Root');
      return;
    case InputType.PROPRIETARY:
      input.proprietary.push(decodeProprietary(record));
      return;
  }
  const preimageKind = PREIMAGE_TYPES.get(type);
  if (preimageKind !== undefined) {
    input.preimages[preimageKind].push(decodePreimage(record, preimageKind));
    return;
  }
  const v2Message = V2_ONLY.get(type);
  if (v2Message !== undefined) throw new PsbtError('field-not-allowed', v2Message);
  input.unknown.push(copyRaw(record));
}

export function decodeInputMap(records: readonly MapRecord[]): PsbtInput {
  const input = new PsbtInput();
  for (const record of records) applyRecord(input, record);
  return input;
}

function compareTapLeafScripts(a: TapLeafScript, b: TapLeafScript): number {
  // Core: std::map keyed by (script, leaf version), each with a set of control blocks, shortest first.
  return (
    compareBytes(a.script, b.script) ||
    a.leafVersion - b.leafVersion ||
    a.controlBlock.length - b.controlBlock.length ||
    compareBytes(a.controlBlock, b.controlBlock)
  );
}

/**
 * Writes the input map in Bitcoin Core's order (PSBTInput::Serialize): typed fields by key type,
 * each multi-valued type in its std::map order (partial signatures by the HASH160 of the key, a
 * CKeyID), then proprietary records, then unknown ones, which is where Core, not knowing the type,
 * puts the proof-of-reserves commitment.
 */
export function encodeInputMap(w: BufferWriter, input: PsbtInput): void {
  if (input.nonWitnessUtxo !== undefined) {
    // Written as received, witness included when it had one. Core re-serializes it without the
    // witness; both are "network serialization" (BIP174) with the same txid, and keeping it makes
    // a decoded PSBT re-encode byte for byte.
    writeRecord(w, makeKey(InputType.NON_WITNESS_UTXO), input.nonWitnessUtxo.encode(true));
  }
  if (input.witnessUtxo !== undefined) {
    const v = new BufferWriter(9 + input.witnessUtxo.scriptPubKey.length);
    writeTxOut(v, input.witnessUtxo);
    writeRecord(w, makeKey(InputType.WITNESS_UTXO), v.finish());
  }
  const sigs = input.partialSigs
    .map((sig) => ({ sig, id: hash160(sig.pubkey) }))
    .sort((a, b) => compareBytes(a.id, b.id));
  for (const { sig } of sigs) writeRecord(w, makeKey(InputType.PARTIAL_SIG, sig.pubkey), sig.signature);
  if (input.sighashType !== undefined) {
    writeRecord(w, makeKey(InputType.SIGHASH_TYPE), new BufferWriter(4).u32(input.sighashType).finish());
  }
  if (input.redeemScript !== undefined) {
    writeRecord(w, makeKey(InputType.REDEEM_SCRIPT), input.redeemScript);
  }
  if (input.witnessScript !== undefined) {
    writeRecord(w, makeKey(InputType.WITNESS_SCRIPT), input.witnessScript);
  }
  for (const d of [...input.bip32Derivations].sort((a, b) => compareBytes(a.pubkey, b.pubkey))) {
    writeRecord(w, makeKey(InputType.BIP32_DERIVATION, d.pubkey), encodeKeyOriginValue(d));
  }
  if (input.finalScriptSig !== undefined) {
    writeRecord(w, makeKey(InputType.FINAL_SCRIPTSIG), input.finalScriptSig);
  }
  if (input.finalScriptWitness !== undefined) {
    const v = new BufferWriter();
    v.compactSize(input.finalScriptWitness.length);
    for (const item of input.finalScriptWitness) v.varBytes(item);
    writeRecord(w, makeKey(InputType.FINAL_SCRIPTWITNESS), v.finish());
  }
  for (const [type, kind] of PREIMAGE_TYPES) {
    for (const p of [...input.preimages[kind]].sort((a, b) => compareBytes(a.hash, b.hash))) {
      writeRecord(w, makeKey(type, p.hash), p.preimage);
    }
  }
  if (input.tapKeySig !== undefined) writeRecord(w, makeKey(InputType.TAP_KEY_SIG), input.tapKeySig);
  const scriptSigs = [...input.tapScriptSigs].sort(
    (a, b) => compareBytes(a.xonly, b.xonly) || compareBytes(a.leafHash, b.leafHash),
  );
  for (const s of scriptSigs) {
    const keyData = new Uint8Array(64);
    keyData.set(s.xonly, 0);
    keyData.set(s.leafHash, 32);
    writeRecord(w, makeKey(InputType.TAP_SCRIPT_SIG, keyData), s.signature);
  }
  for (const leaf of [...input.tapLeafScripts].sort(compareTapLeafScripts)) {
    const value = new Uint8Array(leaf.script.length + 1);
    value.set(leaf.script, 0);
    value[leaf.script.length] = leaf.leafVersion;
    writeRecord(w, makeKey(InputType.TAP_LEAF_SCRIPT, leaf.controlBlock), value);
  }
  for (const d of [...input.tapBip32Derivations].sort((a, b) => compareBytes(a.xonly, b.xonly))) {
    writeRecord(w, makeKey(InputType.TAP_BIP32_DERIVATION, d.xonly), encodeTapBip32Value(d));
  }
  if (input.tapInternalKey !== undefined) {
    writeRecord(w, makeKey(InputType.TAP_INTERNAL_KEY), input.tapInternalKey);
  }
  if (input.tapMerkleRoot !== undefined) {
    writeRecord(w, makeKey(InputType.TAP_MERKLE_ROOT), input.tapMerkleRoot);
  }
  for (const record of sortedRaw(input.proprietary)) writeRecord(w, record.key, record.value);
  const unknown = [...input.unknown];
  if (input.porCommitment !== undefined) {
    unknown.push({ key: makeKey(InputType.POR_COMMITMENT), value: input.porCommitment });
  }
  for (const record of sortedRaw(unknown)) writeRecord(w, record.key, record.value);
  w.u8(0);
}
