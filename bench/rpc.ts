/**
 * RPC latency over loopback: `getblock <hash> 1` for a block of 100 transactions (plus coinbase),
 * the call block explorers and indexers make most, against the floor measured in the same run: a
 * `getblockcount` round trip through the same server, client and authentication. Verbosities 0, 2
 * and 3 (hex; decoded transactions; with prevouts) follow on their own lines against the same floor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../src/chain/chain.js';
import { regtest } from '../src/consensus/networks/regtest.js';
import { cookiePath, readCookie } from '../src/rpc/auth.js';
import { RpcClient } from '../src/rpc/client.js';
import { createRegistry } from '../src/rpc/methods/index.js';
import { RpcServer } from '../src/rpc/server.js';
import { TestChain } from '../test/support/test-chain.js';
import { fmt, ratio } from './stats.js';

const TXS = 100;
const RUNS = 400;
const WARMUP = 50;

interface Latency {
  median: number;
  p99: number;
}

async function latency(fn: () => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { median: at(0.5), p99: at(0.99) };
}

export async function benchRpc(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-rpc-'));
  const chain = await Chain.open({ network: regtest, dataDir: dir, now: () => 1_700_000_000 });
  const server = new RpcServer(
    { network: regtest, datadir: dir, port: 0 },
    { registry: createRegistry(), context: { network: regtest, startTime: 0, now: () => 0, chain } },
  );
  try {
    // 101 blocks for a mature coinbase, one splitting it into 100 coins, one spending each.
    const tc = new TestChain();
    const blocks = tc.mine(101);
    const fan = tc.spend([tc.coinbaseOutput(blocks[0]!)], {
      outputs: Array.from({ length: TXS }, () => ({ value: 40_000_000 })),
    });
    blocks.push(tc.block({ txs: [fan] }));
    const spends = tc.outputs(fan).map((coin) => tc.spend([coin]));
    const target = tc.block({ txs: spends });
    blocks.push(target);
    for (const b of blocks) {
      const r = await chain.processBlock(b);
      if (r.status !== 'connected') throw new Error(`bench setup: block ${b.hashHex()} ${r.status}`);
    }
    await server.start();
    const cookie = readCookie(cookiePath(dir, 'regtest'))!;
    const client = new RpcClient({ host: '127.0.0.1', port: server.addresses()[0]!.port, ...cookie });
    const hash = target.hashHex();
    const getblock = await latency(() => client.call('getblock', [hash, 1]));
    const floor = await latency(() => client.call('getblockcount'));
    const verbosities = new Map<number, Latency>();
    for (const verbosity of [0, 2, 3]) {
      verbosities.set(verbosity, await latency(() => client.call('getblock', [hash, verbosity])));
    }
    client.close();
    console.log(
      `rpc getblock verbosity 1, ${TXS + 1} txs, loopback: median ${fmt(getblock.median)}, p99 ${fmt(getblock.p99)}` +
        ` | getblockcount floor: median ${fmt(floor.median)}, p99 ${fmt(floor.p99)}` +
        ` | ratio ${ratio(getblock.median, floor.median)}`,
    );
    for (const [verbosity, l] of verbosities) {
      console.log(
        `rpc getblock verbosity ${verbosity}: median ${fmt(l.median)}, p99 ${fmt(l.p99)}` +
          ` | ratio to getblockcount ${ratio(l.median, floor.median)}`,
      );
    }
  } finally {
    await server.stop();
    await chain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRpc();
