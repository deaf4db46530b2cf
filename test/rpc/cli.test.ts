import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toHex } from '../../src/encoding/hex.js';
import { runCliAsync } from '../cli/run-cli.js';
import { RpcHarness } from './support.js';

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
      runCliAsync([...base, 'getblockcount']),
      runCliAsync([...base, 'getbestblockhash']),
      runCliAsync([...base, 'getblock', hash1, '2']),
      runCliAsync([...base, 'getblockhash', '9']),
      runCliAsync([...base, '--named', 'getblockheader', `blockhash=${hash1}`, 'verbose=false']),
      runCliAsync([...base, 'getnetworkhashps', '-1']),
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
    const nothing = await runCliAsync([...base, 'invalidateblock', h.blocks[2]!.hashHex()]);
    assert.deepEqual(nothing, { status: 0, stdout: '', stderr: '' });
  });

  it('keeps string parameters as text and reports transport failures', async () => {
    const [script, badPassword, refused, noCookie, unknown] = await Promise.all([
      runCliAsync([...base, 'decodescript', '51']),
      runCliAsync([...base, '--rpcuser', '__cookie__', '--rpcpassword', 'wrong', 'getblockcount']),
      runCliAsync(['rpc', '--rpcpassword', 'x', '--rpcconnect', '127.0.0.1:1', 'getblockcount']),
      runCliAsync(['rpc', '--datadir', join(h.datadir, 'nowhere'), '--network', 'regtest', 'getblockcount']),
      runCliAsync([...base, 'nosuchmethod']),
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
