/**
 * Transaction relay against hand-driven peers: announcements by wtxid (BIP339) or txid, getdata
 * and notfound, the fee filter (BIP133), the `mempool` message (BIP35), orphans resolved by asking
 * the sender for the parents, and no echo to the peer a transaction came from.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { equalBytes } from '../../src/encoding/bytes.js';
import { type InvItem, InvType } from '../../src/net/wire/inventory.js';
import type { NetMessage } from '../../src/net/wire/message.js';
import type { Block } from '../../src/primitives/block.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { TestChain } from '../support/test-chain.js';
import { RawPeer } from './raw-peer.js';
import { TestNode, stopAll, waitFor } from './test-node.js';

const raws: RawPeer[] = [];
after(async () => {
  for (const r of raws) r.destroy();
  await stopAll();
});

/** A raw peer after the handshake; `wtxid` also negotiates BIP339 wtxid relay. */
async function rawPeer(port: number, wtxid: boolean): Promise<RawPeer> {
  const raw = await RawPeer.connect(port);
  raws.push(raw);
  raw.send(raw.version());
  if (wtxid) raw.send({ command: 'wtxidrelay' });
  await raw.waitFor('verack');
  raw.send({ command: 'verack' });
  await raw.waitFor('ping');
  return raw;
}

function invItems(raw: RawPeer, from = 0): InvItem[] {
  return raw.received.slice(from).flatMap((m) => (m.command === 'inv' ? [...m.items] : []));
}

function has(items: readonly InvItem[], type: number, hash: Uint8Array): boolean {
  return items.some((i) => i.type === type && equalBytes(i.hash, hash));
}

describe('transaction relay', () => {
  const tc = new TestChain();
  let blocks: Block[];
  let node: TestNode;
  let next = 0;
  const coinTx = (fee = 1_000): Transaction => tc.spend([tc.coinbaseOutput(blocks[next++]!)], { fee });

  before(async () => {
    blocks = tc.mine(120);
    node = await TestNode.start('relay');
    await node.mine(blocks);
  });

  it('announces by wtxid to BIP339 peers and by txid to others, and serves getdata', async () => {
    const w = await rawPeer(node.port, true);
    const t = await rawPeer(node.port, false);
    const tx = coinTx();
    assert.equal((await node.mempool.accept(tx)).ok, true);
    await w.until('wtx inv', () => has(invItems(w), InvType.WTX, tx.wtxid()));
    await t.until('tx inv', () => has(invItems(t), InvType.TX, tx.txid()));
    assert.ok(!has(invItems(w), InvType.TX, tx.txid()));

    const from = w.received.length;
    w.send({
      command: 'getdata',
      items: [
        { type: InvType.WTX, hash: tx.wtxid() },
        { type: InvType.WTX, hash: new Uint8Array(32).fill(1) },
      ],
    });
    await w.until('tx and notfound', () => {
      const got = w.received.slice(from).map((m) => m.command);
      return got.includes('tx') && got.includes('notfound');
    });
    const served = w.received.slice(from).find((m) => m.command === 'tx') as Extract<
      NetMessage,
      { command: 'tx' }
    >;
    assert.ok(equalBytes(served.tx.wtxid(), tx.wtxid()), 'served with its witness');
  });

  it('respects a peer’s fee filter', async () => {
    const picky = await rawPeer(node.port, true);
    const plain = await rawPeer(node.port, true);
    // 1,000 sat on ~110 vB is about 9,000 sat/kvB: under a 20,000 sat/kvB filter.
    picky.send({ command: 'feefilter', feeRate: 20_000n });
    await waitFor('filter applied', () => node.peers.getPeerInfo().some((p) => p.minFeeFilter === 20_000));
    const cheap = coinTx(1_000);
    const rich = coinTx(10_000);
    for (const tx of [cheap, rich]) assert.equal((await node.mempool.accept(tx)).ok, true);
    await plain.until('both announced', () =>
      [cheap, rich].every((tx) => has(invItems(plain), InvType.WTX, tx.wtxid())),
    );
    await picky.until('the rich one', () => has(invItems(picky), InvType.WTX, rich.wtxid()));
    assert.ok(!has(invItems(picky), InvType.WTX, cheap.wtxid()), 'below the filter: not announced');
  });

  it('answers `mempool` with an inv of the pool', async () => {
    const late = await rawPeer(node.port, true);
    const from = late.received.length;
    late.send({ command: 'mempool' });
    await late.until('inv of the pool', () => invItems(late, from).length >= node.mempool.size);
    const items = invItems(late, from);
    for (const e of node.mempool.entries()) assert.ok(has(items, InvType.WTX, e.wtxid));
  });

  it('accepts a transaction from a peer, relays it to others, never back to the sender', async () => {
    const sender = await rawPeer(node.port, true);
    const listener = await rawPeer(node.port, false);
    const tx = coinTx();
    sender.send({ command: 'inv', items: [{ type: InvType.WTX, hash: tx.wtxid() }] });
    await sender.until('getdata', () =>
      sender.received.some((m) => m.command === 'getdata' && has(m.items, InvType.WTX, tx.wtxid())),
    );
    sender.send({ command: 'tx', tx });
    await listener.until('relayed by txid', () => has(invItems(listener), InvType.TX, tx.txid()));
    assert.ok(node.mempool.has(tx.txid()));
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!has(invItems(sender), InvType.WTX, tx.wtxid()), 'not announced back to its sender');
    const info = node.peers.getPeerInfo().find((p) => p.lastTransaction > 0);
    assert.ok(info !== undefined, 'lastTransaction recorded for the sender');
  });

  it('asks the sender of an orphan for its parent, then accepts both', async () => {
    const peer = await rawPeer(node.port, true);
    const parent = coinTx();
    const child = tc.spend([tc.outputs(parent)[0]!]);
    const from = peer.received.length;
    peer.send({ command: 'tx', tx: child });
    await peer.until('getdata for the parent', () =>
      peer.received
        .slice(from)
        .some((m) => m.command === 'getdata' && has(m.items, InvType.WITNESS_TX, parent.txid())),
    );
    assert.ok(node.mempool.hasOrphan(child.wtxid()));
    peer.send({ command: 'tx', tx: parent });
    await waitFor(
      'both in the pool',
      () => node.mempool.has(parent.txid()) && node.mempool.has(child.txid()),
    );
    assert.ok(!peer.closed);
    // A missing parent is no fault of the peer's.
    assert.ok(node.penalties.every((p) => p.action.action === 'none'));
  });

  it('peers that asked for no transactions (BIP37 relay=false) get no announcements', async () => {
    const raw = await RawPeer.connect(node.port);
    raws.push(raw);
    raw.send(raw.version({ relay: false }));
    await raw.waitFor('verack');
    raw.send({ command: 'verack' });
    await raw.waitFor('ping');
    const tx = coinTx();
    assert.equal((await node.mempool.accept(tx)).ok, true);
    const watcher = await rawPeer(node.port, false);
    watcher.send({ command: 'mempool' });
    await watcher.until('the watcher sees it', () => has(invItems(watcher), InvType.TX, tx.txid()));
    assert.equal(invItems(raw).length, 0);
  });
});
