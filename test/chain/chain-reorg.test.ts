import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Chain } from '../../src/chain/chain.js';
import { BlockStatus } from '../../src/chain/chain-entry.js';
import type { Block } from '../../src/primitives/block.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { TestChain } from '../support/test-chain.js';
import { assertRejected, assertStatus } from '../support/test-chain-assert.js';
import { TestChainStore } from '../support/test-chain-store.js';

/** Records chain events as short strings: "+h:xxxx", "-h:xxxx", "reorg", "tip:h". */
function recordEvents(chain: Chain): string[] {
  const log: string[] = [];
  const tag = (b: Block) => b.hashHex().slice(0, 8);
  chain.on('block-connected', (b, e) => log.push(`+${e.height}:${tag(b)}`));
  chain.on('block-disconnected', (b, e) => log.push(`-${e.height}:${tag(b)}`));
  chain.on('reorg', ({ oldTip, newTip, fork }) =>
    log.push(`reorg ${oldTip.height}->${newTip.height} @${fork.height}`),
  );
  chain.on('tip', (e) => log.push(`tip:${e.height}`));
  return log;
}

async function feed(chain: Chain, blocks: readonly Block[]): Promise<void> {
  for (const b of blocks) {
    const r = await chain.processBlock(b);
    assert.notEqual(r.status, 'invalid', r.status === 'invalid' ? `${r.reason} ${r.debug}` : '');
  }
}

for (const [label, storeOptions] of [
  ['default cache', {}],
  // A 16 kB cache flushes (and empties) after nearly every block: undo data and coins come from disk.
  ['tiny cache, flush per block', { cacheMB: 1 / 64, flushBlocks: 1 }],
] as const) {
  describe(`Chain: reorganizations (${label})`, () => {
    let store: TestChainStore;
    let tc: TestChain;
    let base: Block[];
    beforeEach(async () => {
      store = await TestChainStore.create(storeOptions);
      tc = new TestChain();
      base = tc.mine(105); // mature coins from height 1..5
      await feed(store.chain, base);
    });
    afterEach(async () => {
      await store.destroy();
    });

    for (const depth of [1, 2, 20]) {
      it(`switches to a branch that overtakes at depth ${depth}; coins, tx index and events follow`, async () => {
        const chain = store.chain;
        const fork = base[base.length - 1]!;
        // Active branch A: `depth` blocks; the first spends coinbase 1.
        const spentOnA = tc.coinbaseOutput(base[0]!);
        const txA = tc.spend([spentOnA]);
        const a = [tc.block({ parent: fork, txs: [txA] }), ...tc.mineBlocks(depth - 1)];
        await feed(chain, a);
        assert.equal(chain.height, 105 + depth);
        assert.equal(chain.getCoin(spentOnA.outpoint), undefined);
        // Branch B: as long (equal work: no reorg), spending coinbase 2 instead.
        const spentOnB = tc.coinbaseOutput(base[1]!);
        const txB = tc.spend([spentOnB]);
        const b = [tc.block({ parent: fork, txs: [txB] }), ...tc.mineBlocks(depth - 1)];
        const log = recordEvents(chain);
        for (const blk of b) assertStatus(await chain.processBlock(blk), 'stored');
        assert.equal(chain.tip.hashHex(), a[a.length - 1]!.hashHex(), 'equal work keeps the first seen');
        assert.deepEqual(log, []);
        // One more block on B overtakes.
        const extra = tc.block();
        assertStatus(await chain.processBlock(extra), 'reorganized');
        assert.equal(chain.tip.hashHex(), extra.hashHex());
        const expected = [
          ...[...a].reverse().map((blk, i) => `-${105 + depth - i}:${blk.hashHex().slice(0, 8)}`),
          ...[...b, extra].map((blk, i) => `+${106 + i}:${blk.hashHex().slice(0, 8)}`),
          `reorg ${105 + depth}->${106 + depth} @105`,
          `tip:${106 + depth}`,
        ];
        assert.deepEqual(log, expected);
        // Coins: A's spend undone, B's applied; A's outputs gone.
        assert.equal(chain.getCoin(spentOnA.outpoint)?.value, spentOnA.value);
        assert.equal(chain.getCoin(spentOnB.outpoint), undefined);
        assert.equal(chain.getCoin(new OutPoint(txA.txid(), 0)), undefined);
        assert.ok(chain.getCoin(new OutPoint(txB.txid(), 0)) !== undefined);
        assert.equal(await chain.getTxLocation(txA.txid()), undefined);
        assert.equal((await chain.getTxLocation(txB.txid()))?.height, 106);
        for (const blk of a) {
          const entry = chain.getEntry(blk.hash())!;
          assert.equal(chain.isOnActiveChain(entry), false);
        }
        // Same UTXO set as a chain that only ever saw the winning branch.
        const clean = await TestChainStore.create();
        try {
          await feed(clean.chain, [...base, ...b, extra]);
          assert.deepEqual(await clean.chain.utxoDigest(), await chain.utxoDigest());
        } finally {
          await clean.destroy();
        }
        // And after a restart.
        const reopened = await store.reopen();
        assert.equal(reopened.tip.hashHex(), extra.hashHex());
        assert.equal(reopened.getCoin(spentOnA.outpoint)?.value, spentOnA.value);
      });
    }

    it('falls back to the old chain when the new branch has an invalid block', async () => {
      const chain = store.chain;
      const fork = base[base.length - 1]!;
      const a = tc.mineBlocks(5, { parent: fork });
      await feed(chain, a);
      const good = tc.spend([tc.coinbaseOutput(base[0]!)]);
      const b1 = tc.block({ parent: fork, txs: [good] });
      const b2 = tc.block();
      const bad = tc.block({ txs: [tc.withBadSignature(tc.spend([tc.coinbaseOutput(base[1]!)]))] });
      const rest = tc.mineBlocks(4);
      const log = recordEvents(chain);
      for (const blk of [b1, b2, bad]) assertStatus(await chain.processBlock(blk), 'stored');
      assertStatus(await chain.processBlock(rest[0]!), 'stored');
      assertStatus(await chain.processBlock(rest[1]!), 'stored');
      // Six blocks on B beat five on A: the switch fails at `bad`, and A comes back.
      assertRejected(await chain.processBlock(rest[2]!), 'bad-prevblk');
      assert.equal(chain.tip.hashHex(), a[4]!.hashHex());
      assert.equal(chain.getEntry(bad.hash())!.status & BlockStatus.FAILED, BlockStatus.FAILED);
      assert.ok(chain.getEntry(rest[1]!.hash())!.status & BlockStatus.FAILED_CHILD);
      assert.ok(!chain.getEntry(b2.hash())!.isFailed(), 'blocks before the invalid one stay valid');
      assert.ok(log.includes(`+106:${b1.hashHex().slice(0, 8)}`));
      assert.deepEqual(
        log.slice(-5).map((s) => s[0]),
        ['+', '+', '+', '+', '+'],
        'A reconnected last',
      );
      assert.ok(
        !log.some((s) => s.startsWith('reorg') || s.startsWith('tip')),
        'the tip did not change in the end',
      );
      // Descendants are refused without validation.
      assertRejected(await chain.processBlock(rest[3]!), 'bad-prevblk', 'BLOCK_INVALID_PREV');
      assertRejected(await chain.processBlock(bad), 'duplicate-invalid', 'BLOCK_CACHED_INVALID');
    });
  });
}
