import { sha256 } from '../crypto/hash.js';
import { utf8 } from '../encoding/bytes.js';
import type { Transaction } from '../primitives/transaction.js';
import type { TxOut } from '../primitives/txout.js';
import type { ScriptExecutionData } from './execdata.js';
import type { PrecomputedTransactionData } from './precomputed.js';
import { BufferWriter } from '../encoding/writer.js';
import { SighashType } from './sighash.js';
import { SigVersion } from './sigversion.js';

/**
 * BIP341 signature message and hash (Core's SignatureHashSchnorr), for the key path (TAPROOT) and
 * BIP342 tapscript (TAPSCRIPT). Unlike BIP143, a signature commits to every spent amount and
 * scriptPubKey, so a signer can trust the fee and whether each input is its own, without the
 * previous transactions.
 */

/** SIGHASH_DEFAULT: a 64-byte signature; signs what ALL signs, but with this byte in the message. */
export const SIGHASH_DEFAULT = 0x00;
/** BIP341 masks: the low two bits pick the outputs (unlike legacy's 0x1f), 0x80 the inputs. */
const OUTPUT_MASK = 0x03;
const INPUT_MASK = 0x80;
/** ext_flag: 0 for the key path, 1 for tapscript (BIP342's extension: leaf hash, key version, codesep). */
const TAPSCRIPT_EXT_FLAG = 1;
/** key_version 0: the 32-byte x-only keys BIP342 defines. */
const KEY_VERSION = 0;

/** SHA256("TapSighash"), written twice ahead of the message to form the tagged hash in one pass. */
const TAG = sha256(utf8('TapSighash'));
const TAG_BYTES = 64;

/** Reused by every message: it is hashed (or copied) before the next call writes again. */
const scratch = new BufferWriter(512);

/** BIP341's hash_type rule: 0x00..0x03 or 0x81..0x83. */
function isValidHashType(hashType: number): boolean {
  return hashType <= 0x03 || (hashType >= 0x81 && hashType <= 0x83);
}

function writeTxOut(w: BufferWriter, output: TxOut): void {
  if (output.rawValue !== undefined) w.i64(output.rawValue);
  else w.i64num(output.value);
  w.varBytes(output.scriptPubKey);
}

/** sha_single_output: SHA256 of the output at the signed input's index. */
function singleOutputHash(output: TxOut): Uint8Array {
  const w = new BufferWriter(9 + output.scriptPubKey.length);
  writeTxOut(w, output);
  return sha256(w.finish());
}

/**
 * Writes the tag prefix and BIP341's SigMsg, epoch byte first, into the scratch buffer. False
 * exactly where Core's SignatureHashSchnorr fails: an undefined hash type, SIGHASH_SINGLE without
 * an output at the input's index, or missing spent outputs.
 */
function writeMessage(
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  sigversion: SigVersion,
  txdata: PrecomputedTransactionData,
  execdata: ScriptExecutionData,
): boolean {
  if (!Number.isInteger(inputIndex) || inputIndex < 0 || inputIndex >= tx.inputs.length) {
    throw new RangeError(`input index ${inputIndex} out of range`);
  }
  if (sigversion !== SigVersion.TAPROOT && sigversion !== SigVersion.TAPSCRIPT) {
    throw new RangeError('BIP341 signature hashes are for TAPROOT and TAPSCRIPT only');
  }
  if (!txdata.hasSpentOutputs) return false;
  if (!isValidHashType(hashType)) return false;
  const outputType = hashType === SIGHASH_DEFAULT ? SighashType.ALL : hashType & OUTPUT_MASK;
  const anyoneCanPay = (hashType & INPUT_MASK) === SighashType.ANYONECANPAY;
  const single = outputType === SighashType.SINGLE;
  if (single && inputIndex >= tx.outputs.length) return false;
  const tapscript = sigversion === SigVersion.TAPSCRIPT;
  const leafHash = execdata.tapleafHash;
  if (tapscript && leafHash === undefined) throw new RangeError('a tapscript signature needs the leaf hash');

  // Everything cached is computed before the scratch buffer is written.
  const input = tx.inputs[inputIndex]!;
  const spent = txdata.spentOutputs![inputIndex]!;
  const shaPrevouts = anyoneCanPay ? undefined : txdata.prevoutsSha256;
  const shaAmounts = anyoneCanPay ? undefined : txdata.spentAmountsSha256;
  const shaScripts = anyoneCanPay ? undefined : txdata.spentScriptsSha256;
  const shaSequences = anyoneCanPay ? undefined : txdata.sequencesSha256;
  const shaOutputs = outputType === SighashType.ALL ? txdata.outputsSha256 : undefined;
  if (single) execdata.outputHash ??= singleOutputHash(tx.outputs[inputIndex]!);

  const w = scratch.reset();
  w.bytes(TAG).bytes(TAG);
  w.u8(0); // epoch
  w.u8(hashType).u32(tx.version).u32(tx.locktime);
  if (shaPrevouts !== undefined) {
    w.bytes(shaPrevouts).bytes(shaAmounts!).bytes(shaScripts!).bytes(shaSequences!);
  }
  if (shaOutputs !== undefined) w.bytes(shaOutputs);
  const annex = execdata.annexHash;
  // spend_type: ext_flag * 2 + annex_present.
  w.u8((tapscript ? TAPSCRIPT_EXT_FLAG << 1 : 0) + (annex !== undefined ? 1 : 0));
  if (anyoneCanPay) {
    w.bytes(input.prevout.hash).u32(input.prevout.index);
    writeTxOut(w, spent);
    w.u32(input.sequence);
  } else {
    w.u32(inputIndex);
  }
  if (annex !== undefined) w.bytes(annex);
  if (single) w.bytes(execdata.outputHash!);
  if (tapscript) w.bytes(leafHash!).u8(KEY_VERSION).u32(execdata.codeSeparatorPos);
  return true;
}

/**
 * BIP341 signature hash (TaggedHash("TapSighash", SigMsg)) for input `inputIndex`, or null where
 * Core's SignatureHashSchnorr fails (the checker then reports SCHNORR_SIG_HASHTYPE).
 * `txdata` must carry the spent outputs; `execdata` the annex and, for TAPSCRIPT, the leaf hash
 * and code separator position.
 */
export function signatureHashTaproot(
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  sigversion: SigVersion,
  txdata: PrecomputedTransactionData,
  execdata: ScriptExecutionData,
): Uint8Array | null {
  if (!writeMessage(tx, inputIndex, hashType, sigversion, txdata, execdata)) return null;
  return sha256(scratch.finish());
}

/** The SigMsg itself (epoch byte included, tag excluded), as BIP341's test vectors list it. */
export function taprootSigMsg(
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  sigversion: SigVersion,
  txdata: PrecomputedTransactionData,
  execdata: ScriptExecutionData,
): Uint8Array | null {
  if (!writeMessage(tx, inputIndex, hashType, sigversion, txdata, execdata)) return null;
  return scratch.finish().slice(TAG_BYTES);
}
