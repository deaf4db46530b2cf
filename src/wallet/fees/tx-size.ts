import { compactSizeLength } from '../../encoding/compact-size.js';
import { WITNESS_SCALE_FACTOR } from '../../primitives/transaction.js';
import { pushData } from '../../script/script.js';
import { multisig } from '../../script/templates.js';

/**
 * Size estimates for transactions the wallet has not signed yet, derived from the serialization
 * (BIP141 weight = 3 × stripped size + total size) with dummy signatures of the largest size the
 * wallet will produce, as Core's DummySignatureCreator does. The familiar constants fall out of the
 * derivation instead of being typed in: P2PKH 148 vB, P2SH-P2WPKH 91, P2WPKH 68, P2TR key path 58.
 */

/**
 * An ECDSA signature as Core's wallet makes it: DER of at most 70 bytes (it grinds R below 2^255,
 * so R needs no sign byte; low-S already guarantees S needs none) plus the sighash byte.
 */
export const ECDSA_SIGNATURE_SIZE = 71;
/** Without R grinding (watch-only inputs signed elsewhere; Core's use_max_sig): a 71-byte DER. */
export const ECDSA_MAX_SIGNATURE_SIZE = 72;
/** BIP340 signature with SIGHASH_DEFAULT: no sighash byte (BIP341). */
export const SCHNORR_SIGNATURE_SIZE = 64;
const COMPRESSED_PUBKEY_SIZE = 33;
/** Outpoint (32 + 4) and nSequence (4): the fixed part of every input. */
const INPUT_FIXED_SIZE = 32 + 4 + 4;

/** How a coin will be spent: the script template and, for multisig, its m-of-n. Keys are compressed. */
export type SpendType =
  | { readonly kind: 'p2pkh' }
  | { readonly kind: 'p2sh-p2wpkh' }
  | { readonly kind: 'p2wpkh' }
  | { readonly kind: 'p2tr-keypath' }
  | { readonly kind: 'p2sh-multisig'; readonly m: number; readonly n: number }
  | { readonly kind: 'p2wsh-multisig'; readonly m: number; readonly n: number }
  | { readonly kind: 'p2sh-p2wsh-multisig'; readonly m: number; readonly n: number };

/** The two halves of a signed input: its scriptSig and its serialized witness (0 when it has none). */
export interface InputSize {
  /** Bytes of the scriptSig itself (its length prefix is added by the estimators). */
  readonly scriptSigSize: number;
  /** Bytes of the serialized witness stack including its item count; 0 for an input without one. */
  readonly witnessSize: number;
}

export interface SignatureSizes {
  readonly ecdsa: number;
  readonly schnorr: number;
}

const DEFAULT_SIGNATURE_SIZES: SignatureSizes = {
  ecdsa: ECDSA_SIGNATURE_SIZE,
  schnorr: SCHNORR_SIGNATURE_SIZE,
};

/** A data push in a script: opcode(s) announcing the length, then the bytes. */
function scriptPushSize(length: number): number {
  return pushData(new Uint8Array(length)).length;
}

/** A witness stack serialized: item count, then each item with its CompactSize length. */
function witnessStackSize(itemSizes: readonly number[]): number {
  let size = compactSizeLength(itemSizes.length);
  for (const s of itemSizes) size += compactSizeLength(s) + s;
  return size;
}

/** The m-of-n CHECKMULTISIG script with compressed keys, built by the real template builder. */
function multisigScriptSize(m: number, n: number): number {
  const keys = Array.from({ length: n }, () => {
    const key = new Uint8Array(COMPRESSED_PUBKEY_SIZE);
    key[0] = 2;
    return key;
  });
  return multisig(m, keys).length;
}

