import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { RemovalReason } from '../../src/mempool/options.js';
import { assertStatus } from '../support/test-chain-assert.js';
import { assertAccepted, MempoolHarness } from './support.js';

describe('Mempool: following the chain', () => {
  let h: MempoolHarness;
  let removed: Map<string, RemovalReason>;
  beforeEach(async () => {
    h = await MempoolHarness.create();
    removed = new Map();
    h.mempool.on('removed', (txid, reason) =>
      removed.set(Buffer.from(txid).reverse().toString('hex'), reason),
    );
  });
  afterEach(async () => {
    await h.destroy();
  });

  it('block-connected removes confirmed transactions and conflicts (recursively)', async () => {
    const a = h.tc.spend([h.coin()]);
    const child = h.tc.spend(h.tc.outputs(a));
    const contested = h.coin();
    const loser = h.tc.spend([contested], { fee: 5000 });
    const loserChild = h.tc.spend(h.tc.outputs(loser));
    for (const tx of [a, child, loser, loserChild]) assertAccepted(await h.mempool.accept(tx));
    const winner = h.tc.spend([contested], { fee: 1000 });
    await h.mine([a, winner]);
    assert.equal(removed.get(a.txidHex()), 'block');
    assert.equal(removed.get(loser.txidHex()), 'conflict');
    assert.equal(removed.get(loserChild.txidHex()), 'conflict');
    const left = h.mempool.get(child.txid())!;
    assert.equal(left.ancestorCount, 1, 'its parent is confirmed now');
    assert.equal(left.parents.size, 0);
    assert.equal(h.mempool.size, 1);
  });

  it('a reorganization returns disconnected transactions and drops what cannot return', async () => {
    const fork = h.tc.last;
    const forkHeight = h.chain.height;
    const a = h.tc.spend([h.coin()]);
    const contested = h.coin();
    const g = h.tc.spend([contested]);
    assertAccepted(await h.mempool.accept(a));
    const b1 = await h.mine([a, g]);
    // Children of block transactions arrive while they are confirmed.
    const aChild = h.tc.spend(h.tc.outputs(a));
    const gChild = h.tc.spend(h.tc.outputs(g));
    assertAccepted(await h.mempool.accept(aChild));
    assertAccepted(await h.mempool.accept(gChild));
    assert.equal(h.mempool.get(aChild.txid())!.ancestorCount, 1);

    // A heavier branch from the fork spends `contested` differently.
    const gPrime = h.tc.spend([contested], { fee: 3000 });
    const side = [h.tc.block({ parent: fork, txs: [gPrime] }), h.tc.block({})];
    const events: string[] = [];
    h.chain.on('block-disconnected', () => events.push('disconnected'));
    h.chain.on('tip', () => events.push(`tip (pool has a: ${h.mempool.has(a.txid())})`));
    assertStatus(await h.chain.processBlock(side[0]!), 'stored');
    assertStatus(await h.chain.processBlock(side[1]!), 'reorganized');
    assert.equal(h.chain.height, forkHeight + 2);
    assert.notEqual(h.chain.tip.hashHex(), b1.hashHex());
    assert.deepEqual(events, ['disconnected', 'tip (pool has a: true)']);

    // a is back, below its child again; g lost its coin to g' and takes its child with it.
    const aEntry = h.mempool.get(a.txid())!;
    assert.ok(aEntry);
    assert.equal(aEntry.height, forkHeight + 2);
    const childEntry = h.mempool.get(aChild.txid())!;
    assert.equal(childEntry.ancestorCount, 2);
    assert.equal(aEntry.descendantCount, 2);
    assert.equal(aEntry.descendantFees, aEntry.fee + childEntry.fee);
    assert.equal(h.mempool.has(g.txid()), false);
    assert.equal(h.mempool.has(gChild.txid()), false);
    assert.equal(removed.get(gChild.txidHex()), 'reorg');
    // The disconnected coinbase never enters the pool.
    assert.equal(h.mempool.has(b1.txs[0]!.txid()), false);
  });

  it('after invalidateblock, transactions no longer final at the lower tip are removed', async () => {
    const height = h.chain.height;
    // Final in block height+1 (locktime height < height+1), not in block height.
    const locked = h.tc.spend([h.coin()], { locktime: height, sequence: 0xfffffffe });
    const plain = h.tc.spend([h.coin()]);
    assertAccepted(await h.mempool.accept(locked));
    assertAccepted(await h.mempool.accept(plain));
    await h.chain.invalidateBlock(h.chain.tip.hash);
    assert.equal(h.chain.height, height - 1);
    assert.equal(h.mempool.has(locked.txid()), false);
    assert.equal(removed.get(locked.txidHex()), 'reorg');
    assert.ok(h.mempool.has(plain.txid()));
  });
});
