/**
 * The small pieces of sync and relay on their own: the bounded key set, discouragement expiry,
 * progress reports, the block queue's parent-first order, and fork finding from locators.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { hashMapKey } from '../../src/chain/chain-entry.js';
import type { BlockResult } from '../../src/chain/types.js';
import { BlockValidationResult } from '../../src/consensus/errors.js';
import { blockLocator, findLocatorFork, lastCommonAncestor } from '../../src/net/block-locator.js';
import { BlockQueue, type QueuedBlock } from '../../src/net/block-queue.js';
import { DiscouragedAddresses } from '../../src/net/discouraged.js';
import type { Peer } from '../../src/net/peer.js';
import { RollingKeySet } from '../../src/net/rolling-key-set.js';
import { SyncProgress } from '../../src/net/sync-progress.js';
import type { Block } from '../../src/primitives/block.js';
import { TestChain, TestKey } from '../support/test-chain.js';
import { TestChainStore } from '../support/test-chain-store.js';

describe('RollingKeySet', () => {
  it('forgets the oldest keys beyond its capacity; re-adding refreshes a key', () => {
    const set = new RollingKeySet(3);
    for (const k of ['a', 'b', 'c']) set.add(k);
    set.add('a');
    set.add('d');
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((k) => set.has(k)),
      [true, false, true, true],
    );
    assert.equal(set.size, 3);
    assert.throws(() => new RollingKeySet(0), RangeError);
  });
});

describe('DiscouragedAddresses', () => {
  it('refuses a host for the period, then forgets it', () => {
    let now = 1_000;
    const d = new DiscouragedAddresses(60, () => now);
    d.discourage('10.0.0.1');
    assert.ok(d.isDiscouraged('10.0.0.1'));
    assert.ok(!d.isDiscouraged('10.0.0.2'));
    assert.deepEqual(d.list(), [{ host: '10.0.0.1', until: 1_060 }]);
    now = 1_060;
    assert.ok(!d.isDiscouraged('10.0.0.1'));
    d.discourage('10.0.0.3');
    assert.ok(d.remove('10.0.0.3'));
    assert.deepEqual(d.list(), []);
  });
});

describe('SyncProgress', () => {
  it('reports every N blocks with rates, and once when a catch-up ends', () => {
    let ms = 0;
    const p = new SyncProgress({ everyBlocks: 10, nowMs: () => ms });
    const reports = [];
    for (let h = 1; h <= 25; h++) {
      ms += 100;
      const r = p.onBlockConnected(h, 3, 25);
      if (r !== undefined) reports.push(r);
    }
    assert.deepEqual(
      reports.map((r) => [r.height, r.done]),
      [
        [10, false],
        [20, false],
        [25, true],
      ],
    );
    assert.equal(reports[0]!.blocksPerSecond, 10);
    assert.equal(reports[0]!.txPerSecond, 30);
    assert.equal(reports[2]!.progress, 1);
    // At the tip, blocks one by one: no report until N more.
    ms += 100;
    assert.equal(p.onBlockConnected(26, 1, 26), undefined);
  });
});

describe('BlockQueue', () => {
  const tc = new TestChain({ key: TestKey.fromSeed('queue') });
  const blocks = tc.mine(4);
  const peer = { id: 7 } as unknown as Peer;

  /** A chain that knows every header and stores whatever it processes. */
  function fakeChain(invalid = new Set<string>()) {
    const stored = new Set<string>([hashMapKey(tc.genesis.hash())]);
    const failed = new Set<string>();
    const processed: number[] = [];
    const entry = (hash: Uint8Array) => {
      const key = hashMapKey(hash);
      const height = [tc.genesis, ...blocks].findIndex((b) => hashMapKey(b.hash()) === key);
      if (height < 0) return undefined;
      return {
        key,
        hash,
        hasData: () => stored.has(key),
        isFailed: () => failed.has(key),
        height,
      };
    };
    const chain = {
      getEntry: entry,
      processBlock: async (block: Block): Promise<BlockResult> => {
        const key = hashMapKey(block.hash());
        processed.push(entry(block.hash())!.height);
        if (invalid.has(key)) {
          failed.add(key);
          return { status: 'invalid', result: BlockValidationResult.CONSENSUS, reason: 'bad', debug: '' };
        }
        stored.add(key);
        return { status: 'connected', entry: entry(block.hash()) } as unknown as BlockResult;
      },
    };
    return { chain: chain as unknown as ConstructorParameters<typeof BlockQueue>[0]['chain'], processed };
  }

  it('processes requested blocks parents first, whatever order they arrive in', async () => {
    const { chain, processed } = fakeChain();
    const results: QueuedBlock[] = [];
    const q = new BlockQueue({
      chain,
      onResult: (item) => results.push(item),
      onError: (err) => assert.fail(String(err)),
    });
    for (const i of [3, 1, 2, 0]) q.push(blocks[i]!, peer, true, 0);
    await q.idle();
    assert.deepEqual(processed, [1, 2, 3, 4]);
    assert.equal(q.size, 0);
    assert.equal(results.length, 4);
  });

  it('drops the waiting descendants of an invalid block; unsolicited blocks go straight through', async () => {
    const { chain, processed } = fakeChain(new Set([hashMapKey(blocks[1]!.hash())]));
    const q = new BlockQueue({ chain, onResult: () => {}, onError: (err) => assert.fail(String(err)) });
    q.push(blocks[2]!, peer, true, 0);
    q.push(blocks[3]!, peer, true, 0);
    assert.equal(q.waitingBlocks, 2);
    q.push(blocks[0]!, peer, true, 0);
    q.push(blocks[1]!, peer, true, 0);
    await q.idle();
    assert.deepEqual(processed, [1, 2]);
    assert.equal(q.size, 0, 'children of the invalid block were dropped');

    const other = fakeChain();
    const q2 = new BlockQueue({
      chain: other.chain,
      onResult: () => {},
      onError: (err) => assert.fail(String(err)),
    });
    q2.push(blocks[2]!, peer, false, 0);
    await q2.idle();
    assert.deepEqual(other.processed, [3], 'not requested: the chain decides at once');
  });

  it('drops blocks that waited too long for a parent nobody sent', () => {
    const { chain } = fakeChain();
    const q = new BlockQueue({ chain, onResult: () => {}, onError: (err) => assert.fail(String(err)) });
    q.push(blocks[2]!, peer, true, 100);
    q.push(blocks[3]!, peer, true, 500);
    assert.equal(q.dropStale(200), 1);
    assert.equal(q.waitingBlocks, 1);
    assert.ok(!q.has(hashMapKey(blocks[2]!.hash())));
  });
});

describe('locators and forks on a real chain', () => {
  let store: TestChainStore;
  after(async () => store?.destroy());

  it('finds the fork from a locator of another branch, and the last common ancestor', async () => {
    store = await TestChainStore.create();
    const tc = new TestChain();
    const main = tc.mine(30);
    const side = tc.mineBlocks(5, { parent: main[19]! });
    for (const b of [...main, ...side]) await store.chain.processBlock(b);
    const chain = store.chain;
    const sideTip = chain.getEntry(side[4]!.hash())!;
    assert.ok(!chain.isOnActiveChain(sideTip));
    const fork = findLocatorFork(chain, blockLocator(chain, sideTip));
    assert.equal(fork.height, 20);
    assert.equal(lastCommonAncestor(chain, sideTip, chain.tip).height, 20);
    assert.equal(lastCommonAncestor(chain, chain.tip, chain.getEntryAtHeight(7)!).height, 7);
    assert.equal(findLocatorFork(chain, [new Uint8Array(32)]).height, 0);
  });
});
