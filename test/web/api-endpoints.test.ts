import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { toHex } from '../../src/encoding/hex.js';
import { RpcServer } from '../../src/rpc/server.js';
import { createRegistry } from '../../src/rpc/methods/index.js';
import { networkHashPs } from '../../src/rpc/methods/mining.js';
import { verifyTxProof } from '../../src/web/tx-proof.js';
import { openApiDocument } from '../../src/web/api/openapi.js';
import { ExplorerFixture } from './api-fixture.js';
import type {
  AddressInfo,
  AddressTx,
  ApiErrorBody,
  BlockDetail,
  BlockSummary,
  MempoolSummary,
  MempoolTx,
  OpenApiJson,
  Page,
  SearchResult,
  Status,
  Tx,
  TxProof,
} from './api-types.js';

describe('explorer REST API: every endpoint on a chain with transactions', () => {
  let f: ExplorerFixture;
  before(async () => {
    f = await ExplorerFixture.create();
  });
  after(async () => {
    await f?.destroy();
  });

  it('GET /api/status: tip, mempool, peers, address index', async () => {
    const r = await f.get<Status>('/api/status');
    assert.equal(r.status, 200);
    assert.match(r.type ?? '', /^application\/json/);
    assert.equal(r.json.network, 'regtest');
    assert.equal(r.json.height, 103);
    assert.equal(r.json.bestBlockHash, f.chain.tip.hashHex());
    assert.equal(r.json.bits, '207fffff');
    assert.equal(r.json.target.length, 64);
    assert.ok(r.json.hashRate > 0);
    // The same estimate getnetworkhashps prints (120 blocks, the tip).
    assert.equal(r.json.hashRate, networkHashPs(f.chain, 120, -1));
    assert.equal(r.json.mempool.count, 1);
    assert.equal(r.json.mempool.vsize, f.pending.vsize());
    assert.equal(r.json.mempool.totalFee, 10_000);
    assert.equal(r.json.mempool.feeRates.p50, Math.round((10_000 / f.pending.vsize()) * 1000) / 1000);
    assert.deepEqual(r.json.peers, { count: 0, inbound: 0, outbound: 0 });
    assert.deepEqual(r.json.addressIndex, { enabled: true, height: 103, synced: true, progress: 1 });
  });

  it('GET /api/blocks: newest first, paginated by start height', async () => {
    const r = await f.get<Page<BlockSummary>>('/api/blocks?limit=3');
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.json.items.map((b) => b.height),
      [103, 102, 101],
    );
    assert.equal(r.json.next, 100);
    assert.equal(r.json.items[1]!.txCount, 2);
    assert.equal(r.json.items[1]!.fees, 10_000);
    const last = await f.get<Page<BlockSummary>>('/api/blocks?start=1&limit=5');
    assert.deepEqual(
      last.json.items.map((b) => b.height),
      [1, 0],
    );
    assert.equal(last.json.next, null);
  });

  it('GET /api/block/<hash|height>: header fields, sizes, links', async () => {
    const b = f.blocks[101]!;
    const byHeight = await f.get<BlockDetail>('/api/block/102');
    const byHash = await f.get<BlockDetail>(`/api/block/${b.hashHex()}`);
    assert.equal(byHeight.status, 200);
    assert.deepEqual(byHeight.json, byHash.json);
    const j = byHash.json;
    assert.equal(j.hash, b.hashHex());
    assert.equal(j.height, 102);
    assert.equal(j.confirmations, 2);
    assert.equal(j.previousBlockHash, f.blocks[100]!.hashHex());
    assert.equal(j.nextBlockHash, f.blocks[102]!.hashHex());
    assert.equal(j.header, toHex(b.header.encode()));
    assert.equal(j.txCount, 2);
    assert.equal(j.size, b.totalSize());
    assert.equal(j.weight, b.weight());
    assert.equal(j.inActiveChain, true);
    const genesis = await f.get<BlockDetail>('/api/block/0');
    assert.equal(genesis.json.previousBlockHash, null);
    const tip = await f.get<BlockDetail>('/api/block/103');
    assert.equal(tip.json.nextBlockHash, null);
  });

  it('GET /api/block/<id>/txs: transaction objects, paginated', async () => {
    const r = await f.get<Page<Tx>>('/api/block/102/txs?limit=1');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 1);
    assert.equal(r.json.items[0]!.coinbase, true);
    assert.equal(r.json.next, 1);
    const page2 = await f.get<Page<Tx>>('/api/block/102/txs?offset=1&limit=1');
    assert.equal(page2.json.items[0]!.txid, f.pay.txidHex());
    assert.equal(page2.json.items[0]!.fee, 10_000);
    assert.equal(page2.json.next, null);
  });

  it('GET /api/tx/<txid>: confirmed, with prevouts, fee, spentBy and status', async () => {
    const r = await f.get<Tx>(`/api/tx/${f.pay.txidHex()}`);
    assert.equal(r.status, 200);
    const j = r.json;
    assert.equal(j.txid, f.pay.txidHex());
    assert.equal(j.fee, 10_000);
    assert.equal(j.coinbase, false);
    assert.equal(j.vin[0]!.prevout?.value, 5_000_000_000);
    assert.equal(j.vin[0]!.prevout?.scriptPubKey.address, f.address);
    assert.equal(j.vout[0]!.scriptPubKey.address, f.legacyAddress);
    assert.equal(j.vout[0]!.scriptPubKey.type, 'pubkeyhash');
    // Output 0 was spent in block 103 (the address index's spent records say by whom); 1 is unspent.
    assert.deepEqual(j.vout[0]!.spentBy, { txid: f.spend.txidHex(), vin: 0 });
    assert.equal(j.vout[1]!.spentBy, null);
    assert.deepEqual(j.status, {
      confirmed: true,
      blockHash: f.blocks[101]!.hashHex(),
      height: 102,
      index: 1,
      time: f.blocks[101]!.header.time,
      confirmations: 2,
    });
  });

  it('GET /api/tx/<txid>: a mempool transaction, and spentBy a mempool spender', async () => {
    const r = await f.get<Tx>(`/api/tx/${f.pending.txidHex()}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.status, { confirmed: false, confirmations: 0 });
    assert.equal(r.json.fee, 10_000);
    const coinbase = f.blocks[1]!.txs[0]!;
    const spentCoinbase = await f.get<Tx>(`/api/tx/${coinbase.txidHex()}`);
    assert.deepEqual(spentCoinbase.json.vout[0]!.spentBy, { txid: f.pending.txidHex(), vin: 0 });
    assert.equal(spentCoinbase.json.fee, null);
  });

  it('GET /api/tx/<txid>/proof: exactly the contract fields, and it verifies', async () => {
    const r = await f.get<TxProof>(`/api/tx/${f.spend.txidHex()}/proof`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json).sort(), [
      'blockhash',
      'branch',
      'header',
      'height',
      'index',
      'txid',
    ]);
    assert.equal(r.json.blockhash, f.blocks[102]!.hashHex());
    assert.equal(r.json.height, 103);
    assert.equal(r.json.index, 1);
    const verdict = verifyTxProof(r.json, regtest.consensus.powLimit);
    assert.equal(verdict.valid, true, JSON.stringify(verdict));
    const unconfirmed = await f.get(`/api/tx/${f.pending.txidHex()}/proof`);
    assert.equal(unconfirmed.status, 404);
    assert.equal(unconfirmed.json.error.code, 'tx-unconfirmed');
  });

  it('GET /api/address/<addr> (+ /txs, /utxos): totals, history, unspent outputs, mempool', async () => {
    const r = await f.get<AddressInfo>(`/api/address/${f.legacyAddress}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.type, 'pubkeyhash');
    assert.equal(r.json.received, 1_000_000_000);
    assert.equal(r.json.sent, 1_000_000_000);
    assert.equal(r.json.balance, 0);
    assert.equal(r.json.txCount, 2);
    assert.equal(r.json.utxoCount, 0);
    assert.deepEqual(r.json.unconfirmed, { balance: 700_000_000, txCount: 1 });
    assert.deepEqual(r.json.index, { height: 103, synced: true });
    const txs = await f.get<Page<AddressTx>>(`/api/address/${f.legacyAddress}/txs`);
    assert.deepEqual(
      txs.json.items.map((t) => [t.txid, t.height, t.delta]),
      [
        [f.pending.txidHex(), null, 700_000_000],
        [f.spend.txidHex(), 103, -1_000_000_000],
        [f.pay.txidHex(), 102, 1_000_000_000],
      ],
    );
    assert.equal(txs.json.next, null);
    const paged = await f.get<Page<AddressTx>>(`/api/address/${f.legacyAddress}/txs?offset=1&limit=1`);
    assert.deepEqual(
      paged.json.items.map((t) => t.txid),
      [f.spend.txidHex()],
    );
    assert.equal(paged.json.next, 2);
    const utxos = await f.get<Page<unknown>>(`/api/address/${f.legacyAddress}/utxos`);
    assert.deepEqual(utxos.json.items, [
      {
        txid: f.pending.txidHex(),
        vout: 0,
        value: 700_000_000,
        height: null,
        confirmations: 0,
        spentBy: null,
      },
    ]);
    // A confirmed output the pending transaction spends is still listed, marked as being spent.
    type Utxo = { txid: string; vout: number; spentBy: unknown };
    const all: Utxo[] = [];
    for (let offset: number | null = 0; offset !== null && all.length < 1_000; ) {
      const page: { json: Page<Utxo> } = await f.get<Page<Utxo>>(
        `/api/address/${f.address}/utxos?offset=${offset}&limit=50`,
      );
      all.push(...page.json.items);
      offset = page.json.next;
    }
    const spentCoin = f.pending.inputs[0]!.prevout;
    assert.deepEqual(
      all.filter((u) => u.spentBy !== null).map((u) => [u.txid, u.vout, u.spentBy]),
      [[spentCoin.txid(), spentCoin.index, { txid: f.pending.txidHex(), vin: 0 }]],
    );
    const rich = await f.get<Page<unknown>>(`/api/address/${f.address}/utxos?limit=2`);
    assert.equal(rich.json.items.length, 2);
    assert.equal(rich.json.next, 2);
  });

  it('GET /api/mempool and /api/mempool/txs', async () => {
    const r = await f.get<MempoolSummary>('/api/mempool');
    assert.equal(r.status, 200);
    assert.equal(r.json.count, 1);
    assert.equal(r.json.histogram.length, 1);
    assert.equal(r.json.histogram[0]![1], f.pending.vsize());
    const txs = await f.get<Page<MempoolTx>>('/api/mempool/txs?limit=10');
    assert.deepEqual(
      txs.json.items.map((t) => [t.txid, t.fee, t.vsize]),
      [[f.pending.txidHex(), 10_000, f.pending.vsize()]],
    );
    assert.equal(txs.json.next, null);
  });

  it('GET /api/peers: the list (empty without P2P)', async () => {
    const r = await f.get<Page<unknown>>('/api/peers');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { items: [] });
  });

  it('GET /api/search: height, block hash, txid, address, nothing', async () => {
    const height = await f.get<SearchResult>('/api/search?q=102');
    assert.deepEqual(height.json, {
      type: 'block',
      id: f.blocks[101]!.hashHex(),
      url: `/block/${f.blocks[101]!.hashHex()}`,
    });
    const hash = await f.get<SearchResult>(`/api/search?q=${f.blocks[5]!.hashHex()}`);
    assert.equal(hash.json.type, 'block');
    const tx = await f.get<SearchResult>(`/api/search?q=${f.pay.txidHex()}`);
    assert.deepEqual(tx.json, { type: 'tx', id: f.pay.txidHex(), url: `/tx/${f.pay.txidHex()}` });
    const mem = await f.get<SearchResult>(`/api/search?q=${f.pending.txidHex()}`);
    assert.equal(mem.json.type, 'tx');
    const addr = await f.get<SearchResult>(`/api/search?q=${f.address}`);
    assert.equal(addr.json.type, 'address');
    const none = await f.get('/api/search?q=hello');
    assert.equal(none.status, 404);
    assert.equal(none.json.error.code, 'not-found');
  });

  it('GET /api/openapi.json describes every /api route the server has', async () => {
    const r = await f.get<OpenApiJson>('/api/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.json.openapi, '3.1.0');
    const paths = Object.keys(openApiDocument.paths).sort();
    assert.deepEqual(Object.keys(r.json.paths).sort(), paths);
    // Every documented path answers something other than the catch-all's "no such endpoint".
    for (const path of paths) {
      if (path === '/api/events') continue;
      const concrete = path
        .replace('{id}', '1')
        .replace('{txid}', f.pay.txidHex())
        .replace('{addr}', f.address);
      const res = await f.get<Partial<ApiErrorBody>>(concrete);
      assert.notEqual(res.json.error?.code, 'not-found', `${path} is routed`);
    }
    for (const schema of Object.values(r.json.components.schemas)) assert.ok(schema.type ?? schema.anyOf);
  });

  it('serves the UI: pages, hashed assets with immutable caching, no traversal', async () => {
    for (const path of [
      '/',
      '/blocks',
      '/mempool',
      `/block/5`,
      `/tx/${f.pay.txidHex()}`,
      `/address/${f.address}`,
    ]) {
      const r = await f.get(path);
      assert.equal(r.status, 200, path);
      assert.match(r.type ?? '', /^text\/html/);
      assert.match(r.text, /ui test/);
    }
    const asset = await f.get('/assets/index-AbCdEf12.js');
    assert.equal(asset.status, 200);
    assert.match(asset.type ?? '', /^text\/javascript/);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    const icon = await f.get('/favicon.svg');
    assert.equal(icon.type, 'image/svg+xml');
    for (const evil of [
      '/assets/%E0%A4%A',
      '/assets/../index.html',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const r = await f.get(evil);
      assert.ok(r.status === 404 || r.status === 400 || r.text.includes('ui test'), `${evil}: ${r.status}`);
      assert.ok(!r.text.includes('"name"'), evil);
    }
  });

  it('JSON-RPC keeps its authentication next to the explorer', async () => {
    const post = await f.get('/', { method: 'POST', body: '{"method":"getblockcount"}' });
    assert.equal(post.status, 401);
    const apiPost = await f.get('/api/status', { method: 'POST', body: '{}' });
    assert.equal(apiPost.status, 405);
    assert.equal(apiPost.json.error.code, 'method-not-allowed');
  });

  it('without the explorer GET / answers 405 and /api is not served', async () => {
    const plain = new RpcServer(
      { network: regtest, datadir: f.dir, cookieFile: `${f.dir}/plain.cookie`, port: 0 },
      { registry: createRegistry(), context: { network: regtest, startTime: 0, now: () => 0 } },
    );
    await plain.start();
    try {
      const port = plain.addresses()[0]!.port;
      const root = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(root.status, 405);
      const api = await fetch(`http://127.0.0.1:${port}/api/status`);
      assert.equal(api.status, 404);
    } finally {
      await plain.stop();
    }
  });
});
