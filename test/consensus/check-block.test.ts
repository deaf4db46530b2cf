import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkBlock,
  checkBlockHeader,
  checkBlockWeight,
  checkMerkleRoot,
} from '../../src/consensus/check-block.js';
import type { BlockCheck } from '../../src/consensus/errors.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { equalBytes } from '../../src/encoding/bytes.js';
import { Block } from '../../src/primitives/block.js';
import { computeMerkleRoot } from '../../src/primitives/merkle.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import { readShared } from '../support/shared.js';
import { coinbase, makeBlock, outpoint, refreshMerkleRoot, spend } from './helpers.js';

const RAW_300025 = readShared('blocks', 'mainnet', 'block300025.raw');
const load300025 = () => Block.decode(RAW_300025);
const main = mainnet.consensus;
const reg = regtest.consensus;

function rejects(result: BlockCheck, reason: string, kind: string): void {
  assert.equal(result.ok, false, `expected ${reason}`);
  if (!result.ok) {
    assert.equal(result.reason, reason);
    assert.equal(result.result, kind);
  }
}

describe('checkBlock on mainnet block 300025 and mutated copies', () => {
  it('accepts the real block', () => {
    const block = load300025();
    assert.deepEqual(checkBlock(block, main), { ok: true });
    assert.ok(block.txs.length > 2);
  });

  it('a transaction list padded with duplicates keeps the root: bad-txns-duplicate (CVE-2012-2459)', () => {
    const block = load300025();
    const n = block.txs.length;
    // An odd level duplicates its last hash, so repeating the tail that got duplicated keeps the root.
    const tails = [block.txs.slice(n - 1), block.txs.slice(n - 2)];
    let mutated: Block | undefined;
    for (const tail of tails) {
      const candidate = new Block(block.header, [...block.txs, ...tail]);
      const { root } = computeMerkleRoot(candidate.txs.map((tx) => tx.txid()));
      if (equalBytes(root, block.header.merkleRoot)) mutated = candidate;
    }
    assert.ok(mutated !== undefined, 'a duplicated tail with the same Merkle root');
    rejects(checkBlock(mutated, main), 'bad-txns-duplicate', 'BLOCK_MUTATED');
    // The header is untouched: its proof of work still holds.
    assert.deepEqual(checkBlockHeader(mutated.header, main), { ok: true });
  });

  it('a changed byte in a transaction: bad-txnmrklroot', () => {
    const raw = RAW_300025.slice();
    // Flip a byte inside the last transaction's last output script.
    raw[raw.length - 20]! ^= 0x01;
    const block = Block.decode(raw);
    rejects(checkBlock(block, main), 'bad-txnmrklroot', 'BLOCK_MUTATED');
    rejects(checkMerkleRoot(block), 'bad-txnmrklroot', 'BLOCK_MUTATED');
  });

  it('a duplicated input: bad-txns-inputs-duplicate (CVE-2018-17144)', () => {
    const block = load300025();
    const tx = block.txs[1]!;
    tx.inputs.push(new TxIn(tx.inputs[0]!.prevout, tx.inputs[0]!.scriptSig, tx.inputs[0]!.sequence));
    refreshMerkleRoot(block);
    // The header changed, so its proof of work is gone; skip PoW to reach the transaction rules.
    rejects(checkBlock(block, main), 'high-hash', 'BLOCK_INVALID_HEADER');
    rejects(checkBlock(block, main, { checkPoW: false }), 'bad-txns-inputs-duplicate', 'BLOCK_CONSENSUS');
  });

  it('a changed header nonce: high-hash', () => {
    const block = load300025();
    block.header.nonce = (block.header.nonce + 1) >>> 0;
    block.header.invalidate();
    rejects(checkBlock(block, main), 'high-hash', 'BLOCK_INVALID_HEADER');
    rejects(checkBlockHeader(block.header, main), 'high-hash', 'BLOCK_INVALID_HEADER');
    assert.deepEqual(checkBlock(block, main, { checkPoW: false }), { ok: true });
  });

  it('checkMerkleRoot can be skipped (block templates)', () => {
    const raw = RAW_300025.slice();
    raw[raw.length - 20]! ^= 0x01;
    assert.deepEqual(checkBlock(Block.decode(raw), main, { checkMerkleRoot: false }), { ok: true });
  });
});

