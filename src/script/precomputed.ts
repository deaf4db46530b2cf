import { hash256, sha256 } from '../crypto/hash.js';
import { BufferWriter } from '../encoding/writer.js';
import type { Transaction } from '../primitives/transaction.js';
import type { TxOut } from '../primitives/txout.js';

/**
 * Per-transaction data shared by every signature check of one transaction, computed on first use.
 *
 * BIP143 exists to fix legacy sighash's quadratic cost: hashPrevouts, hashSequence and hashOutputs
 * are the same for every input, so they are hashed once here. The single-SHA256 forms are what
 * BIP341 commits to (taproot reuses them with the spent outputs' amounts and scripts). For legacy
 * signatures the serialized inputs and outputs are cached, so each preimage is two memcpys rather
 * than a re-serialization of the whole transaction.
 *
 * The transaction must not change after this object is created.
 */
export class PrecomputedTransactionData {
  private prevoutsSingle: Uint8Array | undefined;
  private sequencesSingle: Uint8Array | undefined;
  private outputsSingle: Uint8Array | undefined;
  private prevoutsDouble: Uint8Array | undefined;
  private sequencesDouble: Uint8Array | undefined;
  private outputsDouble: Uint8Array | undefined;
  private outputsBlob: Uint8Array | undefined;
  private inputsBlob: Uint8Array | undefined;
  private amountsSingle: Uint8Array | undefined;
  private scriptsSingle: Uint8Array | undefined;

  constructor(
    readonly tx: Transaction,
    /** The outputs being spent, one per input (needed by BIP341; optional before taproot). */
    readonly spentOutputs?: readonly TxOut[],
  ) {}

  /**
   * Whether every input's spent output is known (Core's m_spent_outputs_ready). BIP341 signatures
   * commit to all of them, so without them no taproot signature can be checked.
   */
  get hasSpentOutputs(): boolean {
    return this.spentOutputs !== undefined && this.spentOutputs.length === this.tx.inputs.length;
  }

  /** BIP143 hashPrevouts: SHA256d of every input's outpoint. */
  get hashPrevouts(): Uint8Array {
    this.prevoutsDouble ??= sha256(this.prevoutsSha256);
    return this.prevoutsDouble;
  }

  /** BIP143 hashSequence: SHA256d of every input's nSequence. */
  get hashSequence(): Uint8Array {
    this.sequencesDouble ??= sha256(this.sequencesSha256);
    return this.sequencesDouble;
  }

  /** BIP143 hashOutputs: SHA256d of every serialized output. */
  get hashOutputs(): Uint8Array {
    this.outputsDouble ??= sha256(this.outputsSha256);
    return this.outputsDouble;
  }

  /** BIP341 sha_prevouts. */
  get prevoutsSha256(): Uint8Array {
    if (this.prevoutsSingle === undefined) {
      const w = new BufferWriter(this.tx.inputs.length * 36);
      for (const input of this.tx.inputs) input.prevout.write(w);
      this.prevoutsSingle = sha256(w.finish());
    }
    return this.prevoutsSingle;
  }

  /** BIP341 sha_sequences. */
  get sequencesSha256(): Uint8Array {
    if (this.sequencesSingle === undefined) {
      const w = new BufferWriter(this.tx.inputs.length * 4);
      for (const input of this.tx.inputs) w.u32(input.sequence);
      this.sequencesSingle = sha256(w.finish());
    }
    return this.sequencesSingle;
  }

  /** BIP341 sha_outputs. */
  get outputsSha256(): Uint8Array {
    this.outputsSingle ??= sha256(this.serializedOutputs());
    return this.outputsSingle;
  }

  /** BIP341 sha_amounts: SHA256 of every spent output's amount. Needs `hasSpentOutputs`. */
  get spentAmountsSha256(): Uint8Array {
    if (this.amountsSingle === undefined) {
      const spent = this.requireSpentOutputs();
      const w = new BufferWriter(spent.length * 8);
      for (const output of spent) {
        if (output.rawValue !== undefined) w.i64(output.rawValue);
        else w.i64num(output.value);
      }
      this.amountsSingle = sha256(w.finish());
    }
    return this.amountsSingle;
  }

  /** BIP341 sha_scriptpubkeys: SHA256 of every spent scriptPubKey, length-prefixed. Needs `hasSpentOutputs`. */
  get spentScriptsSha256(): Uint8Array {
    if (this.scriptsSingle === undefined) {
      const spent = this.requireSpentOutputs();
      const w = new BufferWriter(spent.length * 35);
      for (const output of spent) w.varBytes(output.scriptPubKey);
      this.scriptsSingle = sha256(w.finish());
    }
    return this.scriptsSingle;
  }

  private requireSpentOutputs(): readonly TxOut[] {
    // Callers check hasSpentOutputs first; reaching here without them is a bug, not bad data.
    if (!this.hasSpentOutputs) throw new RangeError('BIP341 hashes need the spent output of every input');
    return this.spentOutputs!;
  }

  /** Every output serialized back to back (legacy SIGHASH_ALL preimages embed this verbatim). */
  serializedOutputs(): Uint8Array {
    if (this.outputsBlob === undefined) {
      const w = new BufferWriter(this.tx.outputs.length * 34);
      for (const output of this.tx.outputs) writeOutput(w, output);
      this.outputsBlob = w.finish();
    }
    return this.outputsBlob;
  }

  /**
   * Every input as a legacy preimage shows the inputs not being signed: outpoint, empty script,
   * nSequence, 41 bytes each. The input being signed is patched in by the caller.
   */
  serializedInputsWithEmptyScripts(): Uint8Array {
    if (this.inputsBlob === undefined) {
      const w = new BufferWriter(this.tx.inputs.length * INPUT_WITH_EMPTY_SCRIPT_SIZE);
      for (const input of this.tx.inputs) {
        input.prevout.write(w);
        w.u8(0).u32(input.sequence);
      }
      this.inputsBlob = w.finish();
    }
    return this.inputsBlob;
  }
}

/** Outpoint (36) + empty script length (1) + nSequence (4). */
export const INPUT_WITH_EMPTY_SCRIPT_SIZE = 41;

export function writeOutput(w: BufferWriter, output: TxOut): void {
  if (output.rawValue !== undefined) w.i64(output.rawValue);
  else w.i64num(output.value);
  w.varBytes(output.scriptPubKey);
}

/** SHA256d of one serialized output (BIP143 SIGHASH_SINGLE). */
export function hashOutput(output: TxOut): Uint8Array {
  const w = new BufferWriter(9 + output.scriptPubKey.length);
  writeOutput(w, output);
  return hash256(w.finish());
}
