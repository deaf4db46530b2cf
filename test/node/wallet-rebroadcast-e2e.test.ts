import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { RpcClient } from '../../src/rpc/client.js';
import { readCookie } from '../../src/rpc/auth.js';
import { NodeProcess, plainJson } from '../support/node-process.js';
import { TestChain } from '../support/test-chain.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns `want` (deep-equal) or `timeoutMs` passes. */
async function waitFor<T>(read: () => Promise<T>, want: T, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (Date.now() < deadline) {
    try {
      assert.deepEqual(last, want);
      return;
    } catch {
      await sleep(200);
      last = await read();
    }
  }
  assert.deepEqual(last, want, what);
}

/**
 * Core's MaybeResendWalletTxs end to end: node A pays from its wallet while it has no peers, so
 * nobody hears of the payment. Node B then connects and syncs, and still has an empty mempool
 * (nothing announces an old mempool transaction to a new peer). Once A's best block is more than
 * 5 minutes younger than the payment, A's periodic rebroadcast (-walletrebroadcastdelay=1 instead
 * of Core's 12-36 h) announces it, and B's mempool gets it.
 */
describe('tally node: the wallet rebroadcasts its unconfirmed payment to peers', () => {
  const datadir = mkdtempSync(join(tmpdir(), 'tally-rebroadcast-'));
  const clients: RpcClient[] = [];
  after(async () => {
    for (const c of clients) c.close();
    await NodeProcess.killAll();
    rmSync(datadir, { recursive: true, force: true });
  });

  it('a payment made with no peers reaches a peer that connects later', { timeout: 60_000 }, async () => {
    writeFileSync(join(datadir, 'tally.conf'), 'walletrebroadcastdelay=1\n');
    const a = await NodeProcess.start({ datadir, listen: true, args: ['--config', 'tally.conf'] });
    await a.call('createwallet', ['w', false, false, '', false, true, false]);
    const credentials = readCookie(a.cookieFile);
    if (credentials === undefined) throw new Error('no cookie');
    const client = new RpcClient({ host: '127.0.0.1', port: a.rpcPort, ...credentials, wallet: 'w' });
    clients.push(client);
    const w = async <T>(method: string, params: unknown[] = []) =>
      plainJson(await client.call(method, params)) as T;

    // 101 blocks paying A's wallet, dated within the last hour (so A is out of initial block
    // download) and built here, so that one more block can be dated in the future below.
    const address = await w<string>('getnewaddress');
    const info = await w<{ scriptPubKey: string }>('getaddressinfo', [address]);
    const tc = new TestChain();
    const start = Math.floor(Date.now() / 1000) - 3600;
    const blocks = Array.from({ length: 101 }, (_, i) =>
      tc.block({ time: start + i, payTo: fromHex(info.scriptPubKey) }),
    );
    const results = await a.batch<unknown>(blocks.map((b) => ['submitblock', [toHex(b.encode())]] as const));
    assert.ok(
      results.every((r) => r === null),
      JSON.stringify(results.filter((r) => r !== null)),
    );
    assert.equal(await a.call('getblockcount'), 101);

    const txid = await w<string>('sendtoaddress', [await w<string>('getnewaddress'), 1.5]);
    assert.deepEqual(await a.call('getrawmempool'), [txid]);

    const b = await NodeProcess.start({ args: ['--connect', `127.0.0.1:${a.p2pPort}`] });
    await waitFor(() => b.call('getblockcount'), 101, 20_000, 'B synced from A');
    // Several of A's 1-3 s rebroadcast checks pass, but the payment is younger than A's best block
    // time minus 5 minutes, so nobody announces it.
    await sleep(3_000);
    assert.deepEqual(await b.call('getrawmempool'), [], 'not announced yet');

    // A block 10 minutes ahead (within the 2 h future limit) makes the payment old enough.
    const future = tc.block({ time: Math.floor(Date.now() / 1000) + 600, payTo: fromHex(info.scriptPubKey) });
    assert.equal(await a.call('submitblock', [toHex(future.encode())]), null);
    await waitFor(() => b.call('getblockcount'), 102, 20_000, 'B got the new block');
    await waitFor(() => b.call('getrawmempool'), [txid], 15_000, "A's rebroadcast reached B");
    assert.deepEqual(await a.call('getrawmempool'), [txid], 'still unconfirmed on A');
    assert.match(a.log(), /rebroadcast unconfirmed wallet transactions to peers/);
    await b.stop();
    assert.deepEqual(await a.stop(), { code: 0, signal: null });
  });
});
