import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromDisplayHex } from '../../../src/encoding/hex.js';
import type { Block } from '../../../src/primitives/block.js';
import { addressFromScript } from '../../../src/script/address.js';
import type { Wallet } from '../../../src/wallet/wallet.js';
import { EngineHarness, MNEMONIC, NOW } from './harness.js';

const COIN = 100_000_000;

/**
 * Core's ResubmitWalletTransactions at load: after a restart that lost the mempool (kill -9, or
 * no mempool.dat), the wallet's unconfirmed transactions go back to the mempool, parents before
 * children, so the next block confirms them; abandoned ones stay out.
 */
describe('wallet resubmits its unconfirmed transactions at load', () => {
  let h: EngineHarness;
  let w: Wallet;
  let blocks: Block[];
  let dest: string;
  before(async () => {
    h = await EngineHarness.create();
    w = (await h.wallets.create({ name: 'w', mnemonic: MNEMONIC, loadOnStartup: true })) as Wallet;
    blocks = await h.mine(110, []);
    for (let i = 0; i < 2; i++) await h.accept(h.payTo(await w.getNewAddress(), 2 * COIN, blocks[i]!));
    await h.mine(1);
    dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
  });
  after(async () => {
    await h.destroy();
  });

  const inMempool = (txid: string) => h.mempool.has(fromDisplayHex(txid));

  it('a parent, its child and an incoming payment return to the mempool after a crash', async () => {
    // 3 BTC takes both 2 BTC coins; the second payment can only spend the first's change.
    const parent = await w.send({ recipients: [{ address: dest, amount: 3 * COIN }], feeRate: 2 });
    const child = await w.send({ recipients: [{ address: dest, amount: COIN / 2 }], feeRate: 2 });
    const childTx = w.getTransaction(child.txid).tx;
    assert.ok(
      childTx.inputs.every((i) => i.prevout.txid() === parent.txid),
      'child spends parent',
    );
    const incoming = h.payTo(await w.getNewAddress(), COIN, blocks[2]!);
    await h.accept(incoming);
    const txids = [parent.txid, child.txid, incoming.txidHex()];
    for (const txid of txids) assert.ok(inMempool(txid), txid);

    await h.restartAfterCrash();
    assert.equal(h.mempool.info().size, txids.length, 'only the wallet brought them back');
    w = h.wallets.get('w') as Wallet;
    assert.ok(w !== undefined, 'loaded on startup');
    for (const txid of txids) {
      assert.ok(inMempool(txid), `${txid} resubmitted`);
      assert.equal(w.getTransaction(txid).confirmations, 0);
    }
    await h.mine(1);
    for (const txid of txids) assert.equal(w.getTransaction(txid).confirmations, 1, txid);
  });

  it('loadwallet resubmits too; an abandoned transaction stays out', async () => {
    const kept = await w.send({ recipients: [{ address: dest, amount: COIN / 8 }], feeRate: 2 });
    await h.wallets.unload('w', false);
    await h.restartAfterCrash();
    assert.equal(h.wallets.get('w'), undefined);
    assert.equal(inMempool(kept.txid), false, 'no wallet loaded: nothing resubmitted');
    w = (await h.wallets.load('w')) as Wallet;
    assert.ok(inMempool(kept.txid), 'loadwallet resubmitted it');

    // Two weeks pass: the mempool expires it while accepting something else; then it is abandoned.
    const clock = h.mempool as unknown as { now: () => number };
    clock.now = () => NOW + 400 * 3600;
    await h.accept(h.payTo(dest, COIN, blocks[3]!));
    clock.now = () => NOW;
    assert.equal(inMempool(kept.txid), false, 'expired');
    await w.abandonTransaction(kept.txid);

    await h.wallets.unload('w', false);
    await h.restartAfterCrash();
    w = (await h.wallets.load('w')) as Wallet;
    assert.equal(inMempool(kept.txid), false, 'abandoned: not resubmitted');
    assert.equal(
      w.listTransactions(undefined, 100, 0, false).find((e) => e.txid === kept.txid)?.abandoned,
      true,
    );
  });
});
