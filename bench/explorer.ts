/**
 * Explorer API latency over loopback HTTP (issue #5: "/api/tx/<txid>/proof median ≤ 2 ms on a chain
 * of 10,000 blocks and 200,000 transactions"), on the cached chain of bench/support/explorer-chain.ts
 * with its address index: the proof of random txids, blocks at random heights, random txs, random
 * addresses, and /api/status. Each request names a different item, so the block cache rarely helps
 * (the worst case a crawler or many users cause). The reference is a bare fastify route answering a
 * constant, measured in the same run with the same client: the ratio is what our work costs above
 * HTTP itself.
 */
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Chain } from '../src/chain/chain.js';
import { regtest } from '../src/consensus/networks/regtest.js';
import { Mempool } from '../src/mempool/mempool.js';
import { AddressIndex } from '../src/node/address-index/address-index.js';
import { createRegistry } from '../src/rpc/methods/index.js';
import { RpcServer } from '../src/rpc/server.js';
import { createExplorer } from '../src/web/explorer.js';
import { explorerBenchChain } from './support/explorer-chain.js';
import { fmt, ratio } from './stats.js';

const RUNS = 2000;
const WARMUP = 200;

interface Latency {
  readonly median: number;
  readonly p99: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET on a kept-alive socket; resolves with the status after the whole body arrived. */
function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Median and p99 of `RUNS` requests, path i given by `pathOf(i)`, after `WARMUP` unmeasured ones. */
async function latency(port: number, pathOf: (i: number) => string): Promise<Latency> {
  for (let i = 0; i < WARMUP; i++) await get(port, pathOf(RUNS + i));
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const path = pathOf(i);
    const t0 = performance.now();
    const status = await get(port, path);
    times.push(performance.now() - t0);
    if (status !== 200) throw new Error(`${path}: HTTP ${status}`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { median: at(0.5), p99: at(0.99) };
}

/** A deterministic shuffle source (xorshift), so runs compare like with like. */
function picker(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

export async function benchExplorer(): Promise<Record<string, Latency>> {
  const bench = await explorerBenchChain();
  const chain = await Chain.open({ network: regtest, dataDir: bench.datadir, txIndex: true });
  const mempool = new Mempool({ network: regtest }, { chain });
  const index = await AddressIndex.open(
    { path: join(bench.datadir, 'regtest', 'indexes', 'address') },
    { chain },
  );
  index.start();
  await index.waitSynced();
  const server = new RpcServer(
    { network: regtest, datadir: bench.datadir, port: 0 },
    {
      registry: createRegistry(),
      context: { network: regtest, startTime: 0, now: () => 0, chain },
      explorer: createExplorer({ network: regtest, chain, mempool, addressIndex: index }),
    },
  );
  const bare = Fastify();
  bare.get('/const', async () => ({ ok: true }));
  const results: Record<string, Latency> = {};
  try {
    await server.start();
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const port = server.addresses()[0]!.port;
    const barePort = (bare.server.address() as { port: number }).port;
    const { txids, addresses, height } = bench;
    const pick = picker(0x5eed);
    const randomTx = () => txids[pick(txids.length)]!;
    results.reference = await latency(barePort, () => '/const');
    results.proof = await latency(port, () => `/api/tx/${randomTx()}/proof`);
    results.block = await latency(port, () => `/api/block/${1 + pick(height)}`);
    results.tx = await latency(port, () => `/api/tx/${randomTx()}`);
    results.address = await latency(port, () => `/api/address/${addresses[pick(addresses.length)]}`);
    results.status = await latency(port, () => '/api/status');
    const ref = results.reference!;
    console.log(
      `explorer API, ${height} blocks / ${txids.length} txs, loopback, ${RUNS} random requests each:` +
        ` bare fastify constant: median ${fmt(ref.median)}, p99 ${fmt(ref.p99)}`,
    );
    for (const [name, path] of [
      ['proof', '/api/tx/<txid>/proof'],
      ['block', '/api/block/<height>'],
      ['tx', '/api/tx/<txid>'],
      ['address', '/api/address/<addr>'],
      ['status', '/api/status'],
    ] as const) {
      const r = results[name]!;
      console.log(
        `  ${path.padEnd(22)} median ${fmt(r.median)}, p99 ${fmt(r.p99)} | ratio ${ratio(r.median, ref.median)}`,
      );
    }
    const proof = results.proof!;
    console.log(`  proof median ${proof.median <= 2 ? '<=' : 'ABOVE'} the 2 ms target`);
    return results;
  } finally {
    agent.destroy();
    await bare.close();
    await server.stop();
    await index.close();
    mempool.close();
    await chain.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExplorer();
