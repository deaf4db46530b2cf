import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Block } from '../../../src/primitives/block.js';
import { addressFromScript } from '../../../src/script/address.js';
import { WalletError, type WalletApi } from '../../../src/wallet/api.js';
import { EngineHarness, MNEMONIC } from './harness.js';

const COIN = 100_000_000;

describe('wallet tracking and spending', () => {
  let h: EngineHarness;
  let w: WalletApi;
  let coinBlocks: Block[];
  before(async () => {
    h = await EngineHarness.create();
    w = await h.wallets.create({ name: 'w', mnemonic: MNEMONIC });
    coinBlocks = await h.mine(101, []); // builder coins, the first mature
  });
  after(async () => {
    await h.destroy();
  });

  it('a payment shows as untrusted pending in the mempool, then trusted once mined', async () => {
    const address = await w.getNewAddress('salary');
    const tx = h.payTo(address, 2 * COIN, coinBlocks[0]!);
    await h.accept(tx);
    assert.deepEqual(w.balances(), { trusted: 0, untrustedPending: 2 * COIN, immature: 0 });
    const pending = w.getTransaction(tx.txidHex());
    assert.equal(pending.confirmations, 0);
    assert.equal(pending.trusted, false);
    assert.equal(pending.amount, 2 * COIN);
    assert.deepEqual(
      pending.details.map((d) => [d.category, d.amount, d.label]),
      [['receive', 2 * COIN, 'salary']],
    );
    await h.mine(1);
    assert.deepEqual(w.balances(), { trusted: 2 * COIN, untrustedPending: 0, immature: 0 });
    const mined = w.getTransaction(tx.txidHex());
    assert.equal(mined.confirmations, 1);
    assert.equal(mined.blockHeight, 102);
    assert.equal(w.listUnspent({}).length, 1);
    assert.equal(w.balance(2), 0, 'getbalance minconf 2 leaves out a 1-confirmation coin');
  });

  it('coinbase outputs are immature for 100 blocks', async () => {
    const address = await w.getNewAddress();
    const [cb] = await h.mine(1, [], h.script(address));
    const value = cb!.txs[0]!.outputs[0]!.value;
    assert.equal(w.balances().immature, value);
    const entry = w.listTransactions(undefined, 10, 0, false).find((e) => e.txid === cb!.txs[0]!.txidHex());
    assert.equal(entry?.category, 'immature');
    await h.mine(99);
    assert.equal(w.balances().immature, value, '100 confirmations: still immature (Core needs 101)');
    await h.mine(1);
    assert.equal(w.balances().immature, 0);
    assert.equal(w.balances().trusted, 2 * COIN + value);
    assert.equal(w.getTransaction(cb!.txs[0]!.txidHex()).details[0]?.category, 'generate');
  });

  it('sends with change: the change is trusted at once, the fee is exact', async () => {
    const before = w.balances().trusted;
    const dest = h.tc.key.p2wpkh();
    const destAddress = addressFromScript(dest, h.chain.network.addressPrefixes)!;
    const sent = await w.send({
      recipients: [{ address: destAddress, amount: COIN / 2 }],
      feeRate: 2,
      comment: 'rent',
    });
    const wtx = w.getTransaction(sent.txid);
    assert.equal(wtx.confirmations, 0);
    assert.equal(wtx.comment, 'rent');
    assert.equal(wtx.fee, -sent.fee);
    assert.equal(wtx.amount, -COIN / 2);
    assert.ok(
      sent.fee >= wtx.tx.vsize() * 2 && sent.fee < wtx.tx.vsize() * 2 + 5,
      `fee ${sent.fee} for ${wtx.tx.vsize()} vB`,
    );
    assert.ok(
      wtx.tx.inputs.every((i) => i.sequence === 0xfffffffd),
      'RBF signalled by default',
    );
    assert.equal(wtx.replaceable, 'yes');
    const sends = wtx.details.filter((d) => d.category === 'send');
    assert.deepEqual(
      sends.map((d) => d.amount),
      [-COIN / 2],
    );
    assert.deepEqual(w.balances(), {
      trusted: before - COIN / 2 - sent.fee,
      untrustedPending: 0,
      immature: 0,
    });
    assert.ok(h.mempool.has(wtx.tx.txid()));
    // Spent coins are not offered again while the spend is in the mempool.
    const again = await w.send({ recipients: [{ address: destAddress, amount: COIN / 10 }], feeRate: 1 });
    const spentTwice = w
      .getTransaction(again.txid)
      .tx.inputs.some((i) => wtx.tx.inputs.some((j) => j.prevout.equals(i.prevout)));
    assert.equal(spentTwice, false);
    await h.mine(1);
    assert.equal(w.getTransaction(sent.txid).confirmations, 1);
  });

  it('insufficient funds and a bad address change nothing', async () => {
    const beforeBal = w.balances();
    const beforeCount = w.info().txCount;
    const beforePool = w.info().keypoolSizeHdInternal;
    await assert.rejects(
      w.send({ recipients: [{ address: await w.getNewAddress(), amount: 1_000 * COIN }] }),
      (e: unknown) =>
        e instanceof WalletError &&
        e.code === 'INSUFFICIENT_FUNDS' &&
        e.message === 'Insufficient funds' &&
        e.rpcCode === -6,
    );
    await assert.rejects(
      w.send({ recipients: [{ address: 'nonsense', amount: 1000 }] }),
      (e: unknown) => e instanceof WalletError && e.rpcCode === -5,
    );
    assert.deepEqual(w.balances(), beforeBal);
    assert.equal(w.info().txCount, beforeCount);
    assert.equal(w.info().keypoolSizeHdInternal, beforePool);
  });

  it('listtransactions pages oldest first like Core', async () => {
    const all = w.listTransactions(undefined, 1000, 0, false);
    assert.equal(all.length, 4); // receive, generate, two sends (change is not listed)
    const last2 = w.listTransactions(undefined, 2, 0, false);
    assert.deepEqual(last2, all.slice(-2));
    const skip1 = w.listTransactions(undefined, 2, 1, false);
    assert.deepEqual(skip1, all.slice(-3, -1));
    const labelled = w.listTransactions('salary', 10, 0, false);
    assert.deepEqual(
      labelled.map((e) => e.category),
      ['receive'],
    );
  });

  it('a chain of unconfirmed change stops at the mempool limit with Core’s error, not a rejection', async () => {
    const chainer = await h.wallets.create({ name: 'chainer' });
    await h.accept(h.payTo(await chainer.getNewAddress(), COIN, coinBlocks[5]!));
    await h.mine(1);
    const dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
    let sent = 0;
    let error: unknown;
    for (let i = 0; i < 30 && error === undefined; i++) {
      try {
        await chainer.send({ recipients: [{ address: dest, amount: 10_000 }], feeRate: 1 });
        sent++;
      } catch (e) {
        error = e;
      }
    }
    assert.equal(sent, 25, 'Core’s default limit: 25 transactions in a mempool chain');
    assert.ok(error instanceof WalletError);
    assert.equal(error.rpcCode, -6);
    assert.match(error.message, /chain of transactions that will be rejected by the mempool/);
  });
});
