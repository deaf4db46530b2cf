/**
 * Forks and double spends across the network: a partition healed (the heavier branch wins
 * everywhere, the losing branch's transactions go back to the mempools unless they conflict), and
 * one coin spent twice at two ends of the network (exactly one spend is ever confirmed).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TxValidationResult } from '../../src/consensus/errors.js';
import type { Block } from '../../src/primitives/block.js';
import { TestChain } from '../support/test-chain.js';
import { TestNode, sameTip, stopAll, waitFor } from './test-node.js';

after(stopAll);

/** The node has `n` peers, all past the version handshake (transactions are relayed to those only). */
function handshaken(node: TestNode, n: number): boolean {
  const peers = node.peers.getPeerInfo();
  return peers.length === n && peers.every((p) => p.version > 0);
}

/** Three nodes that share `base` (110 blocks), not connected to each other yet. */
async function threeNodes(base: readonly Block[], options: Parameters<typeof TestNode.start>[1] = {}) {
  const nodes: TestNode[] = [];
  for (const name of ['a', 'b', 'c']) {
    const node = await TestNode.start(name, options);
    await node.mine(base);
    nodes.push(node);
  }
  return nodes as [TestNode, TestNode, TestNode];
}

describe('network partitions', () => {
  it('two groups mine apart; after reconnecting all follow the heavier chain and the losing transactions return', async () => {
    const tc = new TestChain();
    const base = tc.mine(110);
    const fork = base[base.length - 1]!;
    const [a, b, c] = await threeNodes(base);
    b.peers.addNode(a.addr, 'add');
    await waitFor('A–B handshake done', () => [a, b].every((n) => handshaken(n, 1)));

    // Group {A, B}: one transaction only it has, one that conflicts with group {C}'s.
    const onlyAB = tc.spend([tc.coinbaseOutput(base[0]!)]);
    const contested = tc.coinbaseOutput(base[1]!);
    const loser = tc.spend([contested], { fee: 1_000 });
    for (const tx of [onlyAB, loser]) assert.equal((await a.mempool.accept(tx)).ok, true);
    await waitFor(
      'B has the transactions',
      () => b.mempool.has(onlyAB.txid()) && b.mempool.has(loser.txid()),
    );
    const ab1 = tc.block({ parent: fork, txs: [onlyAB, loser] });
    const abBranch = [ab1, ...tc.mineBlocks(2, { parent: ab1 })];
    await a.mine(abBranch);
    await waitFor('B follows A', () => sameTip(a, b));
    assert.equal(b.mempool.size, 0);

    // Group {C}: a longer branch that spends the contested coin differently.
    const winner = tc.spend([contested], { fee: 3_000 });
    const onlyC = tc.spend([tc.coinbaseOutput(base[2]!)]);
    const c1 = tc.block({ parent: fork, txs: [winner, onlyC] });
    const cBranch = [c1, ...tc.mineBlocks(4, { parent: c1 })];
    await c.mine(cBranch);
    assert.equal(a.chain.height, 113);
    assert.equal(c.chain.height, 115);

    c.peers.addNode(b.addr, 'add');
    await waitFor('everyone on the heavier chain', () => sameTip(a, b, c));
    assert.equal(a.chain.tip.key, c.chain.getEntry(cBranch[4]!.hash())!.key);
    for (const node of [a, b]) {
      assert.ok(node.mempool.has(onlyAB.txid()), `${node.name}: the unconflicted transaction is back`);
      assert.ok(!node.mempool.has(loser.txid()), `${node.name}: the double spend is gone`);
      assert.equal(node.mempool.size, 1);
    }
    // The old branch stays known as a valid fork.
    assert.equal(a.chain.getEntry(abBranch[2]!.hash())?.hasData(), true);
    const digests = await Promise.all([a, b, c].map((n) => n.chain.utxoDigest()));
    assert.deepEqual(digests[0], digests[1]);
    assert.deepEqual(digests[0], digests[2]);
    // C never downloaded the lighter branch's blocks (Core fetches only towards more work).
    assert.equal(c.chain.getEntry(abBranch[2]!.hash())?.hasData() ?? false, false);
  });

  it('a coin spent twice at both ends of A–B–C: exactly one spend is ever confirmed', async () => {
    const tc = new TestChain();
    const base = tc.mine(110);
    // Core ≤ v27's policy (no full RBF): a conflicting spend is refused with txn-mempool-conflict.
    const [a, b, c] = await threeNodes(base, { mempool: { fullRbf: false } });
    b.peers.addNode(a.addr, 'add');
    c.peers.addNode(b.addr, 'add');
    await waitFor('A–B–C handshakes done', () => handshaken(a, 1) && handshaken(b, 2) && handshaken(c, 1));

    const coin = tc.coinbaseOutput(base[0]!);
    const first = tc.spend([coin], { fee: 1_000 });
    const second = tc.spend([coin], { fee: 5_000 });
    const [ra, rc] = await Promise.all([a.mempool.accept(first), c.mempool.accept(second)]);
    assert.ok(ra.ok && rc.ok);
    // B takes whichever spend reaches it first and refuses the other; the end whose spend B
    // refused then refuses B's. The other end never hears of the conflict: nobody relays a loser.
    const conflicts = (n: TestNode): number =>
      n.penalties.filter((p) => p.reason === 'txn-mempool-conflict').length;
    await waitFor('B refuses one spend', () => conflicts(b) === 1);
    const bTookFirst = b.mempool.has(first.txid());
    const refusing = bTookFirst ? c : a;
    await waitFor(`${refusing.name} refuses B's spend`, () => conflicts(refusing) === 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(conflicts(bTookFirst ? a : c), 0);
    for (const n of [a, b, c]) {
      for (const p of n.penalties) {
        assert.equal(p.reason, 'txn-mempool-conflict');
        assert.deepEqual(p.input, { kind: 'tx', result: TxValidationResult.MEMPOOL_POLICY });
        assert.equal(p.action.action, 'none', 'a double spend is not misbehaviour');
      }
      assert.equal(n.mempool.size, 1);
      assert.equal(n.peers.connectionCount(), n === b ? 2 : 1);
    }
    assert.ok(a.mempool.has(first.txid()) && c.mempool.has(second.txid()));

    // A mines what its mempool holds; the block reaches everyone.
    const block = tc.block({
      parent: base[base.length - 1]!,
      txs: [...a.mempool.entries()].map((e) => e.tx),
    });
    await a.mine([block]);
    await waitFor('the block reaches C', () => sameTip(a, b, c));
    for (const n of [a, b, c]) {
      assert.equal(n.mempool.size, 0, `${n.name}: the losing spend left the mempool`);
      assert.notEqual(await n.chain.getTxLocation(first.txid()), undefined);
      assert.equal(await n.chain.getTxLocation(second.txid()), undefined);
    }
    const late = await c.mempool.accept(second);
    assert.equal(late.ok, false);
    assert.equal(late.ok ? '' : late.reason, 'bad-txns-inputs-missingorspent');
  });
});
