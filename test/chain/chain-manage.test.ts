import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BlockStatus } from '../../src/chain/chain-entry.js';
import type { Block } from '../../src/primitives/block.js';
import { TestChain } from '../support/test-chain.js';
import { assertRejected, assertStatus } from '../support/test-chain-assert.js';
import { TestChainStore } from '../support/test-chain-store.js';

describe('Chain: invalidateblock, reconsiderblock, orphans, headers, tips', () => {
  let store: TestChainStore;
  let tc: TestChain;
  let a: Block[];
  beforeEach(async () => {
    store = await TestChainStore.create({ maxOrphans: 4 });
    tc = new TestChain();
    a = tc.mine(10);
  });
  afterEach(async () => {
    await store.destroy();
  });

  async function feed(blocks: readonly Block[]): Promise<void> {
    for (const b of blocks) assert.notEqual((await store.chain.processBlock(b)).status, 'invalid');
  }

  it('invalidateBlock leaves the chain for the best other; reconsiderBlock returns', async () => {
    const chain = store.chain;
    await feed(a);
    const b = tc.mineBlocks(3, { parent: a[5]! }); // heights 7..9, less work than A
    await feed(b);
    assert.equal(chain.height, 10);
    const events: string[] = [];
    chain.on('block-disconnected', (_b, e) => events.push(`-${e.height}`));
    chain.on('block-connected', (_b, e) => events.push(`+${e.height}`));
    chain.on('tip', (e) => events.push(`tip:${e.height}`));
    await chain.invalidateBlock(a[7]!.hash()); // A8
    assert.equal(chain.tip.hashHex(), b[2]!.hashHex(), 'the side branch is now the best valid chain');
    assert.deepEqual(events, ['-10', '-9', '-8', '-7', '+7', '+8', '+9', 'tip:9']);
    assert.ok(chain.getEntry(a[7]!.hash())!.status & BlockStatus.FAILED);
    assert.ok(chain.getEntry(a[9]!.hash())!.status & BlockStatus.FAILED_CHILD);
    const tips = chain.getChainTips();
    assert.deepEqual(
      tips.map((t) => [t.height, t.status, t.branchlen]),
      [
        [10, 'invalid', 4],
        [9, 'active', 0],
      ],
    );
    // Resubmitting is refused without validation; the flag survives a restart.
    assertRejected(await chain.processBlock(a[7]!), 'duplicate-invalid');
    const reopened = await store.reopen();
    assert.equal(reopened.tip.hashHex(), b[2]!.hashHex());
    assert.ok(reopened.getEntry(a[7]!.hash())!.isFailed());
    await reopened.reconsiderBlock(a[9]!.hash());
    assert.equal(reopened.tip.hashHex(), a[9]!.hashHex());
    assert.ok(!reopened.getEntry(a[7]!.hash())!.isFailed());
    assert.deepEqual(
      reopened.getChainTips().map((t) => [t.height, t.status, t.branchlen]),
      [
        [10, 'active', 0],
        [9, 'valid-fork', 3],
      ],
    );
  });

  it('invalidating the tip block itself goes back to its parent', async () => {
    await feed(a);
    await store.chain.invalidateBlock(a[9]!.hash());
    assert.equal(store.chain.height, 9);
    await assert.rejects(store.chain.invalidateBlock(new Uint8Array(32)), /Block not found/);
  });

  it('orphans connect when their parent arrives', async () => {
    const chain = store.chain;
    for (const b of [a[4]!, a[3]!, a[2]!]) assertStatus(await chain.processBlock(b), 'orphan');
    assertStatus(await chain.processBlock(a[0]!), 'connected');
    assert.equal(chain.height, 1);
    assertStatus(await chain.processBlock(a[1]!), 'connected');
    assert.equal(chain.height, 5, 'orphans 3, 4, 5 followed block 2');
    await feed(a.slice(5));
    assert.equal(chain.height, 10);
  });

  it('orphan limits: the oldest are dropped', async () => {
    const chain = store.chain;
    // maxOrphans is 4: of heights 3..8, the first two fall out.
    for (const b of a.slice(2, 8)) assertStatus(await chain.processBlock(b), 'orphan');
    await feed(a.slice(0, 2));
    assert.equal(chain.height, 2, 'blocks 3 and 4 were dropped, so 5..8 cannot connect');
    await feed([a[2]!, a[3]!]);
    assert.equal(chain.height, 8, 'the held orphans 5..8 connect once 4 arrives');
  });

  it('orphan byte limit', async () => {
    const small = await TestChainStore.create({ maxOrphanBytes: 500 });
    try {
      for (const b of a.slice(2, 6)) assertStatus(await small.chain.processBlock(b), 'orphan');
      for (const b of a.slice(0, 3)) await small.chain.processBlock(b);
      assert.ok(small.chain.height < 6, 'not all orphans fit in 500 bytes');
      assert.ok(small.chain.height >= 3);
    } finally {
      await small.destroy();
    }
  });

  it('processHeaders indexes headers ahead of blocks; bad headers are refused', async () => {
    const chain = store.chain;
    const r = await chain.processHeaders(a.map((b) => b.header));
    assert.equal(r.status, 'accepted');
    assert.equal(r.entries.length, 10);
    assert.equal(chain.bestHeader.height, 10);
    assert.equal(chain.height, 0);
    assert.deepEqual(
      chain.getChainTips().map((t) => [t.height, t.status]),
      [
        [10, 'headers-only'],
        [0, 'active'],
      ],
    );
    await feed(a);
    assert.equal(chain.height, 10);
    const next = tc.block({ parent: a[9]! });
    const unconnected = tc.block({ parent: next });
    const missing = await chain.processHeaders([unconnected.header]);
    assert.equal(missing.status, 'invalid');
    if (missing.status === 'invalid') {
      assert.equal(missing.reason, 'prev-blk-not-found');
      assert.equal(missing.result, 'BLOCK_MISSING_PREV');
    }
    const badBits = tc.block({ parent: a[9]!, bits: 0x207ffffe });
    const mixed = await chain.processHeaders([next.header, badBits.header]);
    assert.equal(mixed.status, 'invalid');
    assert.equal(mixed.entries.length, 1, 'the good header before the bad one is kept');
    if (mixed.status === 'invalid') assert.equal(mixed.reason, 'bad-diffbits');
    const badPow = tc.withBadPoW(tc.block({ parent: a[9]! }));
    const pow = await chain.processHeaders([badPow.header]);
    assert.equal(pow.status === 'invalid' && pow.reason, 'high-hash');
  });
});
