/**
 * The "Full node" issue's acceptance: a `tally node` process is killed with SIGKILL at 20+ random
 * moments while it mines and takes transactions over RPC; after every restart its block index, UTXO
 * set and mempool are consistent (gettxoutsetinfo equals a clean replay of its own active chain),
 * every block generatetoaddress acknowledged before the kill is still on the chain, and it mines on.
 *
 * Runs share one data directory and are planned by a seeded PRNG (seed printed; set
 * TALLY_CRASH_SEED to replay a plan). Most runs are killed during the workload; a few are killed
 * while starting (reconnecting unflushed blocks, loading mempool.dat), a few while stopping, and a
 * few stop cleanly so that later crashes restart from a mempool.dat older than the chain.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Transaction } from '../../src/primitives/transaction.js';
import { NodeProcess } from '../support/node-process.js';
import { checkMempool, readActiveChain, replayActiveChain } from './node-checks.js';
import { runWorkload, seededRandom, WorkloadWallet } from './node-workload.js';

/** Kills during the workload (mining and mempool load) the test must reach. */
const MIN_KILLS = 20;
/** No new run is planned after this; the test then needs MIN_KILLS already. */
const TIME_BUDGET_MS = 150_000;
const MAX_RUNS = 60;
/** Blocks mined (and flushed by a clean stop) before the first run: 20 mature coinbases. */
const BOOTSTRAP_BLOCKS = 120;

type RunKind = 'workload-kill' | 'startup-kill' | 'stop-kill' | 'clean-stop' | 'final';

