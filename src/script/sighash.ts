import { hash256 } from '../crypto/hash.js';
import type { Transaction } from '../primitives/transaction.js';
import { Op } from './opcodes.js';
import { hashOutput, INPUT_WITH_EMPTY_SCRIPT_SIZE, PrecomputedTransactionData } from './precomputed.js';
import { BufferWriter } from '../encoding/writer.js';
import { ScriptCursor } from './script.js';

export const SighashType = {
  ALL: 0x01,
  NONE: 0x02,
  SINGLE: 0x03,
  ANYONECANPAY: 0x80,
} as const;

/** Core masks the hashtype with 0x1f (not 0x7f) to pick the output mode; keep that exactly. */
const OUTPUT_MASK = 0x1f;

/**
 * Below this many inputs a transaction's legacy preimages are written field by field rather than
 * from PrecomputedTransactionData's cached blobs: building a blob allocates an ArrayBuffer (~3 µs
 * with its serialization, measured on block 300025) that a 1-input transaction uses once. 397 of
 * that block's 460 transactions have fewer inputs; the threshold saved ~0.4 ms per block.
 */
const BLOB_MIN_INPUTS = 8;

/** Reused by every preimage: hashing happens before the next call can write again. */
const scratch = new BufferWriter();
/** Reused likewise to walk each scriptCode (a cursor per sighash was ~1.5% of block garbage). */
const cursor = new ScriptCursor(new Uint8Array(0));

/** uint256 "one": what Core signs for SIGHASH_SINGLE without a matching output (the 2012 bug). */
function uint256One(): Uint8Array {
  const one = new Uint8Array(32);
  one[0] = 1;
  return one;
}

/**
 * Writes scriptCode as Core's CTransactionSignatureSerializer does: the length prefix counts the
 * bytes minus one per OP_CODESEPARATOR, and the bytes are copied up to where instruction parsing
 * stopped. For a script ending in a truncated push those disagree (the prefix is longer than the
 * bytes written); that is what Core hashes, so it is what we hash.
 */
function writeScriptCodeWithoutSeparators(w: BufferWriter, scriptCode: Uint8Array): void {
  const c = cursor.reset(scriptCode);
  let separators = 0;
  while (c.next()) if (c.op === Op.OP_CODESEPARATOR) separators++;
  w.compactSize(scriptCode.length - separators);
  if (separators === 0 && c.pos === scriptCode.length) {
    w.bytes(scriptCode);
    return;
  }
  c.pos = 0;
  let begin = 0;
  while (c.next()) {
    if (c.op === Op.OP_CODESEPARATOR) {
      w.bytes(scriptCode.subarray(begin, c.pos - 1));
      begin = c.pos;
    }
  }
  if (begin !== scriptCode.length) w.bytes(scriptCode.subarray(begin, c.pos));
}

function checkInputIndex(tx: Transaction, inputIndex: number): void {
  if (!Number.isInteger(inputIndex) || inputIndex < 0 || inputIndex >= tx.inputs.length) {
    throw new RangeError(`input index ${inputIndex} out of range`);
  }
}

/**
 * Core's SignatureHash for SigVersion::BASE (pre-segwit), in internal byte order. `hashType` is the
 * full int32 (Core serializes all four bytes, although signatures only ever carry one).
 */
