import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Chain } from '../../src/chain/chain.js';
import { ChainDB } from '../../src/chain/chain-db.js';
import { decodeEntryRecord } from '../../src/chain/chain-entry.js';
import { BEST_BLOCK_KEY, entryKey } from '../../src/chain/layout.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { toHex } from '../../src/encoding/hex.js';
import type { Block } from '../../src/primitives/block.js';
import { TestChain } from '../support/test-chain.js';
import { TEST_NOW, TestChainStore } from '../support/test-chain-store.js';
import { busyChain } from '../support/test-chain-workload.js';

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));
const MIN_KILLS = 20;
/** The whole test stops starting new runs after this (it still needs >= MIN_KILLS kills). */
const TIME_BUDGET_MS = 150_000;

/**
 * The blocks fed to the child: a busy main chain with two reorganizations and one branch that
 * overtakes with an invalid block (so the chain must fall back), all deterministic.
 */
function scenario(): Block[] {
  const tc = new TestChain();
  const blocks = busyChain(tc, { blocks: 160, txsPerBlock: 3 });
  const forkA = blocks[blocks.length - 3]!;
  blocks.push(...busyChain(tc, { blocks: 40, txsPerBlock: 3 }));
  // Branch from 3 blocks back; loses at first, then 40 blocks on the main chain leave it behind.
  const side = tc.mineBlocks(2, { parent: forkA });
  blocks.push(...side);
  // A branch from 5 blocks back that overtakes the main chain (reorg of depth 5).
  const forkB = blocks[blocks.length - 8]!;
  tc.last = forkB;
  blocks.push(...tc.mineBlocks(7));
  // A branch that would overtake but holds an invalid block: the chain must stay.
  const tip = tc.last;
  const bad = tc.mineBlocks(2, { parent: blocks[blocks.length - 3]! });
  bad.push(tc.block({ txs: [tc.withBadSignature(tc.spend([tc.coinbaseOutput(blocks[10]!)]))] }));
  bad.push(...tc.mineBlocks(2));
  blocks.push(...bad);
  tc.last = tip;
  blocks.push(...busyChain(tc, { blocks: 60, txsPerBlock: 3 }));
  return blocks;
}

interface RunResult {
  readonly killed: boolean;
  readonly output: string;
  /** New blocks the child reported processed. */
  readonly progress: number;
}

/** When to kill: after the n-th occurrence of a marker line, plus a random few milliseconds. */
interface KillPlan {
  readonly marker: 'opening' | '+';
  readonly count: number;
  readonly jitterMs: number;
}

function runChild(
  dataDir: string,
  file: string,
  flushBlocks: number,
  plan: KillPlan | undefined,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dataDir, file, String(flushBlocks)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let seen = 0;
    let progress = 0;
    let armed = false;
    child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      output += text;
      for (const line of text.split('\n')) {
        if (line === '+') progress++;
        if (plan !== undefined && line === plan.marker) seen++;
      }
      if (plan !== undefined && !armed && seen >= plan.count) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), plan.jitterMs);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal === 'SIGKILL') resolve({ killed: true, output, progress });
      else if (code === 0) resolve({ killed: false, output, progress });
      else reject(new Error(`child exited with ${code}: ${output}`));
    });
  });
}

