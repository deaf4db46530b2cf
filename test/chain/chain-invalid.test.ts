import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BlockStatus } from '../../src/chain/chain-entry.js';
import type { Chain } from '../../src/chain/chain.js';
import { Block } from '../../src/primitives/block.js';
import { TestChain } from '../support/test-chain.js';
import { assertRejected, assertStatus } from '../support/test-chain-assert.js';
import { TEST_NOW, TestChainStore } from '../support/test-chain-store.js';

describe('Chain: invalid blocks', () => {
  let store: TestChainStore;
  let chain: Chain;
  const tc = new TestChain();
  let clock = TEST_NOW;
  let base: Block[];
  before(async () => {
    store = await TestChainStore.create({ now: () => clock });
    chain = store.chain;
    base = tc.mine(110);
    for (const b of base) assertStatus(await chain.processBlock(b), 'connected');
  });
  after(async () => {
    await store.destroy();
  });

  const tip = () => base[base.length - 1]!;
  const coin = (height: number) => tc.coinbaseOutput(base[height - 1]!);

  /** Submits a block that must be refused; the tip must not move. */
  async function refuse(block: Block, reason: string | RegExp, kind?: string): Promise<void> {
    const before = chain.tip;
    assertRejected(await chain.processBlock(block), reason, kind);
    assert.equal(chain.tip, before, 'the tip did not move');
  }

  const failed = (block: Block) => (chain.getEntry(block.hash())?.status ?? 0) & BlockStatus.FAILED;

  it('bad signature: FAILED; the block and its children are refused without validation', async () => {
    const bad = tc.block({ parent: tip(), txs: [tc.withBadSignature(tc.spend([coin(1)]))] });
    const child = tc.block({ parent: bad });
    await refuse(
      bad,
      'mandatory-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)',
      'BLOCK_CONSENSUS',
    );
    assert.ok(failed(bad));
    await refuse(bad, 'duplicate-invalid', 'BLOCK_CACHED_INVALID');
    await refuse(child, 'bad-prevblk', 'BLOCK_INVALID_PREV');
    assert.equal(chain.getEntry(child.hash()), undefined, 'a child of an invalid block is not indexed');
  });

  it('overspend (outputs above inputs): bad-txns-in-belowout', async () => {
    const c = coin(2);
    const b = tc.block({ parent: tip(), txs: [tc.spend([c], { outputs: [{ value: c.value + 1 }] })] });
    await refuse(b, 'bad-txns-in-belowout', 'BLOCK_CONSENSUS');
    assert.ok(failed(b));
  });

  it('coinbase claiming more than subsidy + fees: bad-cb-amount', async () => {
    const b = tc.block({ parent: tip(), coinbaseValue: 50_0000_0000 + 1 });
    await refuse(b, 'bad-cb-amount');
    assert.ok(failed(b));
  });

  it('wrong BIP34 height in the coinbase: bad-cb-height', async () => {
    const b = tc.block({ parent: tip(), coinbaseHeight: 112 });
    await refuse(b, 'bad-cb-height', 'BLOCK_CONSENSUS');
    assert.ok(failed(b));
  });

  it('double spend within a block: bad-txns-inputs-missingorspent', async () => {
    const c = coin(3);
    const b = tc.block({ parent: tip(), txs: [tc.spend([c]), tc.spend([c], { fee: 2000 })] });
    await refuse(b, 'bad-txns-inputs-missingorspent');
    assert.ok(failed(b));
  });

  it('spending an immature coinbase: bad-txns-premature-spend-of-coinbase', async () => {
    const b = tc.block({ parent: tip(), txs: [tc.spend([coin(12)])] });
    await refuse(b, 'bad-txns-premature-spend-of-coinbase');
  });

  it('bad Merkle root and CVE-2012-2459 duplication: MUTATED, never cached; the real blocks are accepted', async () => {
    const real = tc.block({ parent: tip(), txs: [tc.spend([coin(4)])] });
    const mutated = tc.withBadMerkleRoot(real);
    await refuse(mutated, 'bad-txnmrklroot', 'BLOCK_MUTATED');
    assert.ok(!failed(mutated));
    // CVE-2012-2459: same header, duplicated transaction list.
    const padded = tc.block({ parent: tip(), txs: [tc.spend([coin(5)]), tc.spend([coin(6)])] });
    await refuse(tc.withDuplicatedTx(padded), 'bad-txns-duplicate', 'BLOCK_MUTATED');
    assert.ok(!failed(padded));
    assertStatus(await chain.processBlock(padded), 'connected');
    // The mutated twin of `real` was never marked: the real one is still welcome (as a side block).
    assertStatus(await chain.processBlock(real), 'stored');
  });

  it('bad witness nonce size is MUTATED too: the real block stays acceptable', async () => {
    const real = tc.block({ parent: chain.tip.hash, txs: [tc.spend([coin(7)])] });
    assert.ok(real.txs[0]!.inputs[0]!.witness.length === 1, 'the block has a witness commitment');
    // Witness data is not part of the txid, so the mutated block has the very same hash.
    const cb = real.txs[0]!.clone();
    cb.inputs[0]!.witness = [new Uint8Array(31)];
    const mutated = new Block(real.header, [cb, ...real.txs.slice(1)]);
    assert.equal(mutated.hashHex(), real.hashHex());
    await refuse(mutated, 'bad-witness-nonce-size', 'BLOCK_MUTATED');
    assertStatus(await chain.processBlock(real), 'connected');
  });

  it('witness commitment mismatch and unexpected witness data are MUTATED: same hash, real block accepted', async () => {
    const spend = tc.spend([coin(8)]);
    const real = tc.block({ parent: chain.tip.hash, txs: [spend] });
    const changed = spend.clone();
    changed.inputs[0]!.witness = [changed.inputs[0]!.witness[0]!, new Uint8Array(33).fill(2)];
    changed.invalidate();
    const mismatch = new Block(real.header, [real.txs[0]!, changed]);
    assert.equal(mismatch.hashHex(), real.hashHex());
    await refuse(mismatch, 'bad-witness-merkle-match', 'BLOCK_MUTATED');
    assertStatus(await chain.processBlock(real), 'connected');
    // A block without a commitment may not carry witness data at all.
    const legacy = tc.block({ parent: chain.tip.hash });
    const stuffed = legacy.txs[0]!.clone();
    stuffed.inputs[0]!.witness = [new Uint8Array(32)];
    stuffed.invalidate();
    await refuse(new Block(legacy.header, [stuffed]), 'unexpected-witness', 'BLOCK_MUTATED');
    assertStatus(await chain.processBlock(legacy), 'connected');
  });

  it('bad proof of work: high-hash, nothing indexed', async () => {
    const b = tc.withBadPoW(tc.block({ parent: chain.tip.hash }));
    await refuse(b, 'high-hash', 'BLOCK_INVALID_HEADER');
    assert.equal(chain.getEntry(b.hash()), undefined);
  });

  it('wrong difficulty bits: bad-diffbits', async () => {
    await refuse(
      tc.block({ parent: chain.tip.hash, bits: 0x207ffffe }),
      'bad-diffbits',
      'BLOCK_INVALID_HEADER',
    );
  });

  it('timestamp at the median time past: time-too-old', async () => {
    const mtp = chain.medianTimePast(chain.tip);
    await refuse(tc.block({ parent: chain.tip.hash, time: mtp }), 'time-too-old', 'BLOCK_INVALID_HEADER');
  });

  it('timestamp over 2 hours ahead: time-too-new, accepted once the clock catches up', async () => {
    const b = tc.block({ parent: chain.tip.hash, time: clock + 2 * 60 * 60 + 1 });
    await refuse(b, 'time-too-new', 'BLOCK_TIME_FUTURE');
    assert.equal(chain.getEntry(b.hash()), undefined);
    clock += 10;
    assertStatus(await chain.processBlock(b), 'connected');
  });

  it('old block versions after BIP34/65/66: bad-version', async () => {
    await refuse(
      tc.block({ parent: chain.tip.hash, version: 3 }),
      'bad-version(0x00000003)',
      'BLOCK_INVALID_HEADER',
    );
  });
});
