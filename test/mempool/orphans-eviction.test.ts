import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { TxValidationResult } from '../../src/consensus/errors.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import type { RemovalReason } from '../../src/mempool/options.js';
import { assertAccepted, assertRejected, MempoolHarness } from './support.js';

describe('Mempool: orphans', () => {
  let h: MempoolHarness;
  afterEach(async () => {
    await h.destroy();
  });

  it('a child before its parent is held, then accepted when the parent arrives', async () => {
    h = await MempoolHarness.create();
    const parent = h.tc.spend([h.coin()]);
    const child = h.tc.spend(h.tc.outputs(parent));
    const grandchild = h.tc.spend(h.tc.outputs(child));
    assertRejected(
      await h.mempool.accept(grandchild),
      'bad-txns-inputs-missingorspent',
      TxValidationResult.MISSING_INPUTS,
    );
    assertRejected(await h.mempool.accept(child), 'bad-txns-inputs-missingorspent');
    assert.equal(h.mempool.orphanCount, 2);
    assert.ok(h.mempool.hasOrphan(child.wtxid()));
    const added: string[] = [];
    h.mempool.on('tx', (e) => added.push(e.tx.txidHex()));
    assertAccepted(await h.mempool.accept(parent));
    assert.deepEqual(added, [parent.txidHex(), child.txidHex(), grandchild.txidHex()]);
    assert.equal(h.mempool.orphanCount, 0);
  });

  it('an orphan whose parent is confirmed in a block enters then', async () => {
    h = await MempoolHarness.create();
    const parent = h.tc.spend([h.coin()]);
    const child = h.tc.spend(h.tc.outputs(parent));
    await h.mempool.accept(child);
    assert.equal(h.mempool.orphanCount, 1);
    await h.mine([parent]);
    assert.ok(h.mempool.has(child.txid()));
    assert.equal(h.mempool.orphanCount, 0);
  });

  it('testAccept does not keep orphans; invalid orphans are dropped when retried', async () => {
    h = await MempoolHarness.create();
    const parent = h.tc.spend([h.coin()]);
    await h.mempool.testAccept(h.tc.spend(h.tc.outputs(parent)));
    assert.equal(h.mempool.orphanCount, 0);
    const bad = h.tc.withBadSignature(h.tc.spend(h.tc.outputs(parent)));
    await h.mempool.accept(bad);
    assert.equal(h.mempool.orphanCount, 1);
    assertAccepted(await h.mempool.accept(parent));
    assert.equal(h.mempool.orphanCount, 0);
    assert.equal(h.mempool.has(bad.txid()), false);
  });

  it('at most maxOrphans are held, and they expire after 20 minutes', async () => {
    h = await MempoolHarness.create({ maxOrphans: 3 });
    const parents = Array.from({ length: 5 }, () => h.tc.spend([h.coin()]));
    for (const p of parents) await h.mempool.accept(h.tc.spend(h.tc.outputs(p)));
    assert.equal(h.mempool.orphanCount, 3);
    h.now += 20 * 60;
    // Expiry is swept when an orphan is added.
    await h.mempool.accept(h.tc.spend(h.tc.outputs(h.tc.spend([h.coin()]))));
    assert.equal(h.mempool.orphanCount, 1);
  });
});

describe('Mempool: size limit and the rolling minimum fee', () => {
  let h: MempoolHarness;
  afterEach(async () => {
    await h.destroy();
  });

  it('evicts the lowest descendant fee rate first and raises the floor', async () => {
    // Room for three entries (~2.5 KB each, see estimateMemoryUsage).
    h = await MempoolHarness.create({ maxSizeMB: 0.008 });
    const removed: [string, RemovalReason][] = [];
    h.mempool.on('removed', (txid, reason) =>
      removed.push([Buffer.from(txid).reverse().toString('hex'), reason]),
    );
    const outputs = await h.fanOut(12, 10_000_000);
    const txs: Transaction[] = [];
    for (let i = 0; i < 12; i++) {
      const tx = h.tc.spend([outputs[i]!], { fee: 1000 * (i + 1) });
      txs.push(tx);
      await h.mempool.accept(tx);
    }
    const info = h.mempool.info();
    assert.ok(info.usage <= info.maxmempool, `${info.usage} > ${info.maxmempool}`);
    assert.ok(removed.length > 0 && removed.every(([, r]) => r === 'sizelimit'));
    // The survivors are the best payers; the evicted the worst.
    const kept = txs.filter((t) => h.mempool.has(t.txid()));
    assert.deepEqual(kept, txs.slice(txs.length - kept.length));
    // The floor now exceeds the relay minimum: an evicted-level fee is refused.
    const floor = h.mempool.minFeeRate();
    assert.ok(floor > 1000, `floor ${floor}`);
    const more = await h.fanOut(1, 10_000_000);
    const r = await h.mempool.accept(h.tc.spend([more[0]!], { fee: 1100 }));
    assertRejected(r, 'mempool min fee not met', TxValidationResult.RECONSIDERABLE);
  });

  it('a transaction that would itself be evicted is refused as mempool full', async () => {
    // Room for two entries (~2.5 KB each, see estimateMemoryUsage).
    h = await MempoolHarness.create({ maxSizeMB: 0.006 });
    const outputs = await h.fanOut(4, 10_000_000);
    assertAccepted(await h.mempool.accept(h.tc.spend([outputs[0]!], { fee: 50_000 })));
    assertAccepted(await h.mempool.accept(h.tc.spend([outputs[1]!], { fee: 40_000 })));
    const r = await h.mempool.accept(h.tc.spend([outputs[2]!], { fee: 1000 }));
    assertRejected(r, 'mempool full', TxValidationResult.RECONSIDERABLE);
  });

  it('the floor decays once blocks arrive (half-life 12 h, faster when the pool is emptier)', async () => {
    h = await MempoolHarness.create({ maxSizeMB: 0.004 });
    const outputs = await h.fanOut(4, 10_000_000);
    for (let i = 0; i < 4; i++) await h.mempool.accept(h.tc.spend([outputs[i]!], { fee: 20_000 - 1000 * i }));
    const floor = h.mempool.minFeeRate();
    assert.ok(floor > 1000);
    h.now += 3 * 3600;
    assert.equal(h.mempool.minFeeRate(), floor, 'no decay before a block');
    await h.mine([]);
    // The pool is over half full: the full 12-hour half-life applies. Two of them quarter the floor.
    h.now += 24 * 3600;
    assert.equal(h.mempool.minFeeRate(), Math.round(floor / 4));
    // Below half the incremental relay fee it snaps to zero: only -minrelaytxfee is left.
    h.now += 7 * 24 * 3600;
    assert.equal(h.mempool.minFeeRate(), 1000);
  });

  it('entries older than the expiry (336 h) are dropped', async () => {
    h = await MempoolHarness.create({ expiryHours: 1 });
    const [a, b] = await h.fanOut(2);
    const old = h.tc.spend([a!]);
    assertAccepted(await h.mempool.accept(old));
    h.now += 3601;
    assertAccepted(await h.mempool.accept(h.tc.spend([b!])));
    assert.equal(h.mempool.has(old.txid()), false);
  });
});
