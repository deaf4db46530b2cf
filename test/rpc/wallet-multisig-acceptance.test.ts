import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RpcClient } from '../../src/rpc/client.js';
import { readCookie } from '../../src/rpc/auth.js';
import { NodeProcess, plainJson } from '../support/node-process.js';

type Json = Record<string, unknown>;

/**
 * Issue #4's acceptance test: a 2-of-3 multisig payment between three wallets on two `tally node`
 * processes connected over loopback P2P. Wallets A and B live on node 1, C (encrypted) on node 2;
 * each gives a public key; a watch-only wallet on node 1 imports wsh(multi(2,A,B,C)) and funds a
 * PSBT from it; A signs on node 1, C on node 2 (the PSBT travels between the nodes as base64), and
 * the combined, finalized transaction pays a wallet on node 2, confirmed on both nodes.
 */

/** An RPC client for `/wallet/<name>` on `node`, as bitcoin-cli -rpcwallet. */
function walletClient(node: NodeProcess, wallet: string) {
  const credentials = readCookie(node.cookieFile);
  if (credentials === undefined) throw new Error('no cookie');
  const client = new RpcClient({
    host: '127.0.0.1',
    port: node.rpcPort,
    ...credentials,
    wallet,
    timeoutMs: 60_000,
  });
  return {
    call: async <T = unknown>(method: string, params: unknown[] | Record<string, unknown> = []): Promise<T> =>
      plainJson(await client.call(method, params)) as T,
    close: () => client.close(),
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('2-of-3 multisig PSBT across two nodes (acceptance)', () => {
  const clients: { close(): void }[] = [];
  after(async () => {
    for (const c of clients) c.close();
    await NodeProcess.killAll();
  });

  it('pays from a 2-of-3 multisig with signatures made on two nodes', { timeout: 240_000 }, async () => {
    const node1 = await NodeProcess.start({ listen: true });
    const node2 = await NodeProcess.start({ args: ['--connect', `127.0.0.1:${node1.p2pPort}`, '--debug'] });
    try {
      await waitFor('the P2P connection', async () =>
        (await node2.call<number>('getconnectioncount')) > 0 ? true : undefined,
      );
      const open = (node: NodeProcess, name: string) => {
        const c = walletClient(node, name);
        clients.push(c);
        return c;
      };
      const passphrase = 'c-never-logs-this-passphrase';
      await node1.call('createwallet', ['A']);
      await node1.call('createwallet', ['B']);
      await node2.call('createwallet', { wallet_name: 'C', passphrase });
      await node2.call('createwallet', ['receiver']);
      await node1.call('createwallet', { wallet_name: 'shared', disable_private_keys: true, blank: true });
      const A = open(node1, 'A');
      const B = open(node1, 'B');
      const C = open(node2, 'C');
      const receiver = open(node2, 'receiver');
      const shared = open(node1, 'shared');

      // Each cosigner gives a public key.
      const pubkeys: string[] = [];
      for (const w of [A, B, C]) {
        const address = await w.call<string>('getnewaddress');
        pubkeys.push((await w.call<Json>('getaddressinfo', [address])).pubkey as string);
      }
      const multisig = await node1.call<Json>('createmultisig', [2, pubkeys, 'bech32']);
      for (const w of [A, C]) {
        const added = await w.call<Json>('addmultisigaddress', [2, pubkeys, 'vault', 'bech32']);
        assert.equal(added.address, multisig.address);
      }
      const [imported] = await shared.call<Json[]>('importdescriptors', [
        [{ desc: multisig.descriptor, timestamp: 'now', label: 'vault' }],
      ]);
      assert.deepEqual(imported, { success: true });

      // Fund the multisig from A's mined coins; node 2 follows over P2P.
      const aAddress = await A.call<string>('getnewaddress');
      await node1.call('generatetoaddress', [101, aAddress]);
      const funding = await A.call<string>('sendtoaddress', [multisig.address, 5]);
      await node1.call('generatetoaddress', [1, aAddress]);
      const height = await node1.call<number>('getblockcount');
      await waitFor('node 2 to sync', async () =>
        (await node2.call<number>('getblockcount')) === height ? true : undefined,
      );
      assert.deepEqual((await shared.call<Json>('getbalances')).mine, {
        trusted: 5,
        untrusted_pending: 0,
        immature: 0,
      });
      const [coin] = await shared.call<Json[]>('listunspent');
      assert.equal(coin!.txid, funding);

      // The watch-only wallet creates the PSBT, choosing its solvable coin itself (include_watching);
      // A signs on node 1, C on node 2.
      const pay = await receiver.call<string>('getnewaddress', ['from the vault']);
      const funded = await shared.call<Json>('walletcreatefundedpsbt', [
        [],
        [{ [pay]: 1.25 }],
        0,
        { changeAddress: multisig.address, fee_rate: 3 },
      ]);
      const analysis = await node1.call<Json>('analyzepsbt', [funded.psbt]);
      assert.equal(analysis.next, 'signer');
      const signedA = await A.call<Json>('walletprocesspsbt', [funded.psbt]);
      assert.equal(signedA.complete, false);
      await C.call('walletpassphrase', [passphrase, 60]);
      const signedC = await C.call<Json>('walletprocesspsbt', [funded.psbt]);
      assert.equal(signedC.complete, false);
      await C.call('walletlock');

      const combined = await node1.call<string>('combinepsbt', [[signedA.psbt, signedC.psbt]]);
      const sigs = ((await node1.call<Json>('decodepsbt', [combined])).inputs as Json[])[0]!
        .partial_signatures as Json;
      assert.equal(Object.keys(sigs).length, 2);
      const final = await node1.call<Json>('finalizepsbt', [combined]);
      assert.equal(final.complete, true);
      const txid = await node1.call<string>('sendrawtransaction', [final.hex]);
      await waitFor('the payment to reach node 2', async () =>
        (await node2.call<string[]>('getrawmempool')).includes(txid) ? true : undefined,
      );
      await node1.call('generatetoaddress', [1, aAddress]);

      // Confirmed on both nodes.
      const received = await waitFor('the block on node 2', async () => {
        const tx = await receiver.call<Json>('gettransaction', [txid]);
        return tx.confirmations === 1 ? tx : undefined;
      });
      assert.equal(received.amount, 1.25);
      assert.deepEqual((received.details as Json[])[0]!.label, 'from the vault');
      assert.deepEqual((await receiver.call<Json>('getbalances')).mine, {
        trusted: 1.25,
        untrusted_pending: 0,
        immature: 0,
      });
      const spent = await shared.call<Json>('gettransaction', [txid]);
      assert.equal(spent.confirmations, 1);
      assert.equal(spent.blockhash, await node1.call<string>('getbestblockhash'));
      assert.equal(await node2.call<string>('getbestblockhash'), spent.blockhash);
      const change = (await shared.call<Json>('getbalances')).mine as Json;
      assert.equal(change.trusted, 5 - 1.25 + (spent.fee as number));

      // walletpassphrase left no trace of the passphrase in either node's log, though node 2 logs
      // every RPC call at debug level.
      assert.match(node2.log(), /"method":"walletpassphrase"/);
      assert.ok(!node2.log().includes(passphrase));
      assert.ok(!node1.log().includes(passphrase));
      assert.deepEqual(await node2.stop(), { code: 0, signal: null });
      assert.deepEqual(await node1.stop(), { code: 0, signal: null });
    } finally {
      await node2.destroy();
      await node1.destroy();
    }
  });
});