describe('Chain: crash safety (kill -9 at random moments)', () => {
  let dir: string;
  let file: string;
  let blocks: Block[];
  /** tip hash (hex) -> hash_serialized_3 (hex) of every tip a clean in-process run reaches. */
  const expected = new Map<string, string>();
  let finalTip = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-crash-'));
    blocks = scenario();
    file = join(dir, 'blocks.hex');
    writeFileSync(file, `${blocks.map((b) => toHex(b.encode())).join('\n')}\n`);
    const reference = await TestChainStore.create();
    try {
      for (const b of blocks) {
        await reference.chain.processBlock(b);
        const digest = await reference.chain.utxoDigest();
        expected.set(reference.chain.tip.hashHex(), toHex(digest.hash_serialized_3));
      }
      finalTip = reference.chain.tip.hashHex();
    } finally {
      await reference.destroy();
    }
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`survives at least ${MIN_KILLS} SIGKILLs: the reopened UTXO set always equals a clean replay`, async (t) => {
    const dataDir = join(dir, 'node');
    const started = Date.now();
    let kills = 0;
    let runs = 0;
    let lastWork = 0n;
    let processed = 0;
    let replays = 0;
    for (;;) {
      const finish = kills >= MIN_KILLS || Date.now() - started > TIME_BUDGET_MS;
      // Spread the kills over the scenario: each run gets about twice its share of the remaining
      // blocks, killed a random few ms after a random block; every fifth run dies while opening
      // (reconnecting blocks that were stored but not flushed).
      const share = Math.max(2, Math.floor((2 * (blocks.length - processed)) / (MIN_KILLS - kills + 1)));
      const jitterMs = Math.floor(Math.random() * 4);
      const plan: KillPlan | undefined = finish
        ? undefined
        : runs % 5 === 4
          ? { marker: 'opening', count: 1, jitterMs: Math.floor(Math.random() * 40) }
          : { marker: '+', count: 1 + Math.floor(Math.random() * share), jitterMs };
      const flushBlocks = [1, 3, 25, 2000][runs % 4]!;
      const run = await runChild(dataDir, file, flushBlocks, plan);
      runs++;
      processed += run.progress;
      if (run.killed) kills++;
      // Check a copy, so the next child finds the store exactly as the killed one left it (and must
      // itself reconnect what was stored but not flushed).
      const checkDir = join(dir, 'check');
      rmSync(checkDir, { recursive: true, force: true });
      cpSync(dataDir, checkDir, { recursive: true });
      const flushedHeight = await flushedBestHeight(join(checkDir, 'regtest', 'chain'));
      const chain = await Chain.open({ network: regtest, dataDir: checkDir, now: () => TEST_NOW });
      const replayed = chain.height - flushedHeight;
      try {
        if (replayed > 0) replays++;
        const tip = chain.tip.hashHex();
        const want = expected.get(tip);
        assert.ok(
          want !== undefined,
          `run ${runs}: tip ${tip} at ${chain.height} is not a tip of the clean run`,
        );
        assert.equal(toHex((await chain.utxoDigest()).hash_serialized_3), want, `run ${runs}: UTXO digest`);
        assert.ok(chain.tip.chainwork >= lastWork, 'work never goes backwards');
        lastWork = chain.tip.chainwork;
        if (runs % 7 === 0 || !run.killed) await assertCleanReplay(chain);
        if (!run.killed) {
          assert.ok(run.output.includes('done'), run.output);
          assert.equal(tip, finalTip, 'the last run reached the end of the scenario');
          break;
        }
      } finally {
        await chain.close();
      }
    }
    assert.ok(kills >= MIN_KILLS, `only ${kills} kills in the time budget`);
    t.diagnostic(
      `${runs} runs, ${kills} kills, ${replays} reopenings had to reconnect blocks stored after the last flush`,
    );
  });
});

/** Height of the block the store's best-block pointer names: what the last flush made durable. */
async function flushedBestHeight(path: string): Promise<number> {
  const db = await ChainDB.open(path);
  try {
    const best = db.getSync(BEST_BLOCK_KEY);
    if (best === undefined) return 0;
    return decodeEntryRecord(db.getSync(entryKey(best))!).height;
  } finally {
    await db.close();
  }
}

/** Feeds the reopened chain's active blocks to a fresh chain and compares the UTXO sets. */
async function assertCleanReplay(chain: Chain): Promise<void> {
  const replay = await TestChainStore.create();
  try {
    for (let h = 1; h <= chain.height; h++) {
      const block = await chain.getBlock(chain.getEntryAtHeight(h)!.hash);
      const r = await replay.chain.processBlock(block!);
      assert.equal(r.status, 'connected');
    }
    assert.deepEqual(await replay.chain.utxoDigest(), await chain.utxoDigest());
  } finally {
    await replay.destroy();
  }
}
