import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Block } from '../../../src/primitives/block.js';
import type { WalletApi } from '../../../src/wallet/api.js';
import { EngineHarness } from './harness.js';

const COIN = 100_000_000;

/**
 * Issue #4 acceptance: a confirmed payment whose block leaves the active chain is shown
 * unconfirmed (confirmations 0, back in the mempool) and confirmed again once mined again.
 */
describe('wallet across reorganisations', () => {
  let h: EngineHarness;
  let w: WalletApi;
  let blocks: Block[];
  before(async () => {
    h = await EngineHarness.create();
    w = await h.wallets.create({ name: 'r' });
    blocks = await h.mine(101, []);
  });
  after(async () => {
    await h.destroy();
  });

  it('invalidateblock: confirmed -> unconfirmed (in mempool) -> confirmed in another block', async () => {
    const address = await w.getNewAddress();
    const tx = h.payTo(address, COIN, blocks[0]!);
    const tip = h.tc.last;
    const [b102] = await h.mine(1, [tx]);
    assert.equal(w.getTransaction(tx.txidHex()).confirmations, 1);
    assert.equal(w.balances().trusted, COIN);

    await h.chain.invalidateBlock(b102!.hash());
    const unconfirmed = w.getTransaction(tx.txidHex());
    assert.equal(unconfirmed.confirmations, 0);
    assert.equal(unconfirmed.blockHash, undefined);
    assert.ok(h.mempool.has(tx.txid()), 'the mempool took the transaction back');
    assert.deepEqual(w.balances(), { trusted: 0, untrustedPending: COIN, immature: 0 });

    const again = h.tc.block({ parent: tip, txs: [tx] });
    await h.connect([again]);
    const reconfirmed = w.getTransaction(tx.txidHex());
    assert.equal(reconfirmed.confirmations, 1);
    assert.equal(reconfirmed.blockHash, again.hashHex());
    assert.deepEqual(w.balances(), { trusted: COIN, untrustedPending: 0, immature: 0 });
  });

  it('a heavier fork without the payment unconfirms it; mining it again confirms it', async () => {
    const address = await w.getNewAddress();
    const tx = h.payTo(address, 3 * COIN, blocks[1]!);
    const fork = h.tc.last;
    const [a1] = await h.mine(1, [tx]);
    assert.equal(w.getTransaction(tx.txidHex()).confirmations, 1);
    const f1 = h.tc.block({ parent: fork });
    const f2 = h.tc.block({ parent: f1 });
    await h.connect([f1, f2]);
    assert.equal(h.chain.tip.hashHex(), f2.hashHex());
    assert.equal(w.getTransaction(tx.txidHex()).confirmations, 0);
    assert.ok(h.mempool.has(tx.txid()));
    assert.notEqual(a1!.hashHex(), h.chain.tip.hashHex());
    const [f3] = await h.mine(1, [tx]);
    const wtx = w.getTransaction(tx.txidHex());
    assert.equal(wtx.confirmations, 1);
    assert.equal(wtx.blockHash, f3!.hashHex());
    await h.mine(2, []);
    assert.equal(w.getTransaction(tx.txidHex()).confirmations, 3);
  });

  it('a payment double-spent by a block is conflicted (negative confirmations), restored by a reorg', async () => {
    const address = await w.getNewAddress();
    const coin = h.tc.coinbaseOutput(blocks[2]!);
    const pay = h.payTo(address, COIN, blocks[2]!);
    await h.accept(pay);
    assert.equal(w.balances().untrustedPending, COIN);
    const fork = h.tc.last;
    const rival = h.tc.spend([coin], { fee: 5_000 });
    const [c1] = await h.mine(1, [rival]);
    const conflicted = w.getTransaction(pay.txidHex());
    assert.equal(conflicted.confirmations, -1);
    assert.equal(w.balances().untrustedPending, 0);
    await h.mine(1, []);
    assert.equal(w.getTransaction(pay.txidHex()).confirmations, -2);
    // The rival's blocks are replaced by a heavier branch holding the payment instead.
    const g1 = h.tc.block({ parent: fork, txs: [pay] });
    const g2 = h.tc.block({ parent: g1 });
    const g3 = h.tc.block({ parent: g2 });
    await h.connect([g1, g2, g3]);
    assert.notEqual(h.chain.tip.hashHex(), c1!.hashHex());
    const restored = w.getTransaction(pay.txidHex());
    assert.equal(restored.confirmations, 3);
  });

  it('a reorg while the wallet is unloaded is caught up at load', async () => {
    const address = await w.getNewAddress();
    const tx = h.payTo(address, COIN, blocks[3]!);
    const fork = h.tc.last;
    await h.mine(1, [tx]);
    assert.equal(w.getTransaction(tx.txidHex()).confirmations, 1);
    await h.wallets.unload('r');
    const f1 = h.tc.block({ parent: fork });
    const f2 = h.tc.block({ parent: f1 });
    await h.connect([f1, f2]);
    w = await h.wallets.load('r');
    assert.equal(w.getTransaction(tx.txidHex()).confirmations, 0);
    assert.equal(w.info().lastProcessedBlock.hash, f2.hashHex());
    await h.mine(1, [tx]);
    assert.equal(w.getTransaction(tx.txidHex()).confirmations, 1);
  });
});
