/**
 * The explorer's address pages on a busy mempool (issue #5): what an address's unconfirmed
 * activity costs with 20,000 transactions waiting. Reference, measured in the same run: walking
 * the whole pool and looking up every input's coin per request (what the address routes did before
 * src/web/api/mempool-scripts.ts). Also the index's upkeep: building it over the full pool, per
 * transaction (the cost its event listener adds to each mempool acceptance).
 */
import { equalBytes } from '../src/encoding/bytes.js';
import type { Mempool } from '../src/mempool/mempool.js';
import { MempoolScripts } from '../src/web/api/mempool-scripts.js';
import { MempoolHarness } from '../test/mempool/support.js';
import { TestKey } from '../test/support/test-chain.js';
import { fmt, measure, ratio } from './stats.js';

const POOL = 20_000;
const ADDRESSES = 500;

/** The per-request walk the index replaced: every entry, every input's coin. */
function walk(mempool: Mempool, chain: MempoolHarness['chain'], script: Uint8Array): number {
  let touched = 0;
  for (const entry of mempool.entries()) {
    let hit = false;
    for (const input of entry.tx.inputs) {
      const coin = mempool.getCoin(input.prevout) ?? chain.getCoin(input.prevout);
      if (coin !== undefined && equalBytes(coin.scriptPubKey, script)) hit = true;
    }
    for (const o of entry.tx.outputs) if (equalBytes(o.scriptPubKey, script)) hit = true;
    if (hit) touched++;
  }
  return touched;
}

export async function benchExplorerMempool(): Promise<void> {
  const h = await MempoolHarness.create({}, 130);
  try {
    const scripts = Array.from({ length: ADDRESSES }, (_, i) => TestKey.fromSeed(`addr-${i}`).p2wpkh());
    const coins = [];
    for (let k = 0; k < POOL / 1000; k++) coins.push(...(await h.fanOut(1000, 100_000)));
    for (let i = 0; i < POOL; i++) {
      const tx = h.tc.spend([coins[i]!], {
        fee: 1000,
        outputs: [
          { value: 50_000, scriptPubKey: scripts[i % ADDRESSES]! },
          { value: 49_000, scriptPubKey: scripts[(i * 7 + 3) % ADDRESSES]! },
        ],
      });
      const r = h.mempool.acceptNow(tx);
      if (!r.ok) throw new Error(`mempool refused tx ${i}: ${r.reason}`);
    }
    const t0 = performance.now();
    const index = new MempoolScripts(h.mempool, h.chain);
    const buildMs = performance.now() - t0;
    let pick = 0;
    const next = () => {
      pick = (pick * 31 + 17) % ADDRESSES;
      return scripts[pick]!;
    };
    const before = await measure(30, 3, () => walk(h.mempool, h.chain, next()));
    const after = await measure(2000, 200, () => index.activity(next()).length);
    const expected = walk(h.mempool, h.chain, scripts[5]!);
    if (index.activity(scripts[5]!).length !== expected) throw new Error('index and walk disagree');
    console.log(`\n== explorer: an address's unconfirmed activity, ${POOL} txs in the mempool ==`);
    console.log(`  reference: walk the pool per request   median ${fmt(before.median)}`);
    console.log(
      `  mempool indexed by script              median ${fmt(after.median)} (${expected} txs found)`,
    );
    console.log(`  walk / index                           ${ratio(before.median, after.median)}`);
    console.log(
      `  index upkeep: built over the pool in ${fmt(buildMs)}, ${((buildMs / POOL) * 1000).toFixed(1)} µs per transaction`,
    );
    index.close();
  } finally {
    await h.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExplorerMempool();
