import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Chain } from '../../src/chain/chain.js';
import { toDisplayHex, toHex } from '../../src/encoding/hex.js';
import { AddressIndex } from '../../src/node/address-index/address-index.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { isUnspendable } from '../../src/script/script.js';
import { TestChainStore } from '../support/test-chain-store.js';
import { TestChain, TestKey } from '../support/test-chain.js';
import { busyChain } from '../support/test-chain-workload.js';

interface Expected {
  readonly script: Uint8Array;
  received: number;
  sent: number;
  /** [txid display, height, delta], oldest first. */
  history: [string, number, number][];
  /** `${txid}:${vout}` -> [value, height]. */
  utxos: Map<string, [number, number]>;
}

/** Every output created on the active chain -> [spender txid, input index], or null if unspent. */
type Spends = Map<string, { outpoint: OutPoint; spender: [string, number] | null }>;

/** The address index's answers computed the slow way: every block of the active chain, in order. */
async function bruteForce(chain: Chain, spends: Spends = new Map()): Promise<Map<string, Expected>> {
  const coins = new Map<string, { script: Uint8Array; value: number }>();
  const out = new Map<string, Expected>();
  const of = (script: Uint8Array) => {
    const k = toHex(script);
    let e = out.get(k);
    if (e === undefined) {
      e = { script, received: 0, sent: 0, history: [], utxos: new Map() };
      out.set(k, e);
    }
    return e;
  };
  for (let h = 1; h <= chain.height; h++) {
    const block = (await chain.getBlock(chain.getEntryAtHeight(h)!.hash))!;
    for (const tx of block.txs) {
      const deltas = new Map<string, number>();
      const txid = tx.txidHex();
      if (!tx.isCoinbase()) {
        for (const [vin, input] of tx.inputs.entries()) {
          const key = `${input.prevout.txid()}:${input.prevout.index}`;
          spends.get(key)!.spender = [txid, vin];
          const coin = coins.get(key)!;
          coins.delete(key);
          const e = of(coin.script);
          e.sent += coin.value;
          e.utxos.delete(key);
          deltas.set(toHex(coin.script), (deltas.get(toHex(coin.script)) ?? 0) - coin.value);
        }
      }
      tx.outputs.forEach((o, n) => {
        if (isUnspendable(o.scriptPubKey)) return;
        const key = `${txid}:${n}`;
        spends.set(key, { outpoint: new OutPoint(tx.txid(), n), spender: null });
        coins.set(key, { script: o.scriptPubKey, value: o.value });
        const e = of(o.scriptPubKey);
        e.received += o.value;
        e.utxos.set(key, [o.value, h]);
        deltas.set(toHex(o.scriptPubKey), (deltas.get(toHex(o.scriptPubKey)) ?? 0) + o.value);
      });
      for (const [k, delta] of deltas) out.get(k)!.history.push([txid, h, delta]);
    }
  }
  return out;
}

async function assertMatches(index: AddressIndex, chain: Chain): Promise<number> {
  await index.waitSynced();
  assert.deepEqual(index.status(), { enabled: true, height: chain.height, synced: true, progress: 1 });
  const spends: Spends = new Map();
  const expected = await bruteForce(chain, spends);
  const all = [...spends.values()];
  const found = await index.spenders(all.map((s) => s.outpoint));
  assert.deepEqual(
    found.map((s) => (s === undefined ? null : [toDisplayHex(s.txid), s.vin])),
    all.map((s) => s.spender),
    'spent records',
  );
  for (const e of expected.values()) {
    const s = await index.summary(e.script);
    const label = toHex(e.script);
    assert.deepEqual(
      s ?? { received: 0, sent: 0, txCount: 0, utxoCount: 0 },
      { received: e.received, sent: e.sent, txCount: e.history.length, utxoCount: e.utxos.size },
      label,
    );
    const history = await index.history(e.script, 0, 100_000);
    assert.deepEqual(
      history.map((x) => [toDisplayHex(x.txid), x.height, x.delta]),
      [...e.history].reverse(),
      label,
    );
    const utxos = await index.utxos(e.script, 0, 100_000);
    assert.deepEqual(
      new Map(utxos.map((u) => [`${toDisplayHex(u.txid)}:${u.vout}`, [u.value, u.height]])),
      e.utxos,
      label,
    );
  }
  return expected.size;
}

describe('address index (src/node/address-index): matches a brute-force scan', () => {
  let store: TestChainStore;
  let index: AddressIndex | undefined;
  let dir: string;
  const tc = new TestChain();

  before(async () => {
    store = await TestChainStore.create();
    dir = mkdtempSync(join(tmpdir(), 'tally-addrindex-'));
    const blocks = [...tc.mine(100), ...busyChain(tc, { blocks: 60, txsPerBlock: 5 })];
    for (const b of blocks) assert.equal((await store.chain.processBlock(b)).status, 'connected');
  });
  after(async () => {
    await index?.close();
    await store.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async () => {
    index = await AddressIndex.open({ path: dir, batchBlocks: 13, batchTxs: 40 }, { chain: store.chain });
    index.start();
    return index;
  };

  it('builds in the background in batches and matches', async () => {
    const idx = await open();
    assert.equal(idx.status().synced, false);
    const scripts = await assertMatches(idx, store.chain);
    assert.ok(scripts >= 2);
  });

  it('follows new blocks and a reorg (blocks disconnected, spent outputs restored)', async () => {
    const idx = index!;
    const tipBefore = tc.last;
    const fork = await store.chain.getBlock(store.chain.getEntryAtHeight(store.chain.height - 3)!.hash);
    const extra = busyChain(tc, { blocks: 2, txsPerBlock: 3 });
    for (const b of extra) await store.chain.processBlock(b);
    await assertMatches(idx, store.chain);
    // Five empty blocks on the block 3 below the old tip: the last 5 blocks (with transactions) go.
    const side = tc.mineBlocks(6, { parent: fork! });
    for (const b of side) await store.chain.processBlock(b);
    assert.equal(store.chain.tip.hashHex(), side[5]!.hashHex());
    assert.notEqual(tipBefore.hashHex(), store.chain.tip.hashHex());
    await assertMatches(idx, store.chain);
  });

  it('resumes after a restart from its stored tip, catching up blocks connected meanwhile', async () => {
    await index!.close();
    index = undefined;
    for (const b of busyChain(tc, { blocks: 4, txsPerBlock: 4 })) await store.chain.processBlock(b);
    const idx = await open();
    assert.ok(idx.status().height < store.chain.height);
    assert.ok(idx.status().height > 0, 'kept what it had');
    await assertMatches(idx, store.chain);
  });
});

describe('address index: an index of another chain is rebuilt, not fatal', () => {
  it('opens on a chain that does not know its tip by starting over', async () => {
    const a = await TestChainStore.create();
    const b = await TestChainStore.create();
    const dir = mkdtempSync(join(tmpdir(), 'tally-addrindex-'));
    try {
      const tcA = new TestChain();
      for (const blk of tcA.mine(3)) await a.chain.processBlock(blk);
      const first = await AddressIndex.open({ path: dir }, { chain: a.chain });
      first.start();
      await first.waitSynced();
      await first.close();
      // Chain b has other blocks (another coinbase key): a's tip is unknown to it.
      const tcB = new TestChain({ key: TestKey.fromSeed('other') });
      for (const blk of tcB.mine(2)) await b.chain.processBlock(blk);
      const second = await AddressIndex.open({ path: dir }, { chain: b.chain });
      second.start();
      await assertMatches(second, b.chain);
      await second.close();
    } finally {
      await a.destroy();
      await b.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
