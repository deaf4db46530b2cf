export { Block } from './block.js';
export { BlockHeader, HEADER_SIZE } from './block-header.js';
export { computeMerkleRoot, merkleParent } from './merkle.js';
export { OutPoint } from './outpoint.js';
export { Transaction, WITNESS_SCALE_FACTOR } from './transaction.js';
export { SEQUENCE_FINAL, TxIn } from './txin.js';
export { TxOut } from './txout.js';
export { MerkleBlock, type MerkleBlockResult } from './merkle-block.js';
export { buildMerkleBranch, computeRootFromBranch, verifyMerkleBranch } from './merkle-proof.js';
export {
  MAX_PARTIAL_TREE_TRANSACTIONS,
  type MerkleMatch,
  PartialMerkleTree,
  type PartialMerkleTreeError,
  type PartialMerkleTreeResult,
} from './partial-merkle-tree.js';
export { Coin } from './coin.js';
