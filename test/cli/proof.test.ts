import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toHex } from '../../src/encoding/hex.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { NodeProcess } from '../support/node-process.js';
import { TestChain } from '../support/test-chain.js';
import { runCli } from './run-cli.js';

/** 105 blocks, then one with five transactions spending mature coinbases (a branch of three hashes). */
function buildChain(): { hexes: string[]; txs: Transaction[] } {
  const tc = new TestChain();
  const blocks = tc.mine(105);
  const txs = Array.from({ length: 5 }, (_, i) => tc.spend([tc.coinbaseOutput(blocks[i]!)]));
  blocks.push(tc.block({ txs }));
  return { hexes: blocks.map((b) => toHex(b.encode())), txs };
}

async function submit(node: NodeProcess, hexes: readonly string[]): Promise<void> {
  const results = await node.batch(hexes.map((hex) => ['submitblock', [hex]] as const));
  assert.ok(
    results.every((r) => r === null),
    JSON.stringify(results.filter((r) => r !== null).slice(0, 3)),
  );
}

const flags = (node: NodeProcess) => [
  '--network',
  'regtest',
  '--datadir',
  node.datadir,
  '--rpcport',
  String(node.rpcPort),
];

describe('tally proof get / verify (against `tally node --explorer`, and JSON-RPC without it)', () => {
  const { hexes, txs } = buildChain();
  const target = txs[3]!.txidHex();
  let explorer: NodeProcess;
  let plain: NodeProcess;

  before(async () => {
    [explorer, plain] = await Promise.all([NodeProcess.start({ args: ['--explorer'] }), NodeProcess.start()]);
    await Promise.all([submit(explorer, hexes), submit(plain, hexes)]);
  });
  after(async () => {
    await Promise.all([explorer?.destroy(), plain?.destroy()]);
  });

  it('`tally node --explorer` serves /api without credentials, with the address index on (regtest)', async () => {
    const res = await fetch(`http://127.0.0.1:${explorer.rpcPort}/api/status`);
    assert.equal(res.status, 200);
    const status = (await res.json()) as { height: number; addressIndex: { enabled: boolean } };
    assert.equal(status.height, 106);
    assert.equal(status.addressIndex.enabled, true);
    const off = await fetch(`http://127.0.0.1:${plain.rpcPort}/api/status`);
    assert.equal(off.status, 404);
  });

  it('get writes a proof that verify accepts; --rpc confirms the active chain', async () => {
    const file = join(explorer.datadir, 'proof.json');
    const got = runCli(['proof', 'get', target, ...flags(explorer), '--out', file]);
    assert.equal(got.status, 0, got.stderr);
    const proof = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(proof.txid, target);
    assert.equal(proof.height, 106);
    assert.equal(proof.index, 4);
    assert.equal(proof.branch.length, 3);
    const ok = runCli(['proof', 'verify', file, '--network', 'regtest']);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /✓ merkle-root/);
    assert.match(ok.stdout, /✓ proof-of-work/);
    assert.match(ok.stdout, /^valid$/m);
    const online = runCli(['proof', 'verify', file, '--rpc', ...flags(explorer)]);
    assert.equal(online.status, 0, online.stdout + online.stderr);
    assert.match(online.stdout, /✓ active-chain/);
  });

  it('a proof with one byte changed is invalid, with the reason (exit 1)', () => {
    const file = join(explorer.datadir, 'proof.json');
    const proof = JSON.parse(readFileSync(file, 'utf8'));
    const branch = [...proof.branch];
    branch[0] = (branch[0][0] === 'a' ? 'b' : 'a') + branch[0].slice(1);
    const tampered = join(explorer.datadir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...proof, branch }));
    const bad = runCli(['proof', 'verify', tampered]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /invalid: merkle root mismatch/);
  });

  it('falls back to JSON-RPC when the node serves no explorer: the same proof', () => {
    const fromRpc = runCli(['proof', 'get', target, ...flags(plain)]);
    assert.equal(fromRpc.status, 0, fromRpc.stderr);
    const fromRest = readFileSync(join(explorer.datadir, 'proof.json'), 'utf8');
    assert.deepEqual(JSON.parse(fromRpc.stdout), JSON.parse(fromRest));
  });

  it('an unknown txid and a malformed one fail clearly', () => {
    const unknown = runCli(['proof', 'get', 'cd'.repeat(32), ...flags(explorer)]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no transaction/);
    const malformed = runCli(['proof', 'get', 'xyz', ...flags(explorer)]);
    assert.equal(malformed.status, 2);
    assert.match(malformed.stderr, /64 hex/);
  });
});
