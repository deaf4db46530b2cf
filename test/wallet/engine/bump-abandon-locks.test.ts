import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Block } from '../../../src/primitives/block.js';
import { addressFromScript } from '../../../src/script/address.js';
import { formatMoney } from '../../../src/wallet/spend/bump-fee.js';
import type { Wallet } from '../../../src/wallet/wallet.js';
import { EngineHarness, MNEMONIC, NOW, rejectsWalletError as rejects } from './harness.js';

const COIN = 100_000_000;

describe('bumpfee, abandontransaction, lockunspent, labels and listreceivedbyaddress', () => {
  let h: EngineHarness;
  let w: Wallet;
  let blocks: Block[];
  let dest: string;
  before(async () => {
    h = await EngineHarness.create();
    w = (await h.wallets.create({ name: 'w', mnemonic: MNEMONIC })) as Wallet;
    blocks = await h.mine(110, []);
    dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
    for (let i = 0; i < 3; i++)
      await h.accept(h.payTo(await w.getNewAddress(`in-${i}`), 2 * COIN, blocks[i]!));
    await h.mine(1);
  });
  after(async () => {
    await h.destroy();
  });

  it('formats amounts as Core’s FormatMoney', () => {
    assert.equal(formatMoney(1000), '0.00001');
    assert.equal(formatMoney(COIN), '1.00');
    assert.equal(formatMoney(123_456_789), '1.23456789');
    assert.equal(formatMoney(10), '0.0000001');
  });

  it('bumps a wallet payment: the replacement pays more, keeps every input and the recipient', async () => {
    const sent = await w.send({ recipients: [{ address: dest, amount: COIN / 2 }], feeRate: 2 });
    const original = w.getTransaction(sent.txid).tx;
    const bumped = await w.bumpFee(sent.txid, { feeRate: 10 });
    assert.equal(bumped.origFee, sent.fee);
    assert.ok(bumped.fee > sent.fee);
    assert.deepEqual(bumped.errors, []);
    const replacement = w.getTransaction(bumped.txid).tx;
    assert.ok(h.mempool.has(replacement.txid()));
    assert.ok(!h.mempool.has(original.txid()), 'the original left the mempool');
    const spent = new Set(replacement.inputs.map((i) => i.prevout.key()));
    for (const i of original.inputs) assert.ok(spent.has(i.prevout.key()), 'every original input kept');
    assert.ok(replacement.outputs.some((o) => o.value === COIN / 2));
    assert.ok(bumped.fee >= replacement.vsize() * 10, `fee ${bumped.fee} for ${replacement.vsize()} vB`);
    await rejects(
      w.bumpFee(sent.txid, {}),
      'WALLET_ERROR',
      `Cannot bump transaction ${sent.txid} which was already bumped by transaction ${bumped.txid}`,
    );
    // Without a rate: the old rate plus the 5 sat/vB wallet increment at least.
    const again = await w.bumpFee(bumped.txid, {});
    assert.ok(again.fee >= bumped.fee + replacement.vsize() * 5);
    await h.mine(1);
    assert.equal(w.getTransaction(again.txid).confirmations, 1);
    await rejects(
      w.bumpFee(again.txid, {}),
      'WALLET_ERROR',
      'Transaction has been mined, or is conflicted with a mined transaction',
    );
  });

  it('refuses what Core refuses, changing nothing', async () => {
    await rejects(
      w.bumpFee('00'.repeat(32), {}),
      'INVALID_ADDRESS_OR_KEY',
      'Invalid or non-wallet transaction id',
    );
    const sent = await w.send({ recipients: [{ address: dest, amount: COIN / 4 }], feeRate: 3 });
    await rejects(
      w.bumpFee(sent.txid, { feeRate: 3 }),
      'INVALID_PARAMETER',
      /^Insufficient total fee 0\.\d+, must be at least 0\.\d+ \(oldFee 0\.\d+ \+ incrementalFee 0\.\d+\)$/,
    );
    const final = await w.send({
      recipients: [{ address: dest, amount: COIN / 8 }],
      feeRate: 3,
      replaceable: false,
    });
    await rejects(w.bumpFee(final.txid, {}), 'WALLET_ERROR', 'Transaction is not BIP 125 replaceable');
    // A child spending its change makes a transaction unbumpable: with every confirmed coin
    // locked, the next payment can only spend unconfirmed change.
    const confirmed = w.listUnspent({ minConf: 1 }).map((c) => ({ txid: c.txid, vout: c.vout }));
    await w.lockUnspent(false, confirmed, false);
    const child = await w.send({ recipients: [{ address: dest, amount: COIN / 16 }], feeRate: 3 });
    await w.lockUnspent(true, undefined, false);
    const parent = w.getTransaction(child.txid).tx.inputs[0]!.prevout.txid();
    assert.ok([sent.txid, final.txid].includes(parent));
    await rejects(w.bumpFee(parent, {}), 'INVALID_PARAMETER', 'Transaction has descendants in the wallet');
    await h.mine(1);
  });

  it('abandons a transaction that left the mempool, freeing its coins', async () => {
    const before = w.balances().trusted;
    const sent = await w.send({ recipients: [{ address: dest, amount: COIN }], feeRate: 2 });
    await rejects(
      w.abandonTransaction(sent.txid),
      'INVALID_ADDRESS_OR_KEY',
      'Transaction not eligible for abandonment',
    );
    await rejects(
      w.abandonTransaction('ab'.repeat(32)),
      'INVALID_ADDRESS_OR_KEY',
      'Invalid or non-wallet transaction id',
    );
    // Two weeks later the mempool expires it (-mempoolexpiry) while accepting something else.
    const clock = h.mempool as unknown as { now: () => number };
    const realNow = clock.now;
    clock.now = () => NOW + 400 * 3600;
    try {
      await h.accept(h.payTo(dest, COIN, blocks[8]!));
    } finally {
      clock.now = realNow;
    }
    assert.ok(!h.mempool.has(w.getTransaction(sent.txid).tx.txid()), 'expired');
    assert.ok(w.balances().trusted < before);
    await w.abandonTransaction(sent.txid);
    assert.equal(w.balances().trusted, before);
    const entry = w.listTransactions(undefined, 100, 0, false).find((e) => e.txid === sent.txid);
    assert.equal(entry?.abandoned, true);
    await w.abandonTransaction(sent.txid); // already abandoned: no effect, no error
    // The freed coins fund a new payment.
    const again = await w.send({ recipients: [{ address: dest, amount: COIN }], feeRate: 3 });
    assert.notEqual(again.txid, sent.txid);
  });

  it('lockunspent keeps coins out of selection; persistent locks survive a restart', async () => {
    await h.mine(1);
    const coins = w.listUnspent({ minConf: 1 });
    assert.ok(coins.length >= 2);
    const [a, b] = coins;
    await w.lockUnspent(false, [{ txid: a!.txid, vout: a!.vout }], false);
    await w.lockUnspent(false, [{ txid: b!.txid, vout: b!.vout }], true);
    assert.deepEqual(
      new Set(w.listLockUnspent().map((c) => `${c.txid}:${c.vout}`)),
      new Set([`${a!.txid}:${a!.vout}`, `${b!.txid}:${b!.vout}`]),
    );
    await rejects(
      w.lockUnspent(false, [{ txid: a!.txid, vout: a!.vout }], false),
      'INVALID_PARAMETER',
      'Invalid parameter, output already locked',
    );
    await rejects(
      w.lockUnspent(true, [{ txid: a!.txid, vout: 99 }], false),
      'INVALID_PARAMETER',
      'Invalid parameter, vout index out of bounds',
    );
    await rejects(
      w.lockUnspent(true, [{ txid: 'cd'.repeat(32), vout: 0 }], false),
      'INVALID_PARAMETER',
      'Invalid parameter, unknown transaction',
    );
    const total = coins.reduce((s, c) => s + c.amount, 0);
    await rejects(
      w.send({ recipients: [{ address: dest, amount: total - a!.amount - b!.amount + 1 }], feeRate: 1 }),
      'INSUFFICIENT_FUNDS',
      'Insufficient funds',
    );
    await h.restart();
    const reloaded = h.wallets.get('w') ?? (await h.wallets.load('w'));
    assert.deepEqual(
      reloaded.listLockUnspent().map((c) => `${c.txid}:${c.vout}`),
      [`${b!.txid}:${b!.vout}`],
      'only the persistent lock survives',
    );
    await reloaded.lockUnspent(true, undefined, false);
    assert.deepEqual(reloaded.listLockUnspent(), []);
    w = reloaded as Wallet;
  });

  it('labels and listreceivedbyaddress follow Core', async () => {
    const fresh = await w.getNewAddress('savings');
    await w.setLabel(dest, 'shop');
    assert.deepEqual(w.listLabels(), ['in-0', 'in-1', 'in-2', 'savings', 'shop']);
    assert.deepEqual(w.listLabels('send'), ['shop']);
    assert.ok(!w.listLabels('receive').includes('shop'));
    const received = w.listReceivedByAddress({
      minConf: 1,
      includeEmpty: false,
      includeWatchOnly: false,
      includeImmatureCoinbase: false,
    });
    assert.deepEqual(received.map((r) => [r.label, r.amount, r.txids.length]).sort(), [
      ['in-0', 2 * COIN, 1],
      ['in-1', 2 * COIN, 1],
      ['in-2', 2 * COIN, 1],
    ]);
    assert.ok(received.every((r) => r.confirmations > 1));
    const withEmpty = w.listReceivedByAddress({
      minConf: 1,
      includeEmpty: true,
      includeWatchOnly: false,
      includeImmatureCoinbase: false,
    });
    const empty = withEmpty.find((r) => r.address === fresh)!;
    assert.deepEqual([empty.amount, empty.confirmations, empty.txids], [0, 0, []]);
    assert.ok(withEmpty.some((r) => r.address === dest && r.label === 'shop'));
    const one = w.listReceivedByAddress({
      minConf: 1,
      includeEmpty: true,
      includeWatchOnly: false,
      address: fresh,
      includeImmatureCoinbase: false,
    });
    assert.deepEqual(
      one.map((r) => r.address),
      [fresh],
    );
  });
});
