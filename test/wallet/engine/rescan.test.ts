import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Block } from '../../../src/primitives/block.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { addressFromScript } from '../../../src/script/address.js';
import { WalletError } from '../../../src/wallet/api.js';
import { TestKey } from '../../support/test-chain.js';
import { EngineHarness, MNEMONIC } from './harness.js';

const COIN = 100_000_000;

describe('rescan', () => {
  let h: EngineHarness;
  let blocks: Block[];
  const paid: string[] = [];
  before(async () => {
    h = await EngineHarness.create();
    blocks = await h.mine(101, []);
    // Payments to the first addresses of the abandon…about wallet before it exists on this node.
    const first = await h.wallets.create({ name: 'original', mnemonic: MNEMONIC });
    for (let i = 0; i < 3; i++) {
      const tx = h.payTo(await first.getNewAddress(), (i + 1) * COIN, blocks[i]!);
      paid.push(tx.txidHex());
      await h.mine(1, [tx]);
    }
    await h.mine(5, []);
  });
  after(async () => {
    await h.destroy();
  });

  it('a wallet restored from its mnemonic finds its history at load', async () => {
    const restored = await h.wallets.create({ name: 'restored', mnemonic: MNEMONIC });
    assert.equal(restored.balances().trusted, 6 * COIN);
    assert.deepEqual(
      restored.listTransactions(undefined, 10, 0, false).map((e) => e.txid),
      paid,
    );
    assert.equal(restored.info().lastProcessedBlock.height, h.chain.height);
  });

  it('rescanblockchain finds payments made to scripts imported later', async () => {
    const watcher = await h.wallets.create({ name: 'watcher', disablePrivateKeys: true });
    const original = h.wallets.get('original')!;
    const tx = original.getTransaction(paid[1]!);
    const address = tx.details[0]!.address!;
    await watcher.importAddress(address, 'imported', false, false);
    assert.equal(watcher.balances({ includeWatchOnly: true }).trusted, 0);
    const r = await watcher.rescan(0);
    assert.deepEqual(r, { startHeight: 0, stopHeight: h.chain.height });
    assert.equal(watcher.balances({ includeWatchOnly: true }).trusted, 2 * COIN);
    assert.equal(watcher.balances().trusted, 0, 'watch-only coins count only with include_watchonly');
    await assert.rejects(
      watcher.rescan(h.chain.height + 1),
      (e: unknown) => e instanceof WalletError && e.message === 'Invalid start_height',
    );
    await assert.rejects(watcher.rescan(5, 2), (e: unknown) => e instanceof WalletError && e.rpcCode === -8);
  });

  it('a known transaction gains the outputs of a script imported later', async () => {
    const original = h.wallets.get('original')!;
    const external = addressFromScript(TestKey.fromSeed('elsewhere').p2wpkh(), regtest.addressPrefixes)!;
    const sent = await original.send({ recipients: [{ address: external, amount: COIN / 4 }], feeRate: 1 });
    await h.mine(1);
    assert.equal(original.balances({ includeWatchOnly: true }).trusted, 6 * COIN - COIN / 4 - sent.fee);
    await original.importAddress(external, 'theirs', true, false);
    const wtx = original.getTransaction(sent.txid, true);
    assert.ok(
      wtx.details.some(
        (d) => d.category === 'receive' && d.amount === COIN / 4 && d.involvesWatchonly === true,
      ),
    );
    assert.equal(original.balances({ includeWatchOnly: true }).trusted, 6 * COIN - sent.fee);
    assert.equal(original.balances().trusted, 6 * COIN - COIN / 4 - sent.fee);
  });

  it('a wallet unloaded while blocks arrive catches up from its last processed block', async () => {
    const original = h.wallets.get('original')!;
    const address = await original.getNewAddress();
    await h.wallets.unload('original');
    const tx = h.payTo(address, 7 * COIN, blocks[5]!);
    await h.mine(1, [tx]);
    await h.mine(3, []);
    const again = await h.wallets.load('original');
    assert.equal(again.getTransaction(tx.txidHex()).confirmations, 4);
    assert.equal(again.info().lastProcessedBlock.height, h.chain.height);
  });

  it('after a restart of the whole node the wallet state is the same', async () => {
    const before = h.wallets.get('original')!;
    const balances = before.balances();
    const list = before.listTransactions(undefined, 100, 0, false);
    await h.wallets.unload('original', true);
    await h.wallets.load('original', true);
    await h.restart();
    const after = h.wallets.get('original')!;
    assert.deepEqual(after.balances(), balances);
    assert.deepEqual(after.listTransactions(undefined, 100, 0, false), list);
  });
});