export function signatureHashLegacy(
  scriptCode: Uint8Array,
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  txdata?: PrecomputedTransactionData,
): Uint8Array {
  checkInputIndex(tx, inputIndex);
  const anyoneCanPay = (hashType & SighashType.ANYONECANPAY) !== 0;
  const mode = hashType & OUTPUT_MASK;
  const single = mode === SighashType.SINGLE;
  const none = mode === SighashType.NONE;
  if (single && inputIndex >= tx.outputs.length) return uint256One();
  const inputs = tx.inputs;

  // Cached blobs only pay off when a transaction has several inputs; fetch them before writing,
  // since computing them must not interleave with the scratch buffer.
  const allOutputs = !single && !none && txdata !== undefined && inputs.length >= BLOB_MIN_INPUTS;
  const inputsBlob = allOutputs && !anyoneCanPay ? txdata.serializedInputsWithEmptyScripts() : undefined;
  const outputsBlob = allOutputs ? txdata.serializedOutputs() : undefined;

  const w = scratch.reset();
  w.u32(tx.version);
  if (anyoneCanPay) {
    const input = inputs[inputIndex]!;
    w.compactSize(1);
    w.bytes(input.prevout.hash).u32(input.prevout.index);
    writeScriptCodeWithoutSeparators(w, scriptCode);
    w.u32(input.sequence);
  } else {
    w.compactSize(inputs.length);
    if (inputsBlob !== undefined) {
      const input = inputs[inputIndex]!;
      w.bytes(inputsBlob.subarray(0, inputIndex * INPUT_WITH_EMPTY_SCRIPT_SIZE));
      w.bytes(input.prevout.hash).u32(input.prevout.index);
      writeScriptCodeWithoutSeparators(w, scriptCode);
      w.u32(input.sequence);
      w.bytes(inputsBlob.subarray((inputIndex + 1) * INPUT_WITH_EMPTY_SCRIPT_SIZE));
    } else {
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i]!;
        w.bytes(input.prevout.hash).u32(input.prevout.index);
        if (i === inputIndex) writeScriptCodeWithoutSeparators(w, scriptCode);
        else w.u8(0);
        // NONE and SINGLE let other signers update their inputs: their sequences are blanked.
        w.u32(i !== inputIndex && (single || none) ? 0 : input.sequence);
      }
    }
  }

  if (outputsBlob !== undefined) {
    w.compactSize(tx.outputs.length).bytes(outputsBlob);
  } else {
    const count = none ? 0 : single ? inputIndex + 1 : tx.outputs.length;
    w.compactSize(count);
    for (let i = 0; i < count; i++) {
      if (single && i !== inputIndex) {
        // CTxOut(): value -1 and an empty script.
        w.i64num(-1).u8(0);
        continue;
      }
      const output = tx.outputs[i]!;
      if (output.rawValue !== undefined) w.i64(output.rawValue);
      else w.i64num(output.value);
      w.varBytes(output.scriptPubKey);
    }
  }
  w.u32(tx.locktime).i32(hashType);
  return hash256(w.finish());
}

/** BIP143 signature hash for segwit v0 inputs, in internal byte order. */
export function signatureHashWitnessV0(
  scriptCode: Uint8Array,
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  amount: number,
  txdata?: PrecomputedTransactionData,
): Uint8Array {
  checkInputIndex(tx, inputIndex);
  const data = txdata ?? new PrecomputedTransactionData(tx);
  const anyoneCanPay = (hashType & SighashType.ANYONECANPAY) !== 0;
  const mode = hashType & OUTPUT_MASK;
  const singleOrNone = mode === SighashType.SINGLE || mode === SighashType.NONE;
  const zero = ZERO_HASH;

  const hashPrevouts = anyoneCanPay ? zero : data.hashPrevouts;
  const hashSequence = anyoneCanPay || singleOrNone ? zero : data.hashSequence;
  let hashOutputs: Uint8Array = zero;
  if (!singleOrNone) hashOutputs = data.hashOutputs;
  else if (mode === SighashType.SINGLE && inputIndex < tx.outputs.length) {
    hashOutputs = hashOutput(tx.outputs[inputIndex]!);
  }

  const input = tx.inputs[inputIndex]!;
  const w = scratch.reset();
  w.u32(tx.version).bytes(hashPrevouts).bytes(hashSequence);
  w.bytes(input.prevout.hash).u32(input.prevout.index);
  w.varBytes(scriptCode);
  w.i64num(amount).u32(input.sequence);
  w.bytes(hashOutputs).u32(tx.locktime).i32(hashType);
  return hash256(w.finish());
}

const ZERO_HASH = new Uint8Array(32);
