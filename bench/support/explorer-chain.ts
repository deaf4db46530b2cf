/**
 * The explorer benchmarks' chain (issue #5): a regtest chain of 10,000 blocks carrying 200,000
 * transactions (coinbases not counted), built once and cached under os.tmpdir() keyed by
 * CACHE_VERSION, so later runs (the API benchmark, the UI's first-render benchmark) start at once.
 *
 * Outputs pay P2WSH addresses whose witness script is `<k> OP_DROP OP_TRUE` for k in 0..ADDRESSES-1:
 * real bech32 addresses an explorer can show, spendable with the witness script alone (no signing,
 * so building is bounded by block validation, not ECDSA). Every transaction spends one output of an
 * earlier block and splits it in two, so the coin pool only grows and address histories mix
 * receives and spends.
 *
 * ```ts
 * const { datadir, txids, addresses } = await explorerBenchChain();
 * // tally node --network regtest --datadir <datadir> --explorer ...
 * ```
 * The cached directory is shared: open it with one node at a time and do not mine on it (pass
 * `{ fresh: true }` for a private copy that may be changed and must be deleted by the caller).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { Chain } from '../../src/chain/chain.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { AddressIndex } from '../../src/node/address-index/address-index.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import { addressFromScript } from '../../src/script/address.js';
import { Op } from '../../src/script/opcodes.js';
import { joinBytes, pushInt } from '../../src/script/script.js';
import { p2wshOfScript } from '../../src/script/templates.js';
import { TestChain } from '../../test/support/test-chain.js';

/** Bump when the chain's content or layout changes: older caches are then ignored. */
export const CACHE_VERSION = 'v3';
export const BENCH_BLOCKS = 10_000;
export const BENCH_TXS = 200_000;
/** Distinct addresses the outputs rotate through (about 800 history entries each). */
export const ADDRESSES = 500;
const FEE = 300;
/** A clock after the last block (regtest blocks here are one second apart from 2011). */
const NOW = 1_700_000_000;

export interface ExplorerBenchChain {
  /** A `--datadir` for `tally node --network regtest` (the chain is at `<datadir>/regtest/chain`). */
  readonly datadir: string;
  /** Every non-coinbase txid, display hex, in chain order. */
  readonly txids: readonly string[];
  /** The bech32 addresses the outputs pay, most used first. */
  readonly addresses: readonly string[];
  /** Height of the tip (BENCH_BLOCKS). */
  readonly height: number;
}

interface Manifest {
  version: string;
  height: number;
  txids: string[];
  addresses: string[];
}

interface Coin {
  readonly outpoint: OutPoint;
  readonly value: number;
  readonly k: number;
}

export function cacheDir(): string {
  return join(tmpdir(), `tally-explorer-bench-${CACHE_VERSION}`);
}

function witnessScript(k: number): Uint8Array {
  return joinBytes([pushInt(k), Uint8Array.of(Op.OP_DROP, Op.OP_TRUE)]);
}

/** Returns the cached chain, building it first when absent (about a minute on two cores). */
export async function explorerBenchChain(
  options: { fresh?: boolean; log?: (line: string) => void } = {},
): Promise<ExplorerBenchChain> {
  const dir = cacheDir();
  if (!existsSync(join(dir, 'manifest.json'))) await build(dir, options.log ?? ((l) => console.log(l)));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  let datadir = join(dir, 'datadir');
  if (options.fresh) {
    const copy = mkdtempSync(join(tmpdir(), 'tally-explorer-bench-copy-'));
    cpSync(datadir, copy, { recursive: true });
    datadir = copy;
  }
  return { datadir, txids: manifest.txids, addresses: manifest.addresses, height: manifest.height };
}

