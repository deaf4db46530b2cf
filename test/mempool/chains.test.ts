import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TxValidationResult } from '../../src/consensus/errors.js';
import type { Mempool } from '../../src/mempool/mempool.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import type { SpendableOutput } from '../support/test-chain.js';
import { assertAccepted, assertPackageFigures, assertRejected, MempoolHarness } from './support.js';

/** Every entry's package figures equal a recount from scratch. */
function assertPackagesConsistent(mempool: Mempool): void {
  assertPackageFigures(mempool.entries());
}

describe('Mempool: chains of unconfirmed transactions', () => {
  let h: MempoolHarness;
  before(async () => {
    h = await MempoolHarness.create();
  });
  after(async () => {
    await h.destroy();
  });

  it('a chain of 25 is accepted; the 26th is too-long-mempool-chain', async () => {
    let output: SpendableOutput = h.coin();
    const chain: Transaction[] = [];
    for (let i = 0; i < 25; i++) {
      const tx = h.tc.spend([output], { fee: 1000 + i });
      assertAccepted(await h.mempool.accept(tx));
      chain.push(tx);
      output = h.tc.outputs(tx)[0]!;
    }
    const first = h.mempool.get(chain[0]!.txid())!;
    const last = h.mempool.get(chain[24]!.txid())!;
    assert.equal(first.descendantCount, 25);
    assert.equal(last.ancestorCount, 25);
    assert.equal(
      last.ancestorFees,
      chain.reduce((s, _, i) => s + 1000 + i, 0),
    );
    assert.deepEqual(h.mempool.entryInfo(last).depends, [chain[23]!.txidHex()]);
    assert.deepEqual(h.mempool.entryInfo(first).spentby, [chain[1]!.txidHex()]);
    const r = await h.mempool.accept(h.tc.spend([output]));
    assertRejected(r, 'too-long-mempool-chain', TxValidationResult.MEMPOOL_POLICY);
    assert.equal(!r.ok && r.debug, 'too many unconfirmed ancestors [limit: 25]');
    assertPackagesConsistent(h.mempool);
  });

  it('descendant limit, with Core’s CPFP carve-out for one more small child', async () => {
    const parent = h.tc.spend([h.coin()], {
      outputs: Array.from({ length: 27 }, () => ({ value: 100_000 })),
    });
    assertAccepted(await h.mempool.accept(parent));
    const outs = h.tc.outputs(parent);
    for (let i = 0; i < 24; i++) assertAccepted(await h.mempool.accept(h.tc.spend([outs[i]!])));
    assert.equal(h.mempool.get(parent.txid())!.descendantCount, 25);
    // The 25th child exceeds the limit, but it is small and has one ancestor: carve-out.
    assertAccepted(await h.mempool.accept(h.tc.spend([outs[24]!])));
    const r = await h.mempool.accept(h.tc.spend([outs[25]!]));
    assertRejected(r, 'too-long-mempool-chain');
    assert.equal(!r.ok && r.debug, `too many descendants for tx ${parent.txidHex()} [limit: 25]`);
    assertPackagesConsistent(h.mempool);
  });

  it('ancestor size limit (101 kvB by default; 300 vB here)', async () => {
    const small = await MempoolHarness.create({ limits: { ancestorSizeVbytes: 300 } });
    try {
      const a = small.tc.spend([small.coin()]);
      assertAccepted(await small.mempool.accept(a));
      const b = small.tc.spend(small.tc.outputs(a));
      assertAccepted(await small.mempool.accept(b));
      const r = await small.mempool.accept(small.tc.spend(small.tc.outputs(b)));
      assertRejected(r, 'too-long-mempool-chain');
      assert.equal(!r.ok && r.debug, 'exceeds ancestor size limit [limit: 300]');
    } finally {
      await small.destroy();
    }
  });

  it('TRUC: a version 3 child of a version 2 parent is TRUC-violation; sibling eviction', async () => {
    const v2 = h.tc.spend([h.coin()]);
    assertAccepted(await h.mempool.accept(v2));
    const r = await h.mempool.accept(h.tc.spend(h.tc.outputs(v2), { version: 3 }));
    assertRejected(r, 'TRUC-violation', TxValidationResult.MEMPOOL_POLICY);
    assert.match(!r.ok ? r.debug : '', /^version=3 tx .* cannot spend from non-version=3 tx/);

    const v3 = h.tc.spend([h.coin()], { version: 3, outputs: [{ value: 10e8 }, { value: 10e8 }] });
    assertAccepted(await h.mempool.accept(v3));
    const [o1, o2] = h.tc.outputs(v3);
    const child = h.tc.spend([o1!], { version: 3, fee: 1000 });
    assertAccepted(await h.mempool.accept(child));
    // A second child does not fit; paying enough, it replaces its sibling instead.
    const poor = await h.mempool.accept(h.tc.spend([o2!], { version: 3, fee: 1000 }));
    assertRejected(poor, 'insufficient fee (including sibling eviction)');
    const rich = h.tc.spend([o2!], { version: 3, fee: 5000 });
    const result = await h.mempool.accept(rich);
    assertAccepted(result);
    assert.deepEqual(result.ok && result.replaced.map((e) => e.tx.txidHex()), [child.txidHex()]);
    assertPackagesConsistent(h.mempool);
  });
});
