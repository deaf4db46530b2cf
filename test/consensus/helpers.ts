import { Block } from '../../src/primitives/block.js';
import { BlockHeader } from '../../src/primitives/block-header.js';
import { computeMerkleRoot } from '../../src/primitives/merkle.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import { pushInt } from '../../src/script/script.js';

/** Test builders for consensus tests (not a test file itself). */

/** OP_TRUE: an output anyone can spend with an empty scriptSig. */
export const OP_TRUE_SCRIPT = Uint8Array.of(0x51);

/** A distinct, non-null outpoint. */
export function outpoint(n: number, index = 0): OutPoint {
  const hash = new Uint8Array(32);
  hash[0] = n & 0xff;
  hash[1] = (n >> 8) & 0xff;
  hash[31] = 0x42;
  return new OutPoint(hash, index);
}

export function spend(
  prevouts: OutPoint[],
  values: number[],
  opts: { version?: number; locktime?: number } = {},
) {
  return new Transaction(
    opts.version ?? 2,
    prevouts.map((p) => new TxIn(p, new Uint8Array(0))),
    values.map((v) => new TxOut(v, OP_TRUE_SCRIPT)),
    opts.locktime ?? 0,
  );
}

/** A BIP34 coinbase for `height` paying `value` to OP_TRUE. */
export function coinbase(height: number, value: number, extraOutputs: TxOut[] = []): Transaction {
  const scriptSig = Uint8Array.from([...pushInt(height), 0x00, 0x00]);
  return new Transaction(
    2,
    [new TxIn(OutPoint.null(), scriptSig)],
    [new TxOut(value, OP_TRUE_SCRIPT), ...extraOutputs],
    0,
  );
}

/** A block over `txs` with a correct Merkle root; mined for regtest-level bits unless `mine` is false. */
export function makeBlock(
  txs: Transaction[],
  opts: { bits?: number; time?: number; version?: number; mine?: boolean; prev?: Uint8Array } = {},
): Block {
  const { root } = computeMerkleRoot(txs.map((tx) => tx.txid()));
  const header = new BlockHeader(
    opts.version ?? 0x20000000,
    opts.prev ?? new Uint8Array(32),
    root,
    opts.time ?? 1_600_000_000,
    opts.bits ?? 0x207fffff,
    0,
  );
  if (opts.mine ?? true) {
    // regtest target is 2^255 - 1: about every other nonce works.
    while ((header.hash()[31]! & 0x80) !== 0) {
      header.nonce++;
      header.invalidate();
    }
  }
  return new Block(header, txs);
}

/** Recomputes the header's Merkle root after a test edited the transactions. */
export function refreshMerkleRoot(block: Block): void {
  for (const tx of block.txs) tx.invalidate();
  block.header.merkleRoot = computeMerkleRoot(block.txs.map((tx) => tx.txid())).root;
  block.header.invalidate();
}
