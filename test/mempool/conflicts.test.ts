import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TxValidationResult } from '../../src/consensus/errors.js';
import type { RemovalReason } from '../../src/mempool/options.js';
import { assertAccepted, assertRejected, MempoolHarness } from './support.js';

describe('Mempool: double spends without full RBF (Core ≤ v27 / -mempoolfullrbf=0)', () => {
  let h: MempoolHarness;
  before(async () => {
    h = await MempoolHarness.create({ fullRbf: false });
  });
  after(async () => {
    await h.destroy();
  });

  it('a double spend of a non-signalling transaction is txn-mempool-conflict', async () => {
    const coin = h.coin();
    const first = h.tc.spend([coin], { fee: 1000 });
    assertAccepted(await h.mempool.accept(first));
    const second = h.tc.spend([coin], { fee: 50_000 });
    assertRejected(await h.mempool.accept(second), 'txn-mempool-conflict', TxValidationResult.MEMPOOL_POLICY);
    assert.ok(h.mempool.has(first.txid()));
  });

  it('a BIP125-signalling transaction can still be replaced', async () => {
    const coin = h.coin();
    const first = h.tc.spend([coin], { fee: 1000, sequence: 0xfffffffd });
    assertAccepted(await h.mempool.accept(first));
    assert.equal(h.mempool.entryInfo(h.mempool.get(first.txid())!)['bip125-replaceable'], true);
    const second = h.tc.spend([coin], { fee: 5000 });
    assertAccepted(await h.mempool.accept(second));
    assert.equal(h.mempool.has(first.txid()), false);
  });
});

describe('Mempool: full replace-by-fee (Core v28+ default)', () => {
  let h: MempoolHarness;
  const removed: [string, RemovalReason][] = [];
  before(async () => {
    h = await MempoolHarness.create();
    h.mempool.on('removed', (txid, reason) =>
      removed.push([Buffer.from(txid).reverse().toString('hex'), reason]),
    );
  });
  after(async () => {
    await h.destroy();
  });

  it('rule 6: no higher fee rate is insufficient fee (TX_RECONSIDERABLE)', async () => {
    const coin = h.coin();
    assertAccepted(await h.mempool.accept(h.tc.spend([coin], { fee: 2000 })));
    // Same size and fee, another nSequence: an equal fee rate.
    const same = await h.mempool.accept(h.tc.spend([coin], { fee: 2000, sequence: 0xfffffffe }));
    assertRejected(same, 'insufficient fee', TxValidationResult.RECONSIDERABLE);
    assert.match(
      !same.ok ? same.debug : '',
      /^rejecting replacement [0-9a-f]{64}; new feerate .* <= old feerate/,
    );
  });

  it('rule 4: the extra fee must pay for the replacement at the incremental relay fee', async () => {
    const coin = h.coin();
    const first = h.tc.spend([coin], { fee: 2000 });
    assertAccepted(await h.mempool.accept(first));
    const cheap = await h.mempool.accept(h.tc.spend([coin], { fee: 2050 }));
    assertRejected(cheap, 'insufficient fee', TxValidationResult.RECONSIDERABLE);
    assert.match(
      !cheap.ok ? cheap.debug : '',
      /not enough additional fees to relay; 0\.0000005 < 0\.00000\d+$/,
    );
  });

  it('a replacement paying enough evicts the conflict and its descendants', async () => {
    const coin = h.coin();
    const parent = h.tc.spend([coin], { fee: 2000 });
    assertAccepted(await h.mempool.accept(parent));
    const child = h.tc.spend(h.tc.outputs(parent), { fee: 2000 });
    assertAccepted(await h.mempool.accept(child));
    const replacement = h.tc.spend([coin], { fee: 10_000 });
    removed.length = 0;
    const result = await h.mempool.accept(replacement);
    assertAccepted(result);
    assert.deepEqual(
      (result.ok ? result.replaced : []).map((e) => e.tx.txidHex()).sort(),
      [parent.txidHex(), child.txidHex()].sort(),
    );
    assert.deepEqual(
      removed.map(([, r]) => r),
      ['replaced', 'replaced'],
    );
    assert.equal(h.mempool.has(parent.txid()), false);
    assert.equal(h.mempool.has(child.txid()), false);
  });

  it('rule 3: less total fee than everything evicted', async () => {
    const coin = h.coin();
    const parent = h.tc.spend([coin], { fee: 2000 });
    assertAccepted(await h.mempool.accept(parent));
    assertAccepted(await h.mempool.accept(h.tc.spend(h.tc.outputs(parent), { fee: 50_000 })));
    // A higher fee rate than the parent, but less than parent + child paid together.
    const r = await h.mempool.accept(h.tc.spend([coin], { fee: 20_000 }));
    assertRejected(r, 'insufficient fee');
    assert.match(!r.ok ? r.debug : '', /less fees than conflicting txs; 0\.0002 < 0\.00052$/);
  });

  it('rule 2: replacement-adds-unconfirmed', async () => {
    const coin = h.coin();
    assertAccepted(await h.mempool.accept(h.tc.spend([coin], { fee: 2000 })));
    const other = h.tc.spend([h.coin()], { fee: 2000 });
    assertAccepted(await h.mempool.accept(other));
    const r = await h.mempool.accept(h.tc.spend([coin, h.tc.outputs(other)[0]!], { fee: 20_000 }));
    assertRejected(r, 'replacement-adds-unconfirmed', TxValidationResult.MEMPOOL_POLICY);
    assert.match(!r.ok ? r.debug : '', /adds unconfirmed input, idx 1$/);
  });

  it('bad-txns-spends-conflicting-tx: spending an output of what it replaces', async () => {
    const coins = [h.coin(), h.coin()];
    const parent = h.tc.spend([coins[0]!], { fee: 2000 });
    assertAccepted(await h.mempool.accept(parent));
    // Spends the parent's output and (in a conflicting way) the parent's own input.
    const r = await h.mempool.accept(h.tc.spend([coins[0]!, h.tc.outputs(parent)[0]!], { fee: 20_000 }));
    assertRejected(r, 'bad-txns-spends-conflicting-tx', TxValidationResult.CONSENSUS);
  });
});