/** scriptSig and witness sizes of a signed input of `spend`. */
export function inputSize(spend: SpendType, sigs: SignatureSizes = DEFAULT_SIGNATURE_SIZES): InputSize {
  switch (spend.kind) {
    case 'p2pkh':
      return {
        scriptSigSize: scriptPushSize(sigs.ecdsa) + scriptPushSize(COMPRESSED_PUBKEY_SIZE),
        witnessSize: 0,
      };
    case 'p2wpkh':
      return { scriptSigSize: 0, witnessSize: witnessStackSize([sigs.ecdsa, COMPRESSED_PUBKEY_SIZE]) };
    case 'p2sh-p2wpkh':
      // The scriptSig pushes the v0 keyhash program: OP_0 <20 bytes> (BIP141 P2SH-wrapped).
      return {
        scriptSigSize: scriptPushSize(2 + 20),
        witnessSize: witnessStackSize([sigs.ecdsa, COMPRESSED_PUBKEY_SIZE]),
      };
    case 'p2tr-keypath':
      return { scriptSigSize: 0, witnessSize: witnessStackSize([sigs.schnorr]) };
    case 'p2sh-multisig': {
      // OP_0 (CHECKMULTISIG's extra pop), m signatures, the redeem script.
      const script = multisigScriptSize(spend.m, spend.n);
      return {
        scriptSigSize: 1 + spend.m * scriptPushSize(sigs.ecdsa) + scriptPushSize(script),
        witnessSize: 0,
      };
    }
    case 'p2wsh-multisig':
    case 'p2sh-p2wsh-multisig': {
      const script = multisigScriptSize(spend.m, spend.n);
      const items = [0, ...Array.from({ length: spend.m }, () => sigs.ecdsa), script];
      // The wrapped form pushes OP_0 <32-byte script hash> in its scriptSig.
      const scriptSigSize = spend.kind === 'p2sh-p2wsh-multisig' ? scriptPushSize(2 + 32) : 0;
      return { scriptSigSize, witnessSize: witnessStackSize(items) };
    }
  }
}

/** Stripped (non-witness) bytes of an input: outpoint, scriptSig with its length, nSequence. */
export function inputBaseSize(size: InputSize): number {
  return INPUT_FIXED_SIZE + compactSizeLength(size.scriptSigSize) + size.scriptSigSize;
}

/**
 * Weight an input adds to a segwit transaction, as Core's GetTransactionInputWeight counts it: an
 * input without a witness still serializes an empty stack (one 0x00 byte) once any input has one.
 * Counting that byte always is what makes a P2PKH spend 148 vB rather than 147.
 */
export function inputWeight(size: InputSize): number {
  return inputBaseSize(size) * WITNESS_SCALE_FACTOR + Math.max(size.witnessSize, 1);
}

/** Core's input_bytes: the input's weight in virtual bytes, rounded up (what coin selection prices). */
export function inputVsize(size: InputSize): number {
  return Math.ceil(inputWeight(size) / WITNESS_SCALE_FACTOR);
}

/** Weight and witness flag of spending `spend`: the fields a coin candidate needs. */
export function spendWeight(
  spend: SpendType,
  sigs?: SignatureSizes,
): { inputWeight: number; witness: boolean } {
  const size = inputSize(spend, sigs);
  return { inputWeight: inputWeight(size), witness: size.witnessSize > 0 };
}

/** Serialized bytes of an output with a script of `scriptLength` bytes: value, length, script. */
export function outputSize(scriptLength: number): number {
  return 8 + compactSizeLength(scriptLength) + scriptLength;
}

/**
 * Core's tx_noinputs_size in vbytes: version and locktime (4 + 4), a one-byte input count, the
 * output count and outputs, and the segwit marker and flag (2 weight units, which Core rounds to a
 * whole vbyte). Inputs are priced one by one on top of this during coin selection.
 */
export function selectionOverheadVsize(outputScriptLengths: readonly number[]): number {
  let base = 4 + 4 + 1 + compactSizeLength(outputScriptLengths.length);
  for (const len of outputScriptLengths) base += outputSize(len);
  return Math.ceil((base * WITNESS_SCALE_FACTOR + 2) / WITNESS_SCALE_FACTOR);
}

/**
 * Exact BIP141 weight of a transaction with these inputs and outputs once signed with signatures of
 * the assumed sizes. The marker, flag and the empty stacks of witness-less inputs appear only when
 * at least one input has a witness, as in the real serialization.
 */
export function estimateTransactionWeight(
  inputs: readonly InputSize[],
  outputScriptLengths: readonly number[],
): number {
  let base = 4 + compactSizeLength(inputs.length) + compactSizeLength(outputScriptLengths.length) + 4;
  let witness = 0;
  let segwit = false;
  for (const input of inputs) {
    base += inputBaseSize(input);
    if (input.witnessSize > 0) segwit = true;
  }
  for (const len of outputScriptLengths) base += outputSize(len);
  if (segwit) {
    witness = 2;
    for (const input of inputs) witness += Math.max(input.witnessSize, 1);
  }
  return base * WITNESS_SCALE_FACTOR + witness;
}

/** Virtual size: weight / 4 rounded up (BIP141). */
export function weightToVsize(weight: number): number {
  return Math.ceil(weight / WITNESS_SCALE_FACTOR);
}

export function estimateTransactionVsize(
  inputs: readonly InputSize[],
  outputScriptLengths: readonly number[],
): number {
  return weightToVsize(estimateTransactionWeight(inputs, outputScriptLengths));
}
