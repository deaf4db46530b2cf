/**
 * Throughput over loopback, measured and printed (not asserted beyond sanity bounds: machines
 * differ): initial block download of a busy chain from one peer, and transaction relay from one
 * mempool to another. Each run is bounded in blocks, transactions and time.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SyncProgressReport } from '../../src/net/sync-progress.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { TestChain } from '../support/test-chain.js';
import { busyChain } from '../support/test-chain-workload.js';
import { TestNode, sameTip, stopAll, waitFor } from './test-node.js';

after(stopAll);

function rate(count: number, ms: number): string {
  return (count / (ms / 1000)).toFixed(0);
}

describe('loopback throughput', () => {
  it('initial block download: 1,000 blocks with signed transactions from one peer', async () => {
    const tc = new TestChain();
    const blocks = busyChain(tc, { blocks: 1_000, txsPerBlock: 8 });
    const txCount = blocks.reduce((n, b) => n + b.txs.length - 1, 0);
    const a = await TestNode.start('source');
    await a.mine(blocks);
    const reports: SyncProgressReport[] = [];
    const started = performance.now();
    const b = await TestNode.start('sink', { connect: [a.addr], progressEveryBlocks: 250 });
    b.peers.on('sync-progress', (r) => reports.push(r));
    await waitFor('sync', () => sameTip(a, b), 120_000);
    const ms = performance.now() - started;
    console.log(
      `IBD over loopback: ${blocks.length} blocks, ${txCount} transactions in ${ms.toFixed(0)} ms: ` +
        `${rate(blocks.length, ms)} blocks/s, ${rate(txCount, ms)} tx/s`,
    );
    for (const r of reports) {
      console.log(
        `  progress ${r.height}/${r.headers}: ${r.blocksPerSecond.toFixed(0)} blocks/s, ${r.txPerSecond.toFixed(0)} tx/s${r.done ? ' (done)' : ''}`,
      );
    }
    assert.ok(txCount > 5_000);
    assert.ok(reports.length >= 4);
    assert.equal(reports[reports.length - 1]!.done, true);
    assert.deepEqual(await b.chain.utxoDigest(), await a.chain.utxoDigest());
  });

  it('transaction relay: 1,000 signed transactions from one mempool to another', async () => {
    const tc = new TestChain();
    const base = tc.mine(101);
    // One coinbase split into 1,000 outputs, confirmed, so each relayed transaction stands alone.
    const fan = tc.spend([tc.coinbaseOutput(base[0]!)], {
      outputs: Array.from({ length: 1_000 }, () => ({ value: 4_000_000 })),
    });
    const funding = tc.block({ txs: [fan] });
    const a = await TestNode.start('tx-source');
    const b = await TestNode.start('tx-sink', { connect: [a.addr] });
    await a.mine([...base, funding]);
    await waitFor('b syncs', () => sameTip(a, b));
    const txs: Transaction[] = tc.outputs(fan).map((o) => tc.spend([o]));
    const started = performance.now();
    for (const tx of txs) assert.equal((await a.mempool.accept(tx)).ok, true);
    const accepted = performance.now() - started;
    await waitFor('all relayed', () => b.mempool.size === txs.length, 60_000);
    const ms = performance.now() - started;
    console.log(
      `tx relay over loopback: ${txs.length} transactions in ${ms.toFixed(0)} ms: ${rate(txs.length, ms)} tx/s ` +
        `(accepting them at the source alone: ${rate(txs.length, accepted)} tx/s)`,
    );
  });
});
