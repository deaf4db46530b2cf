/**
 * `tally node` under abuse and around its lifecycle, as a child process: malformed and unauthorised
 * RPC requests get bitcoind's answers without taking it down; SIGTERM shuts it down as cleanly as
 * `stop`; `stop` interrupts a long generatetoaddress promptly and leaves a consistent store; a second
 * node on the same data directory is refused without disturbing the first.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { equalBytes } from '../../src/encoding/bytes.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import { RpcClient, RpcTransportError } from '../../src/rpc/client.js';
import { NodeProcess } from '../support/node-process.js';
import { type SpendableOutput, TestChain, TestKey } from '../support/test-chain.js';
import { checkMempool, readActiveChain, regtestAddress, replayActiveChain, rpcError } from './node-checks.js';

describe('tally node: bad requests and lifecycle', { timeout: 150_000 }, () => {
  const key = TestKey.fromSeed('node-lifecycle');
  const address = regtestAddress(key);
  const tc = new TestChain({ key });
  const datadir = mkdtempSync(join(tmpdir(), 'tally-node-life-'));
  let node: NodeProcess;
  let coin: SpendableOutput;
  let height = 0;
  let best = '';

  const checkAll = async () => {
    const chain = await readActiveChain(node);
    await (await replayActiveChain(node, chain)).destroy();
    await checkMempool(node, chain);
    return chain;
  };

  before(async () => {
    node = await NodeProcess.start({ datadir });
    const mined = await node.call<string[]>('generatetoaddress', [101, address]);
    height = 101;
    best = mined[100]!;
    const block1 = Block.decode(fromHex(await node.call<string>('getblock', [mined[0], 0])));
    coin = tc.outputs(block1.txs[0]!).find((o) => equalBytes(o.scriptPubKey, key.p2wpkh()))!;
  });
  after(async () => {
    await NodeProcess.killAll();
    rmSync(datadir, { recursive: true, force: true });
  });

  it("answers malformed calls with bitcoind's errors and keeps running", async () => {
    const parse = await node.post('{"method": "getblockcount", ');
    assert.equal(parse.status, 500);
    assert.deepEqual(JSON.parse(parse.text), {
      result: null,
      error: { code: -32700, message: 'Parse error' },
      id: null,
    });
    const deep = await node.post('['.repeat(100_000));
    assert.equal(deep.status, 500);
    assert.equal((JSON.parse(deep.text) as { error: { code: number } }).error.code, -32700);
    const notFound = await node.post('{"method":"nosuchmethod","params":[],"id":7}');
    assert.equal(notFound.status, 404);
    assert.deepEqual(JSON.parse(notFound.text), {
      result: null,
      error: { code: -32601, message: 'Method not found' },
      id: 7,
    });
    const invalid = await node.post('{"method":1,"id":1}');
    assert.equal(invalid.status, 400);
    assert.equal((JSON.parse(invalid.text) as { error: { code: number } }).error.code, -32600);
    const batch = await node.post('[{"method":"getblockcount","id":1},{"method":"nosuch","id":2}]');
    assert.equal(batch.status, 200);
    assert.deepEqual(JSON.parse(batch.text), [
      { result: height, error: null, id: 1 },
      { result: null, error: { code: -32601, message: 'Method not found' }, id: 2 },
    ]);

    await rpcError(node.call('nosuchmethod'), -32601, 'Method not found');
    await rpcError(
      node.call('getblockhash', ['abc']),
      -3,
      'Wrong type passed:\n{\n    "Position 1 (height)": "JSON value of type string is not of expected type number"\n}',
    );
    await rpcError(
      node.call('getblock', [123]),
      -3,
      'Wrong type passed:\n{\n    "Position 1 (blockhash)": "JSON value of type number is not of expected type string"\n}',
    );
    await rpcError(node.call('getblockhash', []), -1, /^getblockhash height\n/);
    await rpcError(node.call('getblockcount', { foo: 1 }), -8, 'Unknown named parameter foo');
    await rpcError(node.call('getblockhash', [1000]), -8, 'Block height out of range');
    await rpcError(node.call('getblockhash', [-1]), -8, 'Block height out of range');
    await rpcError(node.call('getblock', ['zz']), -8, "blockhash must be of length 64 (not 2, for 'zz')");
    const notHex = 'g'.repeat(64);
    await rpcError(
      node.call('getblock', [notHex]),
      -8,
      `blockhash must be hexadecimal string (not '${notHex}')`,
    );
    const unknown = '11'.repeat(32);
    await rpcError(node.call('getblock', [unknown]), -5, 'Block not found');
    await rpcError(node.call('getblockheader', [unknown]), -5, 'Block not found');
    await rpcError(node.call('invalidateblock', [unknown]), -5, 'Block not found');
    await rpcError(
      node.call('getrawtransaction', [unknown]),
      -5,
      'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.',
    );
    const decodeFailed = 'TX decode failed. Make sure the tx has at least one input.';
    await rpcError(node.call('sendrawtransaction', ['zz']), -22, decodeFailed);
    await rpcError(node.call('sendrawtransaction', ['00']), -22, decodeFailed);
    const truncated = toHex(tc.spend([coin]).encode()).slice(0, -2);
    await rpcError(node.call('sendrawtransaction', [truncated]), -22, decodeFailed);
    await rpcError(node.call('decoderawtransaction', ['zz']), -22, 'TX decode failed');
    await rpcError(node.call('generatetoaddress', [1, 'notanaddress']), -5, 'Error: Invalid address');

    // Authentication: a wrong password, none at all, and the client's reading of a 401.
    const wrong = `Basic ${Buffer.from('__cookie__:wrong').toString('base64')}`;
    const denied = await node.post('{"method":"getblockcount"}', wrong);
    assert.deepEqual(denied, { status: 401, text: '' });
    const anonymous = await fetch(`http://127.0.0.1:${node.rpcPort}/`, {
      method: 'POST',
      body: '{"method":"getblockcount"}',
    });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Basic realm="jsonrpc"');
    const get = await fetch(`http://127.0.0.1:${node.rpcPort}/`, {
      headers: { Authorization: wrong },
    });
    assert.equal(get.status, 405);
    const bad = new RpcClient({ host: '127.0.0.1', port: node.rpcPort, user: '__cookie__', password: 'x' });
    await assert.rejects(bad.call('getblockcount'), (err: unknown) => {
      assert.ok(err instanceof RpcTransportError);
      assert.match(err.message, /^Authorization failed/);
      return true;
    });
    bad.close();
    // Bytes that are not HTTP at all: the connection is dropped, the server goes on.
    await new Promise<void>((resolve, reject) => {
      const socket = connect(node.rpcPort, '127.0.0.1', () => socket.end('\x00\xff garbage \r\n\r\n'));
      socket.on('error', reject);
      socket.on('close', () => resolve());
      socket.resume();
      socket.setTimeout(10_000, () => socket.destroy(new Error('no close')));
    });

    assert.equal(node.exitCode, undefined, 'the node is still running');
    assert.equal(await node.call('getblockcount'), height);
    assert.equal(await node.call('getbestblockhash'), best);
  });

  it('refuses a second node on the same data directory without disturbing the first', async () => {
    const cookie = readFileSync(node.cookieFile, 'utf8');
    const second = NodeProcess.spawn({ datadir });
    const exit = await second.waitExit(30_000);
    assert.equal(exit.signal, null);
    assert.equal(exit.code, 1, second.log());
    assert.match(
      second.log(),
      /Cannot obtain a lock on data directory .*\. Tally is probably already running\./,
    );
    assert.equal(readFileSync(node.cookieFile, 'utf8'), cookie, "the first node's cookie is untouched");
    assert.equal(await node.call('getblockcount'), height);
  });

  it('SIGTERM shuts down as cleanly as stop: exit 0, cookie removed, mempool.dat written and reloaded', async () => {
    const tx = tc.spend([coin]);
    await node.call('sendrawtransaction', [toHex(tx.encode())]);
    process.kill(node.pid, 'SIGTERM');
    assert.deepEqual(await node.waitExit(30_000), { code: 0, signal: null });
    assert.equal(existsSync(node.cookieFile), false);
    assert.ok(existsSync(join(node.networkDir, 'mempool.dat')));
    node = await NodeProcess.start({ datadir });
    assert.deepEqual(await node.call('getrawmempool'), [tx.txidHex()]);
    assert.equal(await node.call('getbestblockhash'), best);
    await checkAll();
  });

  it('stop interrupts a long generatetoaddress promptly and leaves a consistent store', async () => {
    const long = node.call('generatetoaddress', [20_000, address]).then(
      () => 'finished',
      (err: unknown) => err,
    );
    // Let it mine a while (bounded), then ask it to stop.
    let seen = height;
    for (let i = 0; i < 100 && seen < height + 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await node.call<number>('getblockcount');
    }
    assert.ok(seen > height, 'generatetoaddress is mining');
    const stopAsked = Date.now();
    assert.equal(await node.call('stop'), 'Tally stopping');
    assert.deepEqual(await node.waitExit(30_000), { code: 0, signal: null });
    const stopMs = Date.now() - stopAsked;
    const outcome = await long;
    assert.ok(
      outcome instanceof RpcTransportError,
      `the interrupted call fails on the transport: ${String(outcome)}`,
    );
    assert.ok(stopMs < 10_000, `stopped in ${stopMs} ms`);

    node = await NodeProcess.start({ datadir });
    const chain = await checkAll();
    assert.ok(chain.blocks.length - 1 >= seen, 'the blocks mined before the stop are kept');
    assert.ok(chain.blocks.length - 1 < height + 20_000, 'mining stopped');
    // Still works: mine on, then a clean stop.
    await node.call('generatetoaddress', [1, address]);
    assert.deepEqual(await node.stop(), { code: 0, signal: null });
  });
});
