import type { BufferReader } from '../../encoding/reader.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { Block } from '../../primitives/block.js';
import { MerkleBlock } from '../../primitives/merkle-block.js';

/** A full block, with witness data when the request asked for MSG_WITNESS_BLOCK. */
export interface BlockMessage {
  readonly command: 'block';
  readonly block: Block;
}

/** BIP37's answer to MSG_FILTERED_BLOCK: a header and a partial Merkle tree of matching txids. */
export interface MerkleBlockMessage {
  readonly command: 'merkleblock';
  readonly merkleBlock: MerkleBlock;
}

export function encodeBlock(w: BufferWriter, m: BlockMessage, witness: boolean): void {
  m.block.header.write(w);
  w.compactSize(m.block.txs.length);
  for (const tx of m.block.txs) tx.write(w, witness);
}

export function decodeBlock(r: BufferReader): BlockMessage {
  return { command: 'block', block: Block.read(r) };
}

export function encodeMerkleBlock(w: BufferWriter, m: MerkleBlockMessage): void {
  m.merkleBlock.write(w);
}

export function decodeMerkleBlock(r: BufferReader): MerkleBlockMessage {
  return { command: 'merkleblock', merkleBlock: MerkleBlock.read(r) };
}
