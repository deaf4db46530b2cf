/**
 * What the chain keeps in memory between flushes: cached coins own their scripts (not views into a
 * received block's bytes), and pending tx-index records are packed per block yet answer lookups
 * exactly as the stored records do, through connects, disconnects and flushes.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dbCacheShares } from '../../src/chain/chain-db.js';
import { PendingTxIndex } from '../../src/chain/pending-tx-index.js';
import { Block } from '../../src/primitives/block.js';
import { TestChain } from '../support/test-chain.js';
import { TestChainStore } from '../support/test-chain-store.js';

const txid = (n: number): Uint8Array => {
  const hash = new Uint8Array(32).fill(0xab);
  new DataView(hash.buffer).setUint32(28, n);
  return hash;
};

describe('PendingTxIndex', () => {
  it('finds a txid in the newest block that mentions it; a disconnect hides it', () => {
    const pending = new PendingTxIndex();
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    pending.connect(a, 7, [txid(1), txid(2), txid(3)]);
    assert.deepEqual(pending.lookup(txid(3)), { blockHash: a, height: 7, index: 2 });
    assert.equal(pending.lookup(txid(4)), undefined, 'not pending: the database answers');
    pending.disconnect(a, 7, [txid(1), txid(2), txid(3)]);
    assert.equal(pending.lookup(txid(2)), null, 'removed by a pending disconnect');
    pending.connect(b, 7, [txid(9), txid(2)]);
    assert.deepEqual(pending.lookup(txid(2)), { blockHash: b, height: 7, index: 1 });
    // Only the first byte differs from a pending txid: still not found.
    const near = txid(9);
    near[0] = 0xac;
    assert.equal(pending.lookup(near), undefined);
  });

  it('writes the changes in order, so the last one for a txid wins', () => {
    const pending = new PendingTxIndex();
    const a = new Uint8Array(32).fill(1);
    pending.connect(a, 5, [txid(1), txid(2)]);
    pending.disconnect(a, 5, [txid(1), txid(2)]);
    assert.deepEqual(
      [...pending.ops()].map((op) => `${op.type}:${op.key[32]}`),
      ['put:1', 'put:2', 'del:1', 'del:2'],
    );
    assert.ok(pending.bytes >= 4 * 32);
    pending.clear();
    assert.equal(pending.bytes, 0);
    assert.deepEqual([...pending.ops()], []);
  });
});

describe('chain memory', () => {
  let store: TestChainStore | undefined;
  after(async () => store?.destroy());

  it('cached coins own their scripts, also for blocks decoded from a Buffer as the network does', async () => {
    store = await TestChainStore.create();
    const tc = new TestChain();
    const blocks = tc.mine(3);
    for (const block of blocks) {
      // Buffer#slice is a view, not a copy: a coin made with it kept the whole received buffer.
      const received = Block.decode(Buffer.from(block.encode()));
      assert.equal((await store.chain.processBlock(received)).status, 'connected');
      const coin = store.chain.getCoin(tc.coinbaseOutput(block).outpoint);
      assert.ok(coin !== undefined);
      assert.equal(coin.scriptPubKey.buffer.byteLength, coin.scriptPubKey.byteLength);
      const location = await store.chain.getTxLocation(block.txs[0]!.txid());
      assert.equal(location?.height, store.chain.height, 'pending tx-index record');
    }
    await store.chain.flush();
    const stored = await store.chain.getTxLocation(blocks[1]!.txs[0]!.txid());
    assert.deepEqual(stored, { blockHash: blocks[1]!.hash(), height: 2, index: 0 });
  });
});

describe('dbCacheShares', () => {
  it("takes LevelDB's caches out of -dbcache, as Core does, leaving the coin cache at least half", () => {
    const MB = 1024 * 1024;
    assert.deepEqual(dbCacheShares(450), { levelCacheMB: 56.25, coinCacheBytes: 329.75 * MB });
    assert.deepEqual(dbCacheShares(4), { levelCacheMB: 8, coinCacheBytes: 2 * MB });
    assert.equal(dbCacheShares(4096).levelCacheMB, 64);
  });
});
