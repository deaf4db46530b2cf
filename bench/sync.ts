/**
 * Initial sync over loopback: a `tally node` process (`--connect` to an in-process source node)
 * downloads and fully validates a generated regtest chain of 2,000 blocks holding ~100,000 signed
 * P2WPKH/P2PKH transactions. Reported: blocks/s, tx/s and the syncing process's peak RSS, against
 * the reference measured in the same run: the source connecting the same blocks in-process with no
 * network in between. The RSS is the child's own (VmHWM from /proc): the generated chain and the
 * source node live in this process and do not count.
 */
import { readFileSync } from 'node:fs';
import { toDisplayHex } from '../src/encoding/hex.js';
import { NodeProcess } from '../test/support/node-process.js';
import { TestChain } from '../test/support/test-chain.js';
import { busyChain } from '../test/support/test-chain-workload.js';
import { stopAll, TestNode } from '../test/net/test-node.js';
import { ratio } from './stats.js';

const BLOCKS = 2_000;
const TXS_PER_BLOCK = 56;
/** Issue #3's memory target for the syncing node's process (default -dbcache, 450). */
const RSS_TARGET_MB = 500;

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

export async function benchSync(): Promise<void> {
  const tc = new TestChain();
  const t0 = performance.now();
  const blocks = busyChain(tc, { blocks: BLOCKS, txsPerBlock: TXS_PER_BLOCK });
  const txCount = blocks.reduce((n, b) => n + b.txs.length - 1, 0);
  console.log(`\n== initial sync over loopback (${blocks.length} blocks, ${txCount} transactions) ==`);
  console.log(`  chain generated and signed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const source = await TestNode.start('bench-source');
  let sink: NodeProcess | undefined;
  try {
    const t1 = performance.now();
    await source.mine(blocks);
    const localMs = performance.now() - t1;
    sink = await NodeProcess.start({ args: ['--connect', source.addr] });
    const started = performance.now();
    const deadline = Date.now() + 600_000;
    let height = 0;
    while (height < blocks.length) {
      if (Date.now() > deadline) throw new Error(`sync stalled at height ${height}`);
      await new Promise((r) => setTimeout(r, 50));
      height = await sink.call<number>('getblockcount');
    }
    const syncMs = performance.now() - started;
    const rss = peakRssMb(sink.pid);
    // The synced node must end with exactly the source's UTXO set, or the figure means nothing.
    const sinkDigest = await sink.call<{ hash_serialized_3: string }>('gettxoutsetinfo');
    const sourceDigest = toDisplayHex((await source.chain.utxoDigest()).hash_serialized_3);
    if (sinkDigest.hash_serialized_3 !== sourceDigest) {
      throw new Error(`UTXO digests differ: synced ${sinkDigest.hash_serialized_3}, source ${sourceDigest}`);
    }
    console.log(
      `  sync from a loopback peer      ${(syncMs / 1000).toFixed(2)} s: ${Math.round((blocks.length / syncMs) * 1000)} blocks/s, ${Math.round((txCount / syncMs) * 1000)} tx/s`,
    );
    console.log(`  peak RSS of the syncing node   ${rss.toFixed(0)} MB (target <= ${RSS_TARGET_MB} MB)`);
    console.log(
      `  reference: in-process connect ${(localMs / 1000).toFixed(2)} s: ${Math.round((txCount / localMs) * 1000)} tx/s`,
    );
    console.log(`  sync / in-process connect      ${ratio(syncMs, localMs)}`);
  } finally {
    await sink?.destroy();
    await stopAll();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSync();
