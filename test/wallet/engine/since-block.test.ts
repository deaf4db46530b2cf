import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Block } from '../../../src/primitives/block.js';
import { addressFromScript } from '../../../src/script/address.js';
import { type SinceBlockRequest, type WalletApi, WalletError } from '../../../src/wallet/api.js';
import { EngineHarness } from './harness.js';

const COIN = 100_000_000;

/**
 * listsinceblock as a payment back office uses it: poll with the previous answer's lastblock, see
 * each deposit once it is mined, unconfirmed ones on every poll, and deposits a reorganisation took
 * away in `removed`.
 */
describe('wallet listSinceBlock', () => {
  let h: EngineHarness;
  let w: WalletApi;
  let blocks: Block[];
  /** Mature builder coinbases not spent yet (blocks 1..10). */
  let nextCoin = 0;
  const coin = (): Block => blocks[nextCoin++]!;
  const poll = (req: Partial<SinceBlockRequest> = {}) =>
    w.listSinceBlock({ targetConfirmations: 1, includeRemoved: true, includeChange: false, ...req });
  const txidsOf = (entries: readonly { txid: string }[]): string[] => entries.map((e) => e.txid);

  before(async () => {
    h = await EngineHarness.create();
    w = await h.wallets.create({ name: 'shop' });
    blocks = await h.mine(110, []);
  });
  after(async () => {
    await h.destroy();
  });

  it('polling with lastblock returns each new deposit once; unconfirmed ones on every poll', async () => {
    const first = await w.getNewAddress('customer-1');
    const d1 = h.payTo(first, COIN, coin());
    await h.mine(1, [d1]);
    const all = await poll();
    assert.deepEqual(txidsOf(all.transactions), [d1.txidHex()]);
    const [entry] = all.transactions;
    assert.equal(entry!.category, 'receive');
    assert.equal(entry!.address, first);
    assert.equal(entry!.label, 'customer-1');
    assert.equal(entry!.amount, COIN);
    assert.equal(entry!.confirmations, 1);
    assert.equal(entry!.blockHash, h.chain.tip.hashHex());
    assert.deepEqual(all.removed, []);
    assert.equal(all.lastBlock, h.chain.tip.hashHex());

    const second = await w.getNewAddress('customer-2');
    const d2 = h.payTo(second, 2 * COIN, coin());
    await h.mine(1, [d2]);
    const next = await poll({ blockHash: all.lastBlock });
    assert.deepEqual(txidsOf(next.transactions), [d2.txidHex()]);
    assert.equal(next.lastBlock, h.chain.tip.hashHex());
    assert.deepEqual((await poll({ blockHash: next.lastBlock })).transactions, []);

    const pending = h.payTo(first, 3 * COIN, coin());
    await h.accept(pending);
    const withPending = await poll({ blockHash: next.lastBlock });
    assert.deepEqual(txidsOf(withPending.transactions), [pending.txidHex()]);
    assert.equal(withPending.transactions[0]!.confirmations, 0);
    assert.equal(withPending.transactions[0]!.blockHash, undefined);
    assert.equal(withPending.lastBlock, next.lastBlock, 'no block yet: lastblock stays');
    assert.deepEqual(txidsOf((await poll({ blockHash: next.lastBlock })).transactions), [pending.txidHex()]);
    await h.mine(1);
    const mined = await poll({ blockHash: next.lastBlock });
    assert.deepEqual(txidsOf(mined.transactions), [pending.txidHex()]);
    assert.equal(mined.transactions[0]!.confirmations, 1);
    assert.deepEqual((await poll({ blockHash: mined.lastBlock })).transactions, []);
  });

  it('the label filter keeps only that label receives; target_confirmations moves lastblock only', async () => {
    const byLabel = await poll({ label: 'customer-2' });
    assert.equal(byLabel.transactions.length, 1);
    assert.equal(byLabel.transactions[0]!.label, 'customer-2');
    assert.deepEqual((await poll({ label: 'nobody' })).transactions, []);

    const tip = h.chain.tip;
    const base = await poll({ blockHash: h.chain.getEntryAtHeight(tip.height - 5)!.hashHex() });
    for (const target of [1, 3, 6]) {
      const r = await poll({
        blockHash: h.chain.getEntryAtHeight(tip.height - 5)!.hashHex(),
        targetConfirmations: target,
      });
      assert.equal(r.lastBlock, h.chain.getEntryAtHeight(tip.height + 1 - target)!.hashHex());
      assert.deepEqual(r.transactions, base.transactions, 'not a filter');
    }
    // More confirmations than blocks: the genesis block (Core's min(target, height + 1)).
    const deep = await poll({ targetConfirmations: 1_000_000 });
    assert.equal(deep.lastBlock, h.chain.getEntryAtHeight(0)!.hashHex());
  });

  it('a block at or below a transaction excludes it; errors are Core codes and messages', async () => {
    const entries = (await poll()).transactions;
    const confirmed = entries.find((e) => e.blockHeight !== undefined)!;
    const at = await poll({ blockHash: confirmed.blockHash! });
    assert.ok(!txidsOf(at.transactions).includes(confirmed.txid));
    const below = h.chain.getEntryAtHeight(confirmed.blockHeight! - 1)!.hashHex();
    assert.ok(txidsOf((await poll({ blockHash: below })).transactions).includes(confirmed.txid));

    const notFound = (err: unknown): boolean =>
      err instanceof WalletError &&
      err.code === 'INVALID_ADDRESS_OR_KEY' &&
      err.rpcCode === -5 &&
      err.message === 'Block not found';
    await assert.rejects(poll({ blockHash: '11'.repeat(32) }), notFound);
    await assert.rejects(poll({ blockHash: 'not hex' }), notFound);
    for (const target of [0, -1, 1.5]) {
      await assert.rejects(
        poll({ targetConfirmations: target }),
        (err: unknown) =>
          err instanceof WalletError && err.rpcCode === -8 && err.message === 'Invalid parameter',
      );
    }
  });

  it('include_change lists the change output of a payment as a send and a receive', async () => {
    const dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
    const before = h.chain.tip.hashHex();
    const { txid } = await w.send({ recipients: [{ address: dest, amount: COIN / 2 }], feeRate: 2 });
    await h.mine(1);
    const plain = (await poll({ blockHash: before })).transactions.filter((e) => e.txid === txid);
    assert.deepEqual(
      plain.map((e) => e.category),
      ['send'],
    );
    assert.equal(plain[0]!.address, dest);
    const tx = w.getTransaction(txid).tx;
    const changeVout = tx.outputs.findIndex((_, i) => i !== plain[0]!.vout);
    const withChange = (await poll({ blockHash: before, includeChange: true })).transactions.filter(
      (e) => e.txid === txid,
    );
    // Core's order: every send (by vout), then every receive.
    assert.deepEqual(
      withChange.map((e) => [e.category, e.vout]),
      [...[plain[0]!.vout, changeVout].sort().map((v) => ['send', v]), ['receive', changeVout]],
    );
    for (const e of withChange.filter((x) => x.vout === changeVout)) {
      assert.equal(e.label, undefined, 'change has no address-book entry');
      assert.equal(Math.abs(e.amount), tx.outputs[changeVout]!.value);
    }
    // A label filter lists no sends at all, change included.
    assert.deepEqual((await poll({ blockHash: before, includeChange: true, label: 'x' })).transactions, []);
  });

  it('a deposit double-spent on a heavier fork is in removed, not in transactions', async () => {
    const address = await w.getNewAddress('customer-3');
    const source = coin();
    const deposit = h.payTo(address, COIN, source);
    const fork = h.tc.last;
    const [b1] = await h.mine(1, [deposit]);
    const seen = await poll({ blockHash: fork.hashHex() });
    assert.deepEqual(txidsOf(seen.transactions), [deposit.txidHex()]);
    assert.equal(seen.lastBlock, b1!.hashHex());

    const rival = h.tc.spend([h.tc.coinbaseOutput(source)], { fee: 5_000 });
    const g1 = h.tc.block({ parent: fork, txs: [rival] });
    const g2 = h.tc.block({ parent: g1 });
    await h.connect([g1, g2]);
    assert.equal(h.chain.tip.hashHex(), g2.hashHex());
    assert.equal(w.getTransaction(deposit.txidHex()).confirmations, -2);

    const after = await poll({ blockHash: seen.lastBlock });
    assert.ok(!txidsOf(after.transactions).includes(deposit.txidHex()), 'the fork lacks it');
    assert.deepEqual(txidsOf(after.removed), [deposit.txidHex()]);
    const [gone] = after.removed;
    assert.equal(gone!.category, 'receive');
    assert.equal(gone!.label, 'customer-3');
    assert.equal(gone!.amount, COIN);
    assert.equal(gone!.confirmations, -2);
    assert.equal(after.lastBlock, g2.hashHex());
    assert.deepEqual((await poll({ blockHash: seen.lastBlock, includeRemoved: false })).removed, []);
    // From a block of the active chain nothing was removed.
    assert.deepEqual((await poll({ blockHash: fork.hashHex() })).removed, []);
  });

  it('a deposit whose block is invalidated is in removed and back in transactions unconfirmed', async () => {
    const address = await w.getNewAddress('customer-4');
    const deposit = h.payTo(address, COIN, coin());
    const [b1] = await h.mine(1, [deposit]);
    await h.chain.invalidateBlock(b1!.hash());
    assert.ok(h.mempool.has(deposit.txid()));
    const r = await poll({ blockHash: b1!.hashHex() });
    assert.deepEqual(txidsOf(r.removed), [deposit.txidHex()]);
    assert.equal(r.removed[0]!.confirmations, 0);
    const listed = r.transactions.filter((e) => e.txid === deposit.txidHex());
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.confirmations, 0);
    assert.equal(r.lastBlock, h.chain.tip.hashHex());
    await h.chain.reconsiderBlock(b1!.hash());
    const back = await poll({ blockHash: b1!.hashHex() });
    assert.deepEqual(back.removed, [], 'the block is active again');
    assert.ok(!txidsOf(back.transactions).includes(deposit.txidHex()));
  });
});
