import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkProofOfWork } from '../../src/consensus/pow.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import type { Block } from '../../src/primitives/block.js';
import { TestChain } from '../support/test-chain.js';
import { assertRejected, assertStatus } from '../support/test-chain-assert.js';
import { TestChainStore } from '../support/test-chain-store.js';

describe('TestChain builder (test/support/test-chain.ts)', () => {
  let store: TestChainStore;
  before(async () => {
    store = await TestChainStore.create();
  });
  after(async () => {
    await store.destroy();
  });

  it('the example in its doc comment works as written', async () => {
    const tc = new TestChain();
    const blocks = tc.mine(101);
    const coin = tc.coinbaseOutput(blocks[0]!);
    const tx = tc.spend([coin]);
    const b102 = tc.block({ txs: [tx] });
    const side = tc.block({ parent: blocks[99]! });
    const bad = tc.block({ parent: b102, txs: [tc.withBadSignature(tc.spend(tc.outputs(tx)))] });
    for (const b of [...blocks, b102]) assertStatus(await store.chain.processBlock(b), 'connected');
    assert.equal(tc.heightOf(side), 101);
    assertStatus(await store.chain.processBlock(side), 'stored');
    assertRejected(await store.chain.processBlock(bad), /^mandatory-script-verify-flag-failed/);
    assert.equal(store.chain.height, 102);
  });

  it('is deterministic: two builders making the same calls make the same blocks', () => {
    const hashes = (blocks: Block[]) => blocks.map((b) => b.hashHex());
    assert.deepEqual(hashes(new TestChain().mine(5)), hashes(new TestChain().mine(5)));
  });

  it('variants: bad PoW fails the target, bad Merkle root and duplication keep the header valid', () => {
    const tc = new TestChain();
    tc.mine(101);
    const block = tc.block({
      txs: [tc.spend([tc.coinbaseOutput(tc.mine(1)[0]!)]), tc.spend([tc.coinbaseOutput(tc.last)])],
    });
    assert.equal(checkProofOfWork(tc.withBadPoW(block).hash(), block.header.bits, regtest.consensus), false);
    const merkle = tc.withBadMerkleRoot(block);
    assert.ok(checkProofOfWork(merkle.hash(), merkle.header.bits, regtest.consensus));
    assert.notDeepEqual(merkle.header.merkleRoot, block.header.merkleRoot);
    const dup = tc.withDuplicatedTx(block);
    assert.equal(dup.hashHex(), block.hashHex());
    assert.equal(dup.txs.length, block.txs.length + 1);
  });
});
