import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hash256 } from '../../src/crypto/hash.js';
import { compareBytes } from '../../src/encoding/bytes.js';
import { BufferWriter } from '../../src/encoding/writer.js';
import type { Block } from '../../src/primitives/block.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { isUnspendable } from '../../src/script/script.js';
import { nullData } from '../../src/script/templates.js';
import { TestChain } from '../support/test-chain.js';
import { assertStatus } from '../support/test-chain-assert.js';
import { TestChainStore } from '../support/test-chain-store.js';
import { busyChain } from '../support/test-chain-workload.js';

interface Utxo {
  txid: Uint8Array;
  vout: number;
  value: number;
  script: Uint8Array;
  height: number;
  coinbase: boolean;
}

/** The UTXO set of an active chain, computed naively from its blocks (genesis excluded). */
function naiveUtxos(blocks: readonly Block[]): Utxo[] {
  const set = new Map<string, Utxo>();
  blocks.forEach((block, i) => {
    block.txs.forEach((tx, position) => {
      if (position > 0) for (const input of tx.inputs) set.delete(input.prevout.key());
      tx.outputs.forEach((o, vout) => {
        if (isUnspendable(o.scriptPubKey)) return;
        const txid = tx.txid();
        set.set(new OutPoint(txid, vout).key(), {
          txid,
          vout,
          value: o.value,
          script: o.scriptPubKey,
          height: i + 1,
          coinbase: position === 0,
        });
      });
    });
  });
  return [...set.values()];
}

/** hash_serialized_3 written independently from Core's TxOutSer, for a known-answer check. */
function naiveHashSerialized3(utxos: Utxo[]): Uint8Array {
  const sorted = [...utxos].sort((a, b) => compareBytes(a.txid, b.txid) || a.vout - b.vout);
  const w = new BufferWriter();
  for (const u of sorted) {
    w.bytes(u.txid)
      .u32(u.vout)
      .u32(u.height * 2 + (u.coinbase ? 1 : 0))
      .i64num(u.value)
      .varBytes(u.script);
  }
  return hash256(w.finish());
}

describe('Chain: 200+ busy blocks, UTXO digest, restart', () => {
  let store: TestChainStore;
  let blocks: Block[];
  before(async () => {
    store = await TestChainStore.create({ flushBlocks: 50 });
    const tc = new TestChain();
    blocks = busyChain(tc, { blocks: 230, txsPerBlock: 4 });
    // An OP_RETURN output never enters the UTXO set.
    const last = tc.block({
      txs: [
        tc.spend(tc.outputs(blocks[229]!.txs[1]!).slice(0, 1), {
          outputs: [{ value: 1000, scriptPubKey: nullData(Uint8Array.of(1, 2, 3)) }, { value: 100_000 }],
        }),
      ],
    });
    blocks.push(last);
  });
  after(async () => {
    await store.destroy();
  });

  it("connects every block; the digest matches a naive UTXO computation of Core's format", async () => {
    const { chain } = store;
    for (const b of blocks) assertStatus(await chain.processBlock(b), 'connected');
    assert.equal(chain.height, 231);
    const utxos = naiveUtxos(blocks);
    const digest = await chain.utxoDigest();
    assert.equal(digest.height, 231);
    assert.deepEqual(digest.bestblock, blocks[230]!.hash());
    assert.equal(digest.txouts, utxos.length);
    assert.equal(digest.transactions, new Set(utxos.map((u) => Buffer.from(u.txid).toString('hex'))).size);
    assert.equal(
      digest.total_amount,
      utxos.reduce((s, u) => s + u.value, 0),
    );
    assert.equal(
      digest.bogosize,
      utxos.reduce((s, u) => s + 50 + u.script.length, 0),
    );
    assert.deepEqual(digest.hash_serialized_3, naiveHashSerialized3(utxos));
    for (const u of utxos.slice(0, 50)) {
      const coin = chain.getCoin(new OutPoint(u.txid, u.vout));
      assert.equal(coin?.value, u.value);
      assert.equal(coin?.height, u.height);
      assert.equal(coin?.coinbase, u.coinbase);
    }
  });

  it('is stable across restarts and equal to a chain fed the same blocks', async () => {
    const before = await store.chain.utxoDigest();
    const reopened = await store.reopen();
    assert.equal(reopened.height, 231);
    assert.deepEqual(await reopened.utxoDigest(), before);
    const other = await TestChainStore.create({ flushBlocks: 1 });
    try {
      for (const b of blocks) await other.chain.processBlock(b);
      assert.deepEqual(await other.chain.utxoDigest(), before);
    } finally {
      await other.destroy();
    }
  });

  it('tx index survives a restart and answers for every transaction', async () => {
    const chain = store.chain;
    for (const h of [1, 150, 231]) {
      const block = blocks[h - 1]!;
      for (const [i, tx] of block.txs.entries()) {
        const loc = await chain.getTxLocation(tx.txid());
        assert.deepEqual(loc, { blockHash: block.hash(), height: h, index: i });
      }
    }
    assert.equal(await chain.getTxLocation(new Uint8Array(32)), undefined);
    const raw = await chain.getRawBlock(blocks[99]!.hash());
    assert.deepEqual(raw, blocks[99]!.encode());
  });

  it('getAncestor and medianTimePast agree with a walk', () => {
    const chain = store.chain;
    const tip = chain.tip;
    for (const h of [0, 1, 77, 150, 230, 231]) assert.equal(chain.getAncestor(tip, h)?.height, h);
    assert.equal(chain.getAncestor(tip, 232), undefined);
    const times = blocks
      .slice(220, 231)
      .map((b) => b.header.time)
      .sort((a, b) => a - b);
    assert.equal(chain.medianTimePast(tip), times[5]);
  });
});
