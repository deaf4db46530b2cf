import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RpcClient } from '../../src/rpc/client.js';
import { readCookie } from '../../src/rpc/auth.js';
import { NodeProcess, plainJson } from '../support/node-process.js';

type Json = Record<string, unknown>;

/**
 * A payment sent just before `kill -9` is not lost: the node comes back without a mempool.dat
 * (nothing is saved on SIGKILL), the wallet loads at start-up and puts its unconfirmed payment back
 * into the mempool (Core's ResubmitWalletTransactions), and the next block confirms it.
 */
describe('tally node: a wallet payment survives kill -9', () => {
  const datadir = mkdtempSync(join(tmpdir(), 'tally-resubmit-'));
  const clients: RpcClient[] = [];
  after(async () => {
    for (const c of clients) c.close();
    await NodeProcess.killAll();
    rmSync(datadir, { recursive: true, force: true });
  });

  const wallet = (node: NodeProcess) => {
    const credentials = readCookie(node.cookieFile);
    if (credentials === undefined) throw new Error('no cookie');
    const client = new RpcClient({ host: '127.0.0.1', port: node.rpcPort, ...credentials, wallet: 'w' });
    clients.push(client);
    return async <T>(method: string, params: unknown[] = []) =>
      plainJson(await client.call(method, params)) as T;
  };

  it('the unconfirmed payment is back in the mempool after the restart and confirms', {
    timeout: 120_000,
  }, async () => {
    const first = await NodeProcess.start({ datadir });
    // createwallet name, disable_private_keys, blank, passphrase, avoid_reuse, descriptors, load_on_startup
    await first.call('createwallet', ['w', false, false, '', false, true, true]);
    const w1 = wallet(first);
    const mine = await w1<string>('getnewaddress');
    await first.call('generatetoaddress', [101, mine]);
    const payee = await w1<string>('getnewaddress');
    const txid = await w1<string>('sendtoaddress', [payee, 1.25]);
    assert.deepEqual(await first.call('getrawmempool'), [txid]);
    assert.equal((await first.kill()).signal, 'SIGKILL');

    const second = await NodeProcess.start({ datadir });
    assert.deepEqual(await second.call('listwallets'), ['w'], 'loaded at start-up');
    assert.deepEqual(await second.call('getrawmempool'), [txid], 'resubmitted by the wallet');
    const w2 = wallet(second);
    assert.equal((await w2<Json>('gettransaction', [txid])).confirmations, 0);
    await second.call('generatetoaddress', [1, mine]);
    assert.equal((await w2<Json>('gettransaction', [txid])).confirmations, 1);
    assert.deepEqual(await second.call('getrawmempool'), []);
    assert.deepEqual(await second.stop(), { code: 0, signal: null });
  });
});
