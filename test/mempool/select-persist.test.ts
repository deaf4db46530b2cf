import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MAX_BLOCK_SIGOPS_COST, MAX_BLOCK_WEIGHT } from '../../src/consensus/constants.js';
import { decodeMempoolFile, encodeMempoolFile } from '../../src/mempool/persist.js';
import { assertStatus } from '../support/test-chain-assert.js';
import { assertAccepted, MempoolHarness } from './support.js';

const txids = (entries: readonly { tx: { txidHex(): string } }[]) => entries.map((e) => e.tx.txidHex());

describe('Mempool: selectForBlock', () => {
  let h: MempoolHarness;
  beforeEach(async () => {
    h = await MempoolHarness.create();
  });
  afterEach(async () => {
    await h.destroy();
  });

  it('orders by ancestor fee rate: a rich child pulls its poor parent ahead (CPFP)', async () => {
    const parent = h.tc.spend([h.coin()], { fee: 200 * 1000 });
    const poor = h.tc.spend([h.coin()], { fee: 1000 });
    const rich = h.tc.spend(h.tc.outputs(poor), { fee: 60_000 });
    const medium = h.tc.spend([h.coin()], { fee: 20_000 });
    for (const tx of [parent, poor, rich, medium]) assertAccepted(await h.mempool.accept(tx));
    const selected = h.mempool.selectForBlock(MAX_BLOCK_WEIGHT - 8000, MAX_BLOCK_SIGOPS_COST - 400);
    assert.deepEqual(
      txids(selected),
      [parent, poor, rich, medium].map((t) => t.txidHex()),
    );
    // What it selects is a valid block.
    const block = h.tc.block({ txs: selected.map((e) => e.tx) });
    assertStatus(await h.chain.processBlock(block), 'connected');
    assert.equal(h.mempool.size, 0);
  });

  it('respects the weight and sigop budgets and the block minimum fee rate', async () => {
    const a = h.tc.spend([h.coin()], { fee: 30_000 });
    const b = h.tc.spend([h.coin()], { fee: 20_000 });
    for (const tx of [a, b]) assertAccepted(await h.mempool.accept(tx));
    const oneFits = a.weight() + b.weight() - 1;
    assert.deepEqual(txids(h.mempool.selectForBlock(oneFits, 80_000)), [a.txidHex()]);
    // P2WPKH spends cost one sigop each; a budget of 1 (strictly below) admits none.
    assert.deepEqual(txids(h.mempool.selectForBlock(4_000_000, 1)), []);
    assert.deepEqual(txids(h.mempool.selectForBlock(4_000_000, 80_000, { minFeeRate: 200_000 })), [
      a.txidHex(),
    ]);
  });

  it('prioritisetransaction changes the order (modified fee) but not the fee paid', async () => {
    const a = h.tc.spend([h.coin()], { fee: 30_000 });
    const b = h.tc.spend([h.coin()], { fee: 2_000 });
    for (const tx of [a, b]) assertAccepted(await h.mempool.accept(tx));
    h.mempool.prioritiseTransaction(b.txid(), 100_000);
    const entry = h.mempool.get(b.txid())!;
    assert.equal(entry.fee, 2000);
    assert.equal(entry.modifiedFee, 102_000);
    assert.equal(h.mempool.entryInfo(entry).fees.modified, 102_000);
    assert.deepEqual(txids(h.mempool.selectForBlock(4_000_000, 80_000)), [b.txidHex(), a.txidHex()]);
  });
});

describe('Mempool: persistence', () => {
  let h: MempoolHarness;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-mempool-'));
    h = await MempoolHarness.create({ persistPath: join(dir, 'mempool.dat') });
  });
  afterEach(async () => {
    await h.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round trip: save, then load into a new pool re-validating everything', async () => {
    const parent = h.tc.spend([h.coin()]);
    const child = h.tc.spend(h.tc.outputs(parent), { fee: 3000 });
    const other = h.tc.spend([h.coin()]);
    for (const tx of [parent, child, other]) assertAccepted(await h.mempool.accept(tx));
    h.mempool.prioritiseTransaction(other.txid(), 777);
    const absent = new Uint8Array(32).fill(9);
    h.mempool.prioritiseTransaction(absent, 55);
    await h.mempool.save();

    h.mempool.close();
    h.now += 100;
    const fresh = h.newMempool();
    assert.equal(fresh.info().loaded, false);
    assert.equal(await fresh.load(), 3);
    assert.equal(fresh.info().loaded, true);
    for (const tx of [parent, child, other]) {
      const before = h.mempool.get(tx.txid())!;
      const after = fresh.get(tx.txid())!;
      assert.ok(after, tx.txidHex());
      assert.equal(after.time, before.time, 'the original entry time is kept');
      assert.equal(after.modifiedFee, before.modifiedFee);
      assert.equal(after.ancestorCount, before.ancestorCount);
    }
    h.mempool = fresh;
  });

  it('skips expired and now-confirmed transactions; ignores a corrupt file', async () => {
    const confirmed = h.tc.spend([h.coin()]);
    const kept = h.tc.spend([h.coin()]);
    for (const tx of [confirmed, kept]) assertAccepted(await h.mempool.accept(tx));
    await h.mempool.save();
    await h.mine([confirmed]);
    const fresh = h.newMempool();
    assert.equal(await fresh.load(), 1);
    assert.ok(fresh.has(kept.txid()));
    fresh.close();

    h.now += 15 * 24 * 3600;
    const later = h.newMempool();
    assert.equal(await later.load(), 0, 'two weeks later everything has expired');
    later.close();

    writeFileSync(join(dir, 'mempool.dat'), Uint8Array.of(1, 2, 3));
    const corrupt = h.newMempool();
    assert.equal(await corrupt.load(), 0);
    assert.equal(corrupt.info().loaded, true);
    corrupt.close();
  });

  it('the file format is checksummed and versioned', () => {
    const tx = h.tc.spend([h.coin()]);
    const bytes = encodeMempoolFile({ txs: [{ tx, time: 5, feeDelta: -3 }], deltas: new Map() });
    const decoded = decodeMempoolFile(bytes);
    assert.equal(decoded.txs[0]!.tx.wtxidHex(), tx.wtxidHex());
    assert.equal(decoded.txs[0]!.feeDelta, -3);
    const flipped = Uint8Array.from(bytes);
    flipped[20]! ^= 1;
    assert.throws(() => decodeMempoolFile(flipped), /checksum/);
  });
});
