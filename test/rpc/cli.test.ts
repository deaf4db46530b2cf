import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toHex } from '../../src/encoding/hex.js';
import { REPO_ROOT } from '../support/shared.js';
import { RpcHarness } from './support.js';

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `tally <args>` from the sources, asynchronously: the server answering it runs in this process,
 * so a synchronous spawn would deadlock.
 */
function tally(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), ...args], {
      cwd: REPO_ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('tally rpc against a running server', () => {
  let h: RpcHarness;
  let base: string[];

  before(async () => {
    h = await RpcHarness.create({ blocks: 3 });
    base = ['rpc', '--datadir', h.datadir, '--network', 'regtest', '--rpcport', String(h.port)];
  });
  after(() => h.destroy());

  it('prints results as bitcoin-cli does, errors with their code (exit 1)', async () => {
    const hash1 = h.blocks[0]!.hashHex();
    const [count, best, block, missing, named, negative] = await Promise.all([
      tally([...base, 'getblockcount']),
      tally([...base, 'getbestblockhash']),
      tally([...base, 'getblock', hash1, '2']),
      tally([...base, 'getblockhash', '9']),
      tally([...base, '--named', 'getblockheader', `blockhash=${hash1}`, 'verbose=false']),
      tally([...base, 'getnetworkhashps', '-1']),
    ]);
    assert.deepEqual(count, { status: 0, stdout: '3\n', stderr: '' });
    assert.equal(best.stdout, `${h.blocks[2]!.hashHex()}\n`);
    assert.equal(block.status, 0);
    assert.match(block.stdout, /^\{\n {2}"hash": "[0-9a-f]{64}",\n {2}"confirmations": 3,/);
    assert.match(block.stdout, /\n {10}"value": 50\.00000000,\n/);
    assert.deepEqual(missing, {
      status: 1,
      stdout: '',
      stderr: 'error code: -8\nerror message:\nBlock height out of range\n',
    });
    assert.equal(named.stdout, `${toHex(h.blocks[0]!.header.encode())}\n`);
    assert.equal(negative.status, 0, negative.stderr);
    // A null result prints nothing (run last: it changes the tip the calls above read).
    const nothing = await tally([...base, 'invalidateblock', h.blocks[2]!.hashHex()]);
    assert.deepEqual(nothing, { status: 0, stdout: '', stderr: '' });
  });

  it('keeps string parameters as text and reports transport failures', async () => {
    const [script, badPassword, refused, noCookie, unknown] = await Promise.all([
      tally([...base, 'decodescript', '51']),
      tally([...base, '--rpcuser', '__cookie__', '--rpcpassword', 'wrong', 'getblockcount']),
      tally(['rpc', '--rpcpassword', 'x', '--rpcconnect', '127.0.0.1:1', 'getblockcount']),
      tally(['rpc', '--datadir', join(h.datadir, 'nowhere'), '--network', 'regtest', 'getblockcount']),
      tally([...base, 'nosuchmethod']),
    ]);
    assert.equal(script.status, 0, script.stderr);
    assert.match(script.stdout, /"asm": "1",/);
    assert.deepEqual(badPassword, {
      status: 1,
      stdout: '',
      stderr: 'error: Authorization failed: Incorrect rpcuser or rpcpassword\n',
    });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^error: Could not connect to the server 127\.0\.0\.1:1\n/);
    assert.equal(noCookie.status, 2);
    assert.match(noCookie.stderr, /Could not locate RPC credentials/);
    assert.equal(unknown.stderr, 'error code: -32601\nerror message:\nMethod not found\n');
  });
});
