import { equalBytes } from '../encoding/bytes.js';
import { toDisplayHex } from '../encoding/hex.js';
import type { Block } from '../primitives/block.js';
import type { BlockHeader } from '../primitives/block-header.js';
import { computeMerkleRoot } from '../primitives/merkle.js';
import type { Transaction } from '../primitives/transaction.js';
import { getSigOpCount } from '../script/sigops.js';
import { checkTransaction } from './check-transaction.js';
import { MAX_BLOCK_SIGOPS_COST, MAX_BLOCK_WEIGHT, WITNESS_SCALE_FACTOR } from './constants.js';
import { type BlockCheck, BlockValidationResult, invalidBlock, txFailureInBlock, VALID } from './errors.js';
import type { ConsensusParams } from './params.js';
import { checkProofOfWork } from './pow.js';
import { Reject } from './reject.js';

/** Core's CheckBlockHeader: the context-free header rule, proof of work. */
export function checkBlockHeader(
  header: BlockHeader,
  params: Pick<ConsensusParams, 'powLimit'>,
  options: { checkPoW?: boolean } = {},
): BlockCheck {
  if ((options.checkPoW ?? true) && !checkProofOfWork(header.hash(), header.bits, params)) {
    return invalidBlock(BlockValidationResult.INVALID_HEADER, Reject.HIGH_HASH, 'proof of work failed');
  }
  return VALID;
}

/**
 * Core's CheckMerkleRoot. The root must match the header; and a transaction list that CVE-2012-2459
 * lets an attacker pad with duplicates (same root, different, invalid block) is rejected as
 * bad-txns-duplicate. Both are MUTATED: the header stays valid for the real transaction list.
 */
export function checkMerkleRoot(block: Block): BlockCheck {
  const { root, mutated } = computeMerkleRoot(block.txs.map((tx) => tx.txid()));
  if (!equalBytes(root, block.header.merkleRoot)) {
    return invalidBlock(BlockValidationResult.MUTATED, Reject.TXNMRKLROOT, 'hashMerkleRoot mismatch');
  }
  if (mutated) {
    return invalidBlock(BlockValidationResult.MUTATED, Reject.TXNS_DUPLICATE, 'duplicate transaction');
  }
  return VALID;
}

/** Core's GetLegacySigOpCount: sigops in every scriptSig and scriptPubKey, counted inaccurately. */
export function legacySigOpCount(tx: Transaction): number {
  let count = 0;
  for (const input of tx.inputs) count += getSigOpCount(input.scriptSig, false);
  for (const output of tx.outputs) count += getSigOpCount(output.scriptPubKey, false);
  return count;
}

export interface CheckBlockOptions {
  /** Check proof of work (default true; false for block templates). */
  readonly checkPoW?: boolean;
  /** Check the Merkle root (default true; false for block templates). */
  readonly checkMerkleRoot?: boolean;
}

/**
 * Core's CheckBlock: every rule that needs neither the chain nor the UTXO set, in Core's order. Checks
 * that use witness data are left to contextualCheckBlock, since the witness is only bound to the block
 * by the commitment checked there.
 */
export function checkBlock(
  block: Block,
  params: Pick<ConsensusParams, 'powLimit'>,
  options: CheckBlockOptions = {},
): BlockCheck {
  const header = checkBlockHeader(block.header, params, { checkPoW: options.checkPoW ?? true });
  if (!header.ok) return header;

  if (options.checkMerkleRoot ?? true) {
    const merkle = checkMerkleRoot(block);
    if (!merkle.ok) return merkle;
  }

  // Size limits: the transaction count and the stripped size, each against the weight limit.
  const n = block.txs.length;
  if (
    n === 0 ||
    n * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT ||
    block.baseSize() * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT
  ) {
    return invalidBlock(BlockValidationResult.CONSENSUS, Reject.BLK_LENGTH, 'size limits failed');
  }

  if (!block.txs[0]!.isCoinbase()) {
    return invalidBlock(BlockValidationResult.CONSENSUS, Reject.CB_MISSING, 'first tx is not coinbase');
  }
  for (let i = 1; i < n; i++) {
    if (block.txs[i]!.isCoinbase()) {
      return invalidBlock(BlockValidationResult.CONSENSUS, Reject.CB_MULTIPLE, 'more than one coinbase');
    }
  }

  // Every transaction on its own, including duplicate inputs (CVE-2018-17144).
  for (const tx of block.txs) {
    const result = checkTransaction(tx);
    if (!result.ok) {
      return txFailureInBlock(result, `Transaction check failed (tx hash ${toDisplayHex(tx.txid())})`);
    }
  }

  let sigOps = 0;
  for (const tx of block.txs) sigOps += legacySigOpCount(tx);
  if (sigOps * WITNESS_SCALE_FACTOR > MAX_BLOCK_SIGOPS_COST) {
    return invalidBlock(BlockValidationResult.CONSENSUS, Reject.BLK_SIGOPS, 'out-of-bounds SigOpCount');
  }
  return VALID;
}

/**
 * BIP141 block weight limit. Core checks it in ContextualCheckBlock after the witness commitment:
 * before that, a peer could inflate the coinbase witness (which does not change the block hash) and
 * get a valid block marked invalid.
 */
export function checkBlockWeight(block: Block): BlockCheck {
  const weight = block.weight();
  if (weight > MAX_BLOCK_WEIGHT) {
    return invalidBlock(
      BlockValidationResult.CONSENSUS,
      Reject.BLK_WEIGHT,
      `weight limit failed (${weight})`,
    );
  }
  return VALID;
}
