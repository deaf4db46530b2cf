import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Chain } from '../../src/chain/chain.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { equalBytes } from '../../src/encoding/bytes.js';
import type { MempoolEntry } from '../../src/mempool/entry.js';
import { Mempool } from '../../src/mempool/mempool.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { MempoolScripts } from '../../src/web/api/mempool-scripts.js';
import { type SpendableOutput, TestChain, TestKey } from '../support/test-chain.js';

const NOW = 1_700_000_000;

/** The definition: walk the whole pool and look up every input's coin (what the index replaces). */
function bruteForce(mempool: Mempool, chain: Chain, script: Uint8Array): string[] {
  const rows: string[] = [];
  for (const entry of mempool.entries()) {
    let delta = 0;
    let touched = false;
    const outs: string[] = [];
    for (const input of entry.tx.inputs) {
      const coin = mempool.getCoin(input.prevout) ?? chain.getCoin(input.prevout);
      if (coin !== undefined && equalBytes(coin.scriptPubKey, script)) {
        delta -= coin.value;
        touched = true;
      }
    }
    entry.tx.outputs.forEach((o, n) => {
      if (!equalBytes(o.scriptPubKey, script)) return;
      delta += o.value;
      touched = true;
      outs.push(`${n}:${o.value}`);
    });
    if (touched) rows.push(`${entry.tx.txidHex()} ${delta} ${outs.join(',')}`);
  }
  return rows.sort();
}

function indexed(index: MempoolScripts, script: Uint8Array): string[] {
  return index
    .activity(script)
    .map((a) => `${a.entry.tx.txidHex()} ${a.delta} ${a.outputs.map(([n, v]) => `${n}:${v}`).join(',')}`)
    .sort();
}

describe('explorer: the mempool indexed by script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-mempool-scripts-'));
  const tc = new TestChain();
  const keys = [tc.key, TestKey.fromSeed(1), TestKey.fromSeed(2)];
  for (const k of keys.slice(1)) tc.addKey(k);
  const scripts = keys.flatMap((k) => [k.p2pkh(), k.p2wpkh()]);
  let chain: Chain;
  let mempool: Mempool;
  let index: MempoolScripts;
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };

  before(async () => {
    chain = await Chain.open({ network: regtest, dataDir: dir, now: () => NOW });
    mempool = new Mempool({ network: regtest }, { chain, now: () => NOW });
    for (const b of tc.mineBlocks(120)) await chain.processBlock(b);
  });
  after(async () => {
    index?.close();
    mempool?.close();
    await chain?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const check = (when: string) => {
    for (const s of scripts) assert.deepEqual(indexed(index, s), bruteForce(mempool, chain, s), when);
  };

  it('matches a walk of the whole pool through accepts, chains, replacements, blocks and a reorg', async () => {
    // Some transactions are in the pool before the index starts: it reads them at construction.
    let coins: SpendableOutput[] = [];
    const pay = (inputs: SpendableOutput[], replaceable = false, fee = 2_000): Transaction => {
      const total = inputs.reduce((s, c) => s + c.value, 0) - fee;
      const outputs = [0, 1, 2].map((i) => ({
        value: Math.floor(total / 3) + (i === 0 ? total % 3 : 0),
        scriptPubKey: scripts[rand(scripts.length)]!,
      }));
      return tc.spend(inputs, { outputs, ...(replaceable ? { sequence: 0xfffffffd } : {}) });
    };
    const accept = async (tx: Transaction) => {
      const r = await mempool.accept(tx);
      assert.ok(r.ok, r.ok ? '' : `${r.reason} ${r.debug}`);
      coins.push(...tc.outputs(tx));
    };
    const mature = [...Array(20).keys()].map((h) => chain.getEntryAtHeight(h + 1)!);
    const coinbaseCoins = await Promise.all(
      mature.map(async (e) => tc.coinbaseOutput((await chain.getBlock(e.hash))!)),
    );
    for (const c of coinbaseCoins.slice(0, 3)) await accept(pay([c]));
    index = new MempoolScripts(mempool, chain);
    check('after construction');

    // Chains of unconfirmed spends, some spending two coins to one script.
    for (let i = 0; i < 40; i++) {
      const n = 1 + rand(2);
      const picked = coins.splice(rand(Math.max(1, coins.length - n)), n);
      if (picked.length === 0) break;
      await accept(pay(picked, i % 5 === 0));
      if (i % 10 === 0) await accept(pay([coinbaseCoins[3 + i / 10]!], true));
    }
    check('after chains');
    assert.ok(index.size > 0);

    // A replacement (BIP125) evicts the original and its descendants.
    const replaceable = pay([coinbaseCoins[10]!], true, 1_000);
    await accept(replaceable);
    const child = pay(tc.outputs(replaceable).slice(0, 1));
    await accept(child);
    const replacement = pay([coinbaseCoins[10]!], true, 50_000);
    await accept(replacement);
    coins = coins.filter((c) => !c.outpoint.hash.every((b, i) => b === replaceable.txid()[i]));
    assert.ok(!mempool.has(replaceable.txid()) && !mempool.has(child.txid()));
    check('after a replacement');

    // A block confirms part of the pool; its transactions leave the index.
    const some = [...mempool.entries()]
      .filter((e) => e.parents.size === 0)
      .slice(0, 5)
      .map((e) => e.tx);
    const b = tc.block({ txs: some });
    const tipBefore = chain.tip;
    await chain.processBlock(b);
    check('after a block');

    // Invalidating it returns them to the pool, and the index with them.
    await chain.invalidateBlock(b.hash());
    assert.equal(chain.tip.hashHex(), tipBefore.hashHex());
    check('after a reorg');

    // Mining everything empties the index.
    // Parents before children (a reorg re-adds parents after children that stayed in the pool).
    const all: Transaction[] = [];
    const done = new Set<string>();
    const visit = (e: MempoolEntry) => {
      if (done.has(e.key)) return;
      done.add(e.key);
      for (const p of e.parents) visit(p);
      all.push(e.tx);
    };
    for (const e of mempool.entries()) visit(e);
    const r = await chain.processBlock(
      tc.block({ parent: (await chain.getBlock(chain.tip.hash))!, txs: all }),
    );
    assert.equal(r.status, 'connected', 'reason' in r ? String(r.reason) : r.status);
    assert.equal(mempool.info().size, 0);
    assert.equal(index.size, 0);
  });
});