describe('checkBlock rules on synthetic blocks', () => {
  const cb = () => coinbase(1, 50e8);

  it('accepts a mined regtest block', () => {
    assert.deepEqual(checkBlock(makeBlock([cb(), spend([outpoint(1)], [1])]), reg), { ok: true });
  });

  it('bad-blk-length: no transactions, or more than 1 MB stripped', () => {
    rejects(checkBlock(makeBlock([]), reg), 'bad-blk-length', 'BLOCK_CONSENSUS');
    const big = spend([outpoint(1)], [1]);
    big.outputs[0]!.scriptPubKey = new Uint8Array(999_950);
    rejects(checkBlock(makeBlock([cb(), big]), reg), 'bad-blk-length', 'BLOCK_CONSENSUS');
    big.outputs[0]!.scriptPubKey = new Uint8Array(999_000);
    big.invalidate();
    assert.deepEqual(checkBlock(makeBlock([cb(), big]), reg), { ok: true });
  });

  it('bad-cb-missing: the first transaction must be a coinbase', () => {
    rejects(checkBlock(makeBlock([spend([outpoint(1)], [1])]), reg), 'bad-cb-missing', 'BLOCK_CONSENSUS');
  });

  it('bad-cb-multiple: only the first', () => {
    rejects(checkBlock(makeBlock([cb(), coinbase(2, 1)]), reg), 'bad-cb-multiple', 'BLOCK_CONSENSUS');
  });

  it('a failing transaction fails the block with its own reason', () => {
    const result = checkBlock(makeBlock([cb(), spend([outpoint(1)], [-1])]), reg);
    rejects(result, 'bad-txns-vout-negative', 'BLOCK_CONSENSUS');
    assert.match(result.ok ? '' : result.debug, /Transaction check failed \(tx hash [0-9a-f]{64}\)/);
    rejects(
      checkBlock(makeBlock([cb(), spend([OutPoint.null(), outpoint(2)], [1])]), reg),
      'bad-txns-prevout-null',
      'BLOCK_CONSENSUS',
    );
  });

  it('bad-blk-sigops: more than 20,000 legacy sigops', () => {
    const OP_CHECKSIG = 0xac;
    const OP_CHECKMULTISIG = 0xae;
    const tx = spend([outpoint(1)], [1]);
    tx.outputs[0]!.scriptPubKey = new Uint8Array(20_000).fill(OP_CHECKSIG);
    assert.deepEqual(checkBlock(makeBlock([cb(), tx]), reg), { ok: true });
    const over = spend([outpoint(1)], [1]);
    over.outputs[0]!.scriptPubKey = new Uint8Array(20_001).fill(OP_CHECKSIG);
    rejects(checkBlock(makeBlock([cb(), over]), reg), 'bad-blk-sigops', 'BLOCK_CONSENSUS');
    // Legacy counting charges 20 per CHECKMULTISIG.
    const multi = spend([outpoint(1)], [1]);
    multi.outputs.push(new TxOut(0, new Uint8Array(1001).fill(OP_CHECKMULTISIG)));
    rejects(checkBlock(makeBlock([cb(), multi]), reg), 'bad-blk-sigops', 'BLOCK_CONSENSUS');
  });

  it('bad-blk-weight is judged on the full serialization', () => {
    const tx = spend([outpoint(1)], [1]);
    tx.inputs[0]!.witness = [new Uint8Array(4_000_000)];
    const block = makeBlock([cb(), tx]);
    // Witness data is not CheckBlock's business...
    assert.deepEqual(checkBlock(block, reg), { ok: true });
    // ...but the weight limit catches it once the witness is bound.
    rejects(checkBlockWeight(block), 'bad-blk-weight', 'BLOCK_CONSENSUS');
    tx.inputs[0]!.witness = [new Uint8Array(3_990_000)];
    tx.invalidate();
    assert.deepEqual(checkBlockWeight(makeBlock([cb(), tx])), { ok: true });
  });
});
