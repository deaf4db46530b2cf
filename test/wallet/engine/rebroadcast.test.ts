import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromDisplayHex, toDisplayHex } from '../../../src/encoding/hex.js';
import type { Block } from '../../../src/primitives/block.js';
import { addressFromScript } from '../../../src/script/address.js';
import type { Wallet } from '../../../src/wallet/wallet.js';
import { EngineHarness, MNEMONIC, NOW } from './harness.js';

const COIN = 100_000_000;

/**
 * Core's ResubmitWalletTransactions(relay=true, force=false), as MaybeResendWalletTxs runs it:
 * unconfirmed wallet transactions received more than 5 minutes before the best block's time go
 * back to the mempool if missing and are handed to the node's relay in orderPos order; abandoned,
 * confirmed and conflicted ones are left alone.
 */
describe('wallet rebroadcast of unconfirmed transactions (MaybeResendWalletTxs)', () => {
  let h: EngineHarness;
  let w: Wallet;
  let blocks: Block[];
  let dest: string;
  /** What the node was asked to announce, in order (display txids). */
  let relayed: string[];
  const relay = (txid: Uint8Array): boolean => {
    if (!h.mempool.has(txid)) return false;
    relayed.push(toDisplayHex(txid));
    return true;
  };
  const inMempool = (txid: string) => h.mempool.has(fromDisplayHex(txid));
  /** An empty block (the wallet's transactions stay unconfirmed) at `time`. */
  const emptyBlockAt = (time: number) => h.connect([h.tc.block({ txs: [], time })]);

  before(async () => {
    h = await EngineHarness.create();
    w = (await h.wallets.create({ name: 'w', mnemonic: MNEMONIC })) as Wallet;
    blocks = await h.mine(110, []);
    for (let i = 0; i < 2; i++) await h.accept(h.payTo(await w.getNewAddress(), 2 * COIN, blocks[i]!));
    await h.mine(1);
    dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
  });
  after(async () => {
    await h.destroy();
  });

  let parent: string;
  let child: string;
  let incoming: string;

  it('skips transactions received within 5 minutes of the best block time', async () => {
    parent = (await w.send({ recipients: [{ address: dest, amount: 3 * COIN }], feeRate: 2 })).txid;
    child = (await w.send({ recipients: [{ address: dest, amount: COIN / 2 }], feeRate: 2 })).txid;
    const incomingTx = h.payTo(await w.getNewAddress(), COIN, blocks[2]!);
    await h.accept(incomingTx);
    incoming = incomingTx.txidHex();
    // All three were received at NOW; the builder's blocks are dated 2011.
    relayed = [];
    let report = await w.rebroadcast(relay);
    assert.deepEqual(report, { accepted: 0, rejected: [], relayed: 0 });
    assert.deepEqual(relayed, []);

    await emptyBlockAt(NOW + 299);
    report = await w.rebroadcast(relay);
    assert.equal(report.relayed, 0, 'received 299 s before the best block: still too recent');

    await emptyBlockAt(NOW + 300);
    report = await w.rebroadcast(relay);
    assert.deepEqual(report, { accepted: 0, rejected: [], relayed: 3 });
    assert.deepEqual(relayed, [parent, child, incoming], 'in the order the wallet got them');
  });

  it('resubmits what left the mempool, never the abandoned ones', async () => {
    // Two weeks pass: the mempool expires all three while accepting something else.
    const clock = h.mempool as unknown as { now: () => number };
    clock.now = () => NOW + 400 * 3600;
    await h.accept(h.payTo(dest, COIN, blocks[3]!));
    clock.now = () => NOW;
    for (const txid of [parent, child, incoming]) assert.equal(inMempool(txid), false, `${txid} expired`);
    await w.abandonTransaction(parent); // and with it the child that spends its change

    relayed = [];
    const report = await w.rebroadcast(relay);
    assert.deepEqual(report, { accepted: 1, rejected: [], relayed: 1 });
    assert.deepEqual(relayed, [incoming]);
    assert.ok(inMempool(incoming), 'back in the mempool');
    assert.equal(inMempool(parent), false, 'abandoned: left out');
    assert.equal(inMempool(child), false, 'abandoned with its parent: left out');
  });

  it('skips confirmed and conflicted transactions', async () => {
    // A payment to the wallet whose coin a block then spends elsewhere: conflicted.
    const doomed = h.payTo(await w.getNewAddress(), COIN, blocks[4]!);
    await h.accept(doomed);
    const doubleSpend = h.payTo(dest, COIN / 2, blocks[4]!);
    // The block confirms `incoming` (from the mempool) and the double spend.
    await h.connect([h.tc.block({ txs: [h.mempool.get(fromDisplayHex(incoming))!.tx, doubleSpend] })]);
    assert.equal(w.getTransaction(incoming).confirmations, 1);
    assert.ok(w.getTransaction(doomed.txidHex()).confirmations < 0, 'conflicted');

    relayed = [];
    const report = await w.rebroadcast(relay);
    assert.deepEqual(report, { accepted: 0, rejected: [], relayed: 0 }, 'nothing tried, nothing refused');
    assert.deepEqual(relayed, []);
  });
});