/** Builds into a scratch directory and renames it into place, so an interrupted build leaves no cache. */
async function build(dir: string, log: (line: string) => void): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'tally-explorer-bench-build-'));
  const datadir = join(scratch, 'datadir');
  mkdirSync(datadir);
  const started = performance.now();
  log(`explorer bench chain: building ${BENCH_BLOCKS} blocks / ${BENCH_TXS} txs in ${scratch}`);
  const scripts = Array.from({ length: ADDRESSES }, (_, k) => witnessScript(k));
  const outputs = scripts.map((s) => p2wshOfScript(s));
  const chain = await Chain.open({ network: regtest, dataDir: datadir, txIndex: true, now: () => NOW });
  const txids: string[] = [];
  try {
    const tc = new TestChain();
    // Coins spendable from the next block on, oldest first; coinbases join when mature.
    const pool: Coin[] = [];
    const coinbases: Coin[] = [];
    let next = 0;
    for (let height = 1; height <= BENCH_BLOCKS; height++) {
      if (height > 100) pool.push(coinbases[height - 101]!);
      const remaining = BENCH_TXS - txids.length;
      const want = Math.ceil(remaining / (BENCH_BLOCKS - height + 1));
      const txs: Transaction[] = [];
      const created: Coin[] = [];
      while (txs.length < want && next < pool.length) {
        const coin = pool[next++]!;
        if (coin.value < 2 * FEE + 2_000) continue;
        const half = Math.floor((coin.value - FEE) / 2);
        const a = (txids.length * 2 + 1) % ADDRESSES;
        const b = (txids.length * 3 + 7) % ADDRESSES;
        const tx = new Transaction(
          2,
          [new TxIn(coin.outpoint, new Uint8Array(0), 0xfffffffd)],
          [new TxOut(half, outputs[a]!), new TxOut(coin.value - FEE - half, outputs[b]!)],
          0,
        );
        tx.inputs[0]!.witness = [scripts[coin.k]!];
        tx.invalidate();
        const txid = tx.txid();
        created.push({ outpoint: new OutPoint(txid, 0), value: half, k: a });
        created.push({ outpoint: new OutPoint(txid, 1), value: coin.value - FEE - half, k: b });
        txs.push(tx);
        txids.push(tx.txidHex());
      }
      // Spent coins leave the pool's front now and then, so it does not grow without bound.
      if (next > 100_000) {
        pool.splice(0, next);
        next = 0;
      }
      const k = height % ADDRESSES;
      const block = tc.block({ txs, payTo: outputs[k]! });
      pool.push(...created);
      const cb = block.txs[0]!;
      coinbases.push({ outpoint: new OutPoint(cb.txid(), 0), value: cb.outputs[0]!.value, k });
      const result = await chain.processBlock(block);
      if (result.status !== 'connected') {
        throw new Error(`explorer bench chain: block ${height} ${result.status}`);
      }
      if (height % 1000 === 0) {
        log(
          `  ${height} blocks, ${txids.length} txs, ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      }
    }
  } finally {
    await chain.close();
  }
  await buildAddressIndex(datadir, log);
  // Most used first: output a goes to (2i+1) mod N, b to (3i+7) mod N; every address gets a share.
  const addresses = outputs.map((o) => addressFromScript(o, regtest.addressPrefixes)!);
  const manifest: Manifest = { version: CACHE_VERSION, height: BENCH_BLOCKS, txids, addresses };
  writeFileSync(join(scratch, 'manifest.json'), JSON.stringify(manifest));
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  log(`explorer bench chain: built in ${((performance.now() - started) / 1000).toFixed(1)} s at ${dir}`);
}

/**
 * Builds the node's address index (`<datadir>/regtest/indexes/address`, where `tally node` keeps it)
 * so a node started on the cached chain with --explorer answers address queries at once.
 */
async function buildAddressIndex(datadir: string, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const chain = await Chain.open({ network: regtest, dataDir: datadir, txIndex: true, now: () => NOW });
  try {
    const index = await AddressIndex.open(
      { path: join(datadir, 'regtest', 'indexes', 'address') },
      { chain },
    );
    // The index builds in the background: how long the event loop waits at worst says whether a
    // node building it still answers peers and RPC.
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    index.start();
    await index.waitSynced();
    lag.disable();
    await index.close();
    log(
      `  address index built in ${((performance.now() - started) / 1000).toFixed(1)} s;` +
        ` event loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`,
    );
  } finally {
    await chain.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const c = await explorerBenchChain();
  console.log(`${c.datadir}: height ${c.height}, ${c.txids.length} txs, ${c.addresses.length} addresses`);
}
