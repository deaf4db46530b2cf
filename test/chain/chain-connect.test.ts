import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChainEntry } from '../../src/chain/chain-entry.js';
import { BlockStatus } from '../../src/chain/chain-entry.js';
import type { Coin } from '../../src/primitives/coin.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { TestChain, TestKey } from '../support/test-chain.js';
import { TestChainStore } from '../support/test-chain-store.js';

describe('Chain: connecting blocks on the tip', () => {
  let store: TestChainStore;
  const tc = new TestChain();
  before(async () => {
    store = await TestChainStore.create();
  });
  after(async () => {
    await store.destroy();
  });

  it('opens a new store at genesis', () => {
    const { chain } = store;
    assert.equal(chain.height, 0);
    assert.equal(chain.tip.hashHex(), chain.network.genesis.hash);
    assert.equal(chain.getEntryAtHeight(0), chain.tip);
  });

  it('connects 110 blocks, spends a mature coinbase with P2WPKH and P2PKH', async () => {
    const { chain } = store;
    const connected: ChainEntry[] = [];
    chain.on('block-connected', (_block, entry) => connected.push(entry));
    const blocks = tc.mine(110);
    for (const b of blocks) {
      const r = await chain.processBlock(b);
      assert.equal(r.status, 'connected', r.status === 'invalid' ? `${r.reason} ${r.debug}` : '');
    }
    assert.equal(chain.height, 110);
    assert.deepEqual(
      connected.map((e) => e.height),
      Array.from({ length: 110 }, (_, i) => i + 1),
    );
    const legacy = TestKey.fromSeed('legacy');
    tc.addKey(legacy);
    const coin = tc.coinbaseOutput(blocks[0]!);
    const tx1 = tc.spend([coin], {
      outputs: [
        { value: 10_0000_0000, scriptPubKey: legacy.p2pkh() },
        { value: coin.value - 10_0000_0000 - 5000 },
      ],
    });
    const tx2 = tc.spend([tc.outputs(tx1)[0]!]);
    const b = tc.block({ txs: [tx1, tx2] });
    let spent: readonly (readonly Coin[])[] = [];
    chain.once('block-connected', (_block, _entry, coins) => {
      spent = coins;
    });
    const r = await chain.processBlock(b);
    assert.equal(r.status, 'connected', r.status === 'invalid' ? `${r.reason} ${r.debug}` : '');
    assert.equal(chain.getCoin(coin.outpoint), undefined);
    assert.equal(chain.getCoin(new OutPoint(tx1.txid(), 0)), undefined);
    assert.equal(chain.getCoin(new OutPoint(tx1.txid(), 1))?.value, coin.value - 10_0000_0000 - 5000);
    assert.equal(chain.getCoin(new OutPoint(tx2.txid(), 0))?.value, 10_0000_0000 - 1000);
    const loc = await chain.getTxLocation(tx2.txid());
    assert.equal(loc?.height, 111);
    assert.equal(loc?.index, 2);
    assert.ok((chain.tip.status & BlockStatus.VALID_SCRIPTS) !== 0);
    // The event and the undo data carry the spent coins, per non-coinbase transaction.
    assert.deepEqual(
      spent.map((coins) => coins.map((c) => c.value)),
      [[coin.value], [10_0000_0000]],
    );
    assert.deepEqual(await chain.getUndo(b.hash()), spent);
    assert.equal(spent[0]![0]!.coinbase, true);
    assert.equal(spent[0]![0]!.height, 1);
  });

  it('keeps everything across close and open', async () => {
    const before = await store.chain.utxoDigest();
    const chain = await store.reopen();
    assert.equal(chain.height, 111);
    const afterDigest = await chain.utxoDigest();
    assert.deepEqual(afterDigest, before);
  });
});

describe('Chain: event listeners', () => {
  it('a listener that throws neither breaks the chain nor stops the other listeners', async () => {
    const store = await TestChainStore.create();
    try {
      const tc = new TestChain();
      const seen: number[] = [];
      store.chain.on('block-connected', () => {
        throw new Error('listener bug');
      });
      store.chain.on('block-connected', (_b, e) => seen.push(e.height));
      let once = 0;
      store.chain.once('tip', () => once++);
      for (const b of tc.mine(3)) assert.equal((await store.chain.processBlock(b)).status, 'connected');
      assert.deepEqual(seen, [1, 2, 3]);
      assert.equal(once, 1);
      assert.equal(store.chain.height, 3);
    } finally {
      await store.destroy();
    }
  });
});