/** Every 9 runs: 6 killed in the workload, then one of each other kind. */
function planFor(run: number): RunKind {
  const slot = run % 9;
  if (slot === 2) return 'startup-kill';
  if (slot === 5) return 'clean-stop';
  if (slot === 7) return 'stop-kill';
  return 'workload-kill';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const sortedTxids = (txs: readonly Transaction[]) => txs.map((tx) => tx.txidHex()).sort();

describe('tally node: crash safety (SIGKILL during mining and mempool load)', { timeout: 240_000 }, () => {
  const datadir = mkdtempSync(join(tmpdir(), 'tally-node-crash-'));
  after(async () => {
    await NodeProcess.killAll();
    rmSync(datadir, { recursive: true, force: true });
  });

  it(`survives ${MIN_KILLS}+ SIGKILLs: index, UTXO set and mempool consistent after every restart`, async (t) => {
    const seed = Number(process.env.TALLY_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 32));
    const random = seededRandom(seed);
    const wallet = new WorkloadWallet();
    const started = Date.now();
    const kills = { 'workload-kill': 0, 'startup-kill': 0, 'stop-kill': 0 };
    const killedDuring = new Map<string, number>();
    const restartMs: number[] = [];
    const checkMs: number[] = [];
    let startupKillsBeforeReady = 0;
    let sent = 0;
    let reorgs = 0;
    let ties = 0;
    /** Blocks generatetoaddress returned since the last check: they must be on the chain. */
    let acknowledged: string[] = [];
    /** After a clean stop: the mempool the restart must bring back. */
    let expectedPool: string[] | undefined;
    let lastHeight = 0;

    // Bootstrap: mature coins, then a clean stop (which flushes and writes mempool.dat).
    const boot = await NodeProcess.start({ datadir });
    acknowledged = await boot.call<string[]>('generatetoaddress', [BOOTSTRAP_BLOCKS, wallet.address]);
    assert.deepEqual(await boot.stop(), { code: 0, signal: null });

    let run = 0;
    for (; run < MAX_RUNS; run++) {
      const finishing = kills['workload-kill'] >= MIN_KILLS || Date.now() - started > TIME_BUDGET_MS;
      const kind: RunKind = finishing ? 'final' : planFor(run);
      const where = `seed ${seed}, run ${run} (${kind})`;
      try {
        if (kind === 'startup-kill') {
          // Somewhere in start-up: module loading, Chain.open reconnecting unflushed blocks,
          // mempool.dat, the RPC server, or just after "node ready".
          const node = NodeProcess.spawn({ datadir });
          await Promise.race([sleep(300 + Math.floor(random() * 1500)), node.exited]);
          if (!/"msg":"node ready"/.test(node.log())) startupKillsBeforeReady++;
          const exit = await node.kill();
          assert.equal(exit.signal, 'SIGKILL', `${where}: died before the kill\n${node.log()}`);
          kills['startup-kill']++;
          continue;
        }

        const t0 = Date.now();
        const node = await NodeProcess.start({ datadir });
        restartMs.push(Date.now() - t0);

        // (b) block index, (a) UTXO set against a clean replay, (c) mempool; then the wallet
        // re-derives its coins from exactly what was checked.
        const t1 = Date.now();
        const chain = await readActiveChain(node);
        const height = chain.blocks.length - 1;
        const onChain = new Set(chain.hashes);
        const lost = acknowledged.filter((h) => !onChain.has(h));
        assert.deepEqual(lost, [], `${where}: acknowledged blocks lost in the crash`);
        const replay = await replayActiveChain(node, chain);
        try {
          const pool = await checkMempool(node, chain);
          if (expectedPool !== undefined) {
            assert.deepEqual(sortedTxids(pool), expectedPool, `${where}: mempool after a clean stop`);
          }
          wallet.rederive(chain, replay.chain, pool);
        } finally {
          await replay.destroy();
        }
        checkMs.push(Date.now() - t1);

        // (d) Work resumes.
        // To a fresh address: a kill inside a reorganization step leaves the tip where the
        // invalidated block was mined, and the same coinbase would rebuild it (freshAddress).
        const [hash] = await node.call<string[]>('generatetoaddress', [1, wallet.freshAddress()]);
        assert.equal(await node.call('getblockcount'), height + 1, where);
        assert.equal(await node.call('getbestblockhash'), hash, where);
        acknowledged = [hash!];
        lastHeight = height + 1;
        expectedPool = undefined;

        if (kind === 'final') {
          assert.deepEqual(await node.stop(), { code: 0, signal: null }, where);
          break;
        }

        // The workload, ended at a random moment by a kill or a stop.
        let stopped = false;
        let current = '';
        const delay = 20 + Math.floor(random() * 700);
        const timer = setTimeout(() => {
          stopped = true;
          if (kind === 'workload-kill') {
            killedDuring.set(current, (killedDuring.get(current) ?? 0) + 1);
            void node.kill();
          }
        }, delay);
        const work = await runWorkload(
          node,
          wallet,
          random,
          () => stopped,
          (method) => {
            current = method;
          },
        ).finally(() => clearTimeout(timer));
        const displaced = new Set(work.displaced);
        acknowledged = [...acknowledged, ...work.mined].filter((h) => !displaced.has(h));
        sent += work.sent;
        reorgs += work.reorgs;
        ties += work.ties;

        if (kind === 'workload-kill') {
          if (!stopped) await node.kill(); // the step bound ran out first (not expected)
          assert.equal((await node.exited).signal, 'SIGKILL', where);
          kills['workload-kill']++;
        } else if (kind === 'clean-stop') {
          expectedPool = (await node.call<string[]>('getrawmempool')).sort();
          assert.deepEqual(
            await node.stop(),
            { code: 0, signal: null },
            `${where}\n${node.log().slice(-3000)}`,
          );
        } else {
          // stop-kill: SIGKILL a few ms into the clean shutdown (the reply may not even arrive).
          void node.call('stop').catch(() => undefined);
          await Promise.race([sleep(Math.floor(random() * 60)), node.exited]);
          const exit = await node.kill();
          if (exit.signal === 'SIGKILL') kills['stop-kill']++;
          else assert.equal(exit.code, 0, `${where}: shutdown failed\n${node.log().slice(-3000)}`);
        }
      } catch (err) {
        if (err instanceof Error) {
          const message = `[${where}] ${err.message}`;
          err.stack = err.stack?.replace(err.message, message);
          err.message = message;
        }
        throw err;
      }
    }

    const total = Date.now() - started;
    const avg = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
    t.diagnostic(`seed ${seed} (TALLY_CRASH_SEED=${seed} replays this plan)`);
    t.diagnostic(
      `${run + 1} runs in ${total} ms: ${kills['workload-kill']} SIGKILLs in the workload ` +
        `(${[...killedDuring].map(([m, n]) => `${n} during ${m}`).join(', ')}), ` +
        `${kills['startup-kill']} during start-up (${startupKillsBeforeReady} before RPC was up), ` +
        `${kills['stop-kill']} during shutdown; final height ${lastHeight}, ${sent} transactions accepted, ${reorgs} reorganizations back to the old tip (${ties} ties kept the other branch)`,
    );
    t.diagnostic(
      `restart to RPC ready: avg ${avg(restartMs)} ms, max ${Math.max(...restartMs)} ms; ` +
        `checks (index + replay + mempool): avg ${avg(checkMs)} ms, max ${Math.max(...checkMs)} ms`,
    );
    assert.ok(kills['workload-kill'] >= MIN_KILLS, `only ${kills['workload-kill']} kills in the time budget`);
  });
});
