/**
 * Three nodes in a line, A–B–C: C only hears of A's blocks and transactions through B. A has a
 * chain before the others connect (headers-first initial sync through a relay), then mines more
 * blocks live while transactions are relayed from mempool to mempool.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SyncProgressReport } from '../../src/net/sync-progress.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { TestChain } from '../support/test-chain.js';
import { busyChain } from '../support/test-chain-workload.js';
import { TestNode, sameTip, stopAll, waitFor } from './test-node.js';

after(stopAll);

describe('three nodes A–B–C', () => {
  it('B and C sync 150 blocks from A, then follow 50 more mined live with relayed transactions', async () => {
    const tc = new TestChain();
    // Transactions from height 101 on (coinbases mature), with real signatures.
    const initial = busyChain(tc, { blocks: 150, txsPerBlock: 4 });
    const a = await TestNode.start('a');
    await a.mine(initial);
    const reports: SyncProgressReport[] = [];
    const b = await TestNode.start('b', { connect: [a.addr], progressEveryBlocks: 50 });
    b.peers.on('sync-progress', (r) => reports.push(r));
    const c = await TestNode.start('c', { connect: [b.addr] });
    await waitFor('B and C reach A', () => sameTip(a, b, c));
    assert.equal(c.chain.height, 150);
    assert.ok(reports.length >= 3, 'progress every 50 blocks');
    assert.equal(reports[reports.length - 1]!.done, true);
    assert.equal(reports[reports.length - 1]!.height, 150);

    // Live: each round A accepts transactions, which must reach C's mempool through B before A
    // mines them. Coinbases 51..100 of the initial chain are unspent and mature in turn.
    let previous: Transaction | undefined;
    let relayed = 0;
    for (let round = 0; round < 50; round++) {
      const height = a.chain.height;
      const txs: Transaction[] = [tc.spend([tc.coinbaseOutput(initial[height - 100]!)], { fee: 2_000 })];
      if (previous !== undefined) txs.push(tc.spend([tc.outputs(previous)[0]!], { fee: 1_500 }));
      previous = txs[0];
      for (const tx of txs) assert.equal((await a.mempool.accept(tx)).ok, true);
      await waitFor('transactions reach C', () => txs.every((tx) => c.mempool.has(tx.txid())));
      relayed += txs.length;
      await a.mine([tc.block({ txs })]);
      await waitFor('B and C follow A', () => sameTip(a, b, c));
      await waitFor('mempools empty', () => b.mempool.size === 0 && c.mempool.size === 0);
    }
    assert.equal(relayed, 99);
    assert.equal(c.chain.height, 200);
    const digests = await Promise.all([a, b, c].map((n) => n.chain.utxoDigest()));
    for (const d of digests.slice(1)) assert.deepEqual(d, digests[0]);

    // What getpeerinfo shows on B: A outbound (manual), C inbound, both synced to 200.
    const info = b.peers.getPeerInfo();
    assert.equal(info.length, 2);
    const toA = info.find((p) => !p.inbound)!;
    const fromC = info.find((p) => p.inbound)!;
    assert.equal(toA.connectionType, 'manual');
    assert.equal(toA.subver, '/Tally:test-a/');
    assert.equal(toA.syncedHeaders, 200);
    assert.equal(toA.syncedBlocks, 200);
    assert.equal(fromC.subver, '/Tally:test-c/');
    assert.equal(fromC.connectionType, 'inbound');
    assert.ok(toA.bytesRecv > 50_000 && fromC.bytesSent > 50_000);
    assert.equal(b.peers.connectionCount(), 2);
    const net = b.peers.networkInfo();
    assert.deepEqual([net.connectionsIn, net.connectionsOut], [1, 1]);
    // Nobody misbehaved.
    for (const n of [a, b, c]) assert.deepEqual(n.penalties, []);
  });
});
