/**
 * `generatetoaddress 1000` on regtest: Miner.generate(1000) against a fresh Chain and Mempool
 * (template, proof of work, Chain.processBlock per block), compared with the floor measured in the
 * same run: the same 1,000 blocks, already built, given to processBlock on another fresh chain with
 * one double-SHA256 of each header. The ratio is what building and mining cost on top of accepting.
 * Target: <= 1 s for the 1,000 blocks; bcoin needs ~1.85 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../src/chain/chain.js';
import { regtest } from '../src/consensus/networks/regtest.js';
import { hash256 } from '../src/crypto/hash.js';
import { Mempool } from '../src/mempool/mempool.js';
import { BlockAssembler } from '../src/mining/block-assembler.js';
import { Miner } from '../src/mining/miner.js';
import { solveTemplate } from '../src/mining/template-solver.js';
import type { Block } from '../src/primitives/block.js';
import { p2wpkh } from '../src/script/templates.js';
import { fmt, ratio } from './stats.js';

const BLOCKS = 1000;
const RUNS = 5;
const PAY_TO = p2wpkh(new Uint8Array(20).fill(0x11));

interface Node {
  chain: Chain;
  mempool: Mempool;
  assembler: BlockAssembler;
  miner: Miner;
  close: () => Promise<void>;
}

async function openNode(): Promise<Node> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-mining-'));
  const chain = await Chain.open({ network: regtest, dataDir: dir });
  const mempool = new Mempool({ network: regtest }, { chain });
  const assembler = new BlockAssembler({ network: regtest }, { chain, mempool });
  const miner = new Miner({ network: regtest }, { chain, mempool, assembler });
  const close = async () => {
    await miner.close();
    mempool.close();
    await chain.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { chain, mempool, assembler, miner, close };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchMining(): Promise<void> {
  const generate: number[] = [];
  const floor: number[] = [];
  const templates: number[] = [];
  const solves: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const node = await openNode();
    let blocks: Block[];
    try {
      const t0 = performance.now();
      const hashes = await node.miner.generate(BLOCKS, PAY_TO);
      generate.push(performance.now() - t0);
      blocks = [];
      for (const h of hashes) blocks.push((await node.chain.getBlock(h))!);

      // The parts on their own, on the final tip (nothing is submitted).
      const t1 = performance.now();
      for (let i = 0; i < BLOCKS; i++) node.assembler.createTemplate({ coinbaseScript: PAY_TO });
      templates.push(performance.now() - t1);
      const template = node.assembler.createTemplate({ coinbaseScript: PAY_TO });
      const t2 = performance.now();
      for (let i = 0; i < BLOCKS; i++) await solveTemplate(template, { maxTries: 1_000_000 });
      solves.push(performance.now() - t2);
    } finally {
      await node.close();
    }

    const replay = await openNode();
    try {
      const t0 = performance.now();
      for (const block of blocks) {
        hash256(block.header.encode());
        const r = await replay.chain.processBlock(block);
        if (r.status !== 'connected') throw new Error(`replay: block not connected (${r.status})`);
      }
      floor.push(performance.now() - t0);
    } finally {
      await replay.close();
    }
  }

  const g = median(generate);
  const f = median(floor);
  console.log(`\n== generatetoaddress ${BLOCKS} on regtest (median of ${RUNS} fresh chains) ==`);
  console.log(
    `  Miner.generate(${BLOCKS})            ${fmt(g)}  ${Math.round((BLOCKS / g) * 1000)} blocks/s`,
  );
  console.log(
    `  floor: processBlock of the same blocks ${fmt(f)}  ${Math.round((BLOCKS / f) * 1000)} blocks/s`,
  );
  console.log(`  generate / floor                   ${ratio(g, f)} (mining overhead ${fmt(g - f)})`);
  console.log(
    `  createTemplate alone               ${((median(templates) / BLOCKS) * 1000).toFixed(1)} µs/block`,
  );
  console.log(
    `  coinbase + Merkle + PoW alone      ${((median(solves) / BLOCKS) * 1000).toFixed(1)} µs/block`,
  );
  console.log(
    '  reference, not measured here: bcoin generatetoaddress 1000 takes ~1.85 s (issue target <= 1 s)',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMining();
