export { Block } from './block.js';
export { BlockHeader, HEADER_SIZE } from './block-header.js';
export { computeMerkleRoot, merkleParent } from './merkle.js';
export { OutPoint } from './outpoint.js';
export { Transaction, WITNESS_SCALE_FACTOR } from './transaction.js';
export { SEQUENCE_FINAL, TxIn } from './txin.js';
export { TxOut } from './txout.js';
