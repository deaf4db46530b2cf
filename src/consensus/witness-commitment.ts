import { hash256 } from '../crypto/hash.js';
import { concatBytes, equalBytes } from '../encoding/bytes.js';
import type { Block } from '../primitives/block.js';
import { computeMerkleRoot } from '../primitives/merkle.js';
import { MINIMUM_WITNESS_COMMITMENT, WITNESS_COMMITMENT_HEADER } from './constants.js';
import { type BlockCheck, BlockValidationResult, invalidBlock, VALID } from './errors.js';
import { Reject } from './reject.js';

/**
 * BIP141 witness Merkle root (Core's BlockWitnessMerkleRoot): the Merkle root of the wtxids, with the
 * coinbase's wtxid replaced by 32 zero bytes (the coinbase cannot commit to its own witness).
 */
export function computeWitnessMerkleRoot(block: Block): { root: Uint8Array; mutated: boolean } {
  const leaves = block.txs.map((tx, i) => (i === 0 ? new Uint8Array(32) : tx.wtxid()));
  return computeMerkleRoot(leaves);
}

/**
 * Core's GetWitnessCommitmentIndex: the index of the coinbase output holding the witness commitment,
 * `OP_RETURN <36 bytes: aa21a9ed || commitment>` (longer scripts allowed), the last one if several;
 * -1 if there is none.
 */
export function witnessCommitmentIndex(block: Block): number {
  const coinbase = block.txs[0];
  if (coinbase === undefined) return -1;
  let index = -1;
  coinbase.outputs.forEach((output, i) => {
    const script = output.scriptPubKey;
    if (
      script.length >= MINIMUM_WITNESS_COMMITMENT &&
      equalBytes(script.subarray(0, WITNESS_COMMITMENT_HEADER.length), WITNESS_COMMITMENT_HEADER)
    ) {
      index = i;
    }
  });
  return index;
}

/** The commitment value: hash256(witness root || witness reserved value). */
export function witnessCommitment(witnessRoot: Uint8Array, reservedValue: Uint8Array): Uint8Array {
  return hash256(concatBytes(witnessRoot, reservedValue));
}

/**
 * Core's CheckWitnessMalleation. When segwit is active and the coinbase has a commitment, the coinbase
 * witness must be exactly one 32-byte item (the reserved value) and the commitment must match. A block
 * without a commitment (or before segwit) may not carry witness data at all: it would be unvalidated
 * data that does not change the block hash. Failures are MUTATED: the header may be fine with other data.
 */
export function checkWitnessCommitment(block: Block, expectWitnessCommitment: boolean): BlockCheck {
  if (expectWitnessCommitment) {
    const index = witnessCommitmentIndex(block);
    if (index !== -1) {
      const coinbase = block.txs[0]!;
      const stack = coinbase.inputs[0]?.witness ?? [];
      if (stack.length !== 1 || stack[0]!.length !== 32) {
        return invalidBlock(
          BlockValidationResult.MUTATED,
          Reject.WITNESS_NONCE_SIZE,
          'checkWitnessCommitment: invalid witness reserved value size',
        );
      }
      // The witness tree's own mutation flag is ignored, as in Core: the transaction tree already
      // rules out duplicated transactions, so it cannot trigger here.
      const { root } = computeWitnessMerkleRoot(block);
      const expected = witnessCommitment(root, stack[0]!);
      const committed = coinbase.outputs[index]!.scriptPubKey.subarray(6, 38);
      if (!equalBytes(expected, committed)) {
        return invalidBlock(
          BlockValidationResult.MUTATED,
          Reject.WITNESS_MERKLE_MATCH,
          'checkWitnessCommitment: witness merkle commitment mismatch',
        );
      }
      return VALID;
    }
  }
  for (const tx of block.txs) {
    if (tx.hasWitness()) {
      return invalidBlock(
        BlockValidationResult.MUTATED,
        Reject.UNEXPECTED_WITNESS,
        'checkWitnessCommitment: unexpected witness data found',
      );
    }
  }
  return VALID;
}
