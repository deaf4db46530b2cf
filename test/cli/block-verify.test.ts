import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { toHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import { computeMerkleRoot } from '../../src/primitives/merkle.js';
import { readShared, sharedPath } from '../support/shared.js';
import { runCli } from './run-cli.js';

const BLOCK = sharedPath('blocks', 'mainnet', 'block300025.raw');
const PREVOUTS = sharedPath('blocks', 'mainnet', 'block300025-prevouts.json');
const tmp = mkdtempSync(join(tmpdir(), 'tally-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function report(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'one JSON object on one line');
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('tally block verify', () => {
  it('fully verifies mainnet block 300025 with its prevouts and exits 0', () => {
    const res = runCli(['block', 'verify', BLOCK, '--prevouts', PREVOUTS]);
    assert.equal(res.status, 0, res.stderr);
    const out = report(res.stdout);
    assert.equal(out.hash, '0000000000000000821c4e0acc40f88bedbce3b73ba2358b5ade58a9022cc78c');
    assert.equal(out.height, 300025);
    assert.equal(out.txs, 461);
    assert.equal(out.inputs, 1427);
    assert.equal(out.valid, true);
    assert.equal(out.checked, 'full');
    assert.equal(out.reason, undefined);
    assert.equal(typeof out.ms, 'number');
  });

  it('verifies block 1 context-free (no prevouts needed) and accepts hex input', () => {
    const hexFile = join(tmp, 'block1.hex');
    writeFileSync(hexFile, `${toHex(readShared('blocks', 'mainnet', 'block1.raw'))}\n`);
    const res = runCli(['block', 'verify', hexFile]);
    assert.equal(res.status, 0, res.stderr);
    const out = report(res.stdout);
    assert.equal(out.hash, '00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048');
    assert.equal(out.valid, true);
    assert.equal(out.checked, 'context-free');
  });

  it('rejects a duplicated transaction (CVE-2012-2459) with bad-txns-duplicate and exits 1', () => {
    const block = Block.decode(readShared('blocks', 'mainnet', 'block300025.raw'));
    block.txs.push(block.txs[block.txs.length - 1]!);
    const file = join(tmp, 'dup.raw');
    writeFileSync(file, block.encode());
    const res = runCli(['block', 'verify', file]);
    assert.equal(res.status, 1);
    const out = report(res.stdout);
    assert.equal(out.valid, false);
    assert.equal(out.reason, 'bad-txns-duplicate');
  });

  it('rejects a flipped signature byte with mandatory-script-verify-flag-failed (--no-pow)', () => {
    const block = Block.decode(readShared('blocks', 'mainnet', 'block300025.raw'));
    const scriptSig = block.txs[5]!.inputs[0]!.scriptSig;
    scriptSig[40]! ^= 0x01; // inside the DER signature's S value (the scriptSig is a view into the block)
    for (const tx of block.txs) tx.invalidate();
    block.header.merkleRoot = computeMerkleRoot(block.txs.map((tx) => tx.txid())).root;
    block.header.invalidate();
    const file = join(tmp, 'badsig.raw');
    writeFileSync(file, block.encode());
    const prevouts = JSON.parse(readFileSync(PREVOUTS, 'utf8')) as { block: string };
    prevouts.block = block.hashHex();
    const prevoutsFile = join(tmp, 'badsig-prevouts.json');
    writeFileSync(prevoutsFile, JSON.stringify(prevouts));
    const res = runCli(['block', 'verify', file, '--prevouts', prevoutsFile, '--no-pow']);
    assert.equal(res.status, 1, res.stderr);
    const out = report(res.stdout);
    assert.equal(out.valid, false);
    assert.match(String(out.reason), /^mandatory-script-verify-flag-failed \(.+\)$/);
  });

  it('refuses prevouts that belong to another block (usage error, exit 2)', () => {
    const block1 = sharedPath('blocks', 'mainnet', 'block1.raw');
    const res = runCli(['block', 'verify', block1, '--prevouts', PREVOUTS]);
    assert.equal(res.status, 2);
    assert.match(res.stderr, /are for block 0000000000000000821c/);
  });

  it('turns truncated bytes into a clean decode failure, not a crash', () => {
    const file = join(tmp, 'trunc.raw');
    writeFileSync(file, readShared('blocks', 'mainnet', 'block300025.raw').subarray(0, 5000));
    const res = runCli(['block', 'verify', file]);
    assert.equal(res.status, 1);
    const out = report(res.stdout);
    assert.equal(out.valid, false);
    assert.equal(out.reason, 'block-decode-failed');
  });

  it('reports a missing file and a bad option as usage errors (exit 2)', () => {
    const missing = runCli(['block', 'verify', join(tmp, 'nope.raw')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read block file/);
    const badNet = runCli(['block', 'verify', BLOCK, '--network', 'moon']);
    assert.equal(badNet.status, 2);
    assert.match(badNet.stderr, /unknown network 'moon'/);
  });
});
