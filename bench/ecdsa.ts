/**
 * ECDSA verification throughput of every backend we could validate blocks with, and of the
 * parallel pool, each as an absolute rate and as a ratio to the fastest single-core backend
 * measured in the same run (machines differ; ratios travel).
 *
 * Run alone with `node --import tsx bench/ecdsa.ts`; bench/run.ts calls benchEcdsa().
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import * as tiny from 'tiny-secp256k1';
import { normalizeS } from '../src/crypto/der.js';
import { sha256 } from '../src/crypto/hash.js';
import { ecdsaVerifyCompact } from '../src/crypto/secp256k1.js';
import { SignatureVerifyPool, type VerifyJob } from '../src/crypto/verify-pool.js';
import { utf8 } from '../src/encoding/index.js';

interface RawAddon {
  ecdsaVerify(sig64: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): number;
  ecdsaSign(out: { signature: Uint8Array; recid: number }, msg32: Uint8Array, priv32: Uint8Array): number;
  publicKeyCreate(out: Uint8Array, priv32: Uint8Array): number;
}

/** The compiled libsecp256k1 addon itself, loaded the way the adapter loads it. */
function loadRawAddon(): RawAddon {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('secp256k1/package.json');
  const nodeGypBuild = createRequire(pkg)('node-gyp-build') as (dir: string) => {
    Secp256k1: new () => RawAddon;
  };
  return new (nodeGypBuild(dirname(pkg)).Secp256k1)();
}

/** Distinct keys and messages (compressed keys, low S: what recent blocks mostly hold). */
function makeJobs(addon: RawAddon, count: number): VerifyJob[] {
  return Array.from({ length: count }, (_, i) => {
    const priv = sha256(utf8(`bench-ecdsa-key/${i}`));
    const msg32 = sha256(utf8(`bench-ecdsa-msg/${i}`));
    const pubkey = new Uint8Array(33);
    const out = { signature: new Uint8Array(64), recid: 0 };
    if (addon.publicKeyCreate(pubkey, priv) !== 0 || addon.ecdsaSign(out, msg32, priv) !== 0) {
      throw new Error('bench fixture: signing failed');
    }
    return { sig64: out.signature, msg32, pubkey };
  });
}

type Verify = (job: VerifyJob) => boolean;

/** Verifications per second: median of 3 rounds of at least `minMs` each, after a warm-up pass. */
function rate(jobs: readonly VerifyJob[], verify: Verify, minMs: number): number {
  for (const job of jobs.slice(0, 50))
    if (!verify(job)) throw new Error('bench fixture: a valid signature failed');
  const rounds: number[] = [];
  for (let r = 0; r < 3; r++) {
    let done = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < minMs) {
      for (const job of jobs) if (!verify(job)) throw new Error('bench: a valid signature failed');
      done += jobs.length;
      elapsed = performance.now() - start;
    }
    rounds.push((done / elapsed) * 1000);
  }
  return rounds.sort((a, b) => a - b)[1]!;
}

async function poolRate(
  pool: SignatureVerifyPool,
  jobs: readonly VerifyJob[],
  streaming: boolean,
): Promise<number> {
  const run = async (): Promise<void> => {
    let result: { ok: boolean };
    if (streaming) {
      const batch = pool.batch();
      for (const j of jobs) batch.push(j.sig64, j.msg32, j.pubkey);
      result = await batch.finish();
    } else {
      result = await pool.verifyAll(jobs);
    }
    if (!result.ok) throw new Error('bench: the pool rejected a valid signature');
  };
  await run(); // warm-up
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    await run();
    rounds.push((jobs.length / (performance.now() - start)) * 1000);
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(9);

export async function benchEcdsa(): Promise<void> {
  const addon = loadRawAddon();
  const jobs = makeJobs(addon, 1000);
  const minMs = 500;

  const single: [string, number][] = [
    [
      'adapter ecdsaVerifyCompact (native)',
      rate(jobs, (j) => ecdsaVerifyCompact(j.sig64, j.msg32, j.pubkey), minMs),
    ],
    [
      'raw addon ecdsaVerify (no wrapper)',
      rate(jobs, (j) => addon.ecdsaVerify(j.sig64, j.msg32, j.pubkey) === 0, minMs),
    ],
    [
      'tiny-secp256k1 verify (WASM, strict)',
      rate(jobs, (j) => tiny.verify(j.msg32, j.pubkey, normalizeS(j.sig64), true), minMs),
    ],
    [
      '@noble/curves verify (explicit options)',
      rate(
        jobs.slice(0, 200),
        (j) => noble.verify(j.sig64, j.msg32, j.pubkey, { prehash: false, lowS: false, format: 'compact' }),
        minMs,
      ),
    ],
  ];
  const reference = Math.max(...single.map(([, r]) => r));

  const startupStart = performance.now();
  const pool = await SignatureVerifyPool.create();
  const startupMs = performance.now() - startupStart;
  const blockJobs = Array.from({ length: 20_000 }, (_, i) => jobs[i % jobs.length]!);
  let parallel: [string, number][];
  try {
    parallel = [
      [`pool verifyAll (${pool.threads} threads)`, await poolRate(pool, blockJobs, false)],
      [`pool streaming batch (${pool.threads} threads)`, await poolRate(pool, blockJobs, true)],
    ];
  } finally {
    await pool.close();
  }

  console.log(
    `ecdsa verification, ${availableParallelism()} cores; ratio = rate / fastest single-core backend`,
  );
  for (const [name, r] of [...single, ...parallel]) {
    console.log(`  ${name.padEnd(44)} ${fmt(r)} /s  ${(r / reference).toFixed(2)}x`);
  }
  console.log(`  ${'pool start-up (once, not in the rates)'.padEnd(44)} ${fmt(startupMs)} ms`);
  console.log(
    `  ${'node:crypto'.padEnd(44)}  unusable: its ECDSA verify always hashes the message, so it cannot check a Bitcoin sighash`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchEcdsa();
}
