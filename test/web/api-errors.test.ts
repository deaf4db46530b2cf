import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ExplorerFixture } from './api-fixture.js';
import type { Status } from './api-types.js';

const UNKNOWN = 'ab'.repeat(32);

describe('explorer REST API: bad parameters get a 4xx JSON error and the node keeps answering', () => {
  let f: ExplorerFixture;
  before(async () => {
    f = await ExplorerFixture.create();
  });
  after(async () => {
    await f?.destroy();
  });

  const cases: [path: string, status: number, code: string][] = [
    // Malformed input: 400.
    ['/api/tx/1234', 400, 'invalid-txid'],
    [`/api/tx/${'g'.repeat(64)}`, 400, 'invalid-txid'],
    [`/api/tx/${'a'.repeat(65)}/proof`, 400, 'invalid-txid'],
    ['/api/block/-1', 400, 'invalid-block-id'],
    ['/api/block/1.5', 400, 'invalid-block-id'],
    ['/api/block/99999999999', 400, 'invalid-block-id'],
    [`/api/block/${'z'.repeat(64)}/txs`, 400, 'invalid-block-id'],
    ['/api/blocks?limit=0', 400, 'invalid-limit'],
    ['/api/blocks?limit=101', 400, 'invalid-limit'],
    ['/api/blocks?limit=abc', 400, 'invalid-limit'],
    ['/api/blocks?limit=1&limit=2', 400, 'invalid-limit'],
    ['/api/blocks?start=-5', 400, 'invalid-start'],
    ['/api/block/1/txs?offset=-1', 400, 'invalid-offset'],
    ['/api/block/1/txs?offset=99999999', 400, 'invalid-offset'],
    ['/api/mempool/txs?limit=1000', 400, 'invalid-limit'],
    ['/api/address/notanaddress', 400, 'invalid-address'],
    // A mainnet address on a regtest node.
    ['/api/address/bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 400, 'invalid-address'],
    // A bad checksum.
    ['/api/address/bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt081/txs', 400, 'invalid-address'],
    ['/api/address/mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn/utxos?limit=0', 400, 'invalid-limit'],
    ['/api/search', 400, 'invalid-query'],
    ['/api/search?q=', 400, 'invalid-query'],
    // Not valid percent-encoding.
    ['/api/tx/%E0%A4%A', 400, 'bad-url'],
    ['/api/address/%ZZ/txs', 400, 'bad-url'],
    ['/api/blocks?limit=%', 400, 'invalid-limit'],
    // Unknown things: 404.
    [`/api/tx/${UNKNOWN}`, 404, 'tx-not-found'],
    [`/api/tx/${UNKNOWN}/proof`, 404, 'tx-not-found'],
    [`/api/block/${UNKNOWN}`, 404, 'block-not-found'],
    ['/api/block/104', 404, 'block-not-found'],
    ['/api/block/2147483647/txs', 404, 'block-not-found'],
    [`/api/search?q=${UNKNOWN}`, 404, 'not-found'],
    ['/api/search?q=5000', 404, 'not-found'],
    ['/api/nothing/here', 404, 'not-found'],
  ];

  for (const [path, status, code] of cases) {
    it(`${path} -> ${status} ${code}`, async () => {
      const r = await f.get(path);
      assert.equal(r.status, status, r.text);
      assert.match(r.type ?? '', /^application\/json/);
      assert.equal(r.json.error.code, code);
      assert.equal(typeof r.json.error.message, 'string');
      assert.ok(r.json.error.message.length > 10);
    });
  }

  it('answers normally afterwards, with the chain unchanged', async () => {
    await Promise.all(cases.map(([path]) => f.get(path)));
    const r = await f.get<Status>('/api/status');
    assert.equal(r.status, 200);
    assert.equal(r.json.height, 103);
    assert.equal(f.chain.height, 103);
  });

  it('503 with progress while the address index is behind, 503 when it is off', async () => {
    // Stop following the chain, then mine past it: the index trails by more than it may.
    await f.index.close();
    for (const b of f.tc.mine(3)) await f.process(b);
    const r = await f.get(`/api/address/${f.address}`);
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, 'address-index-syncing');
    assert.equal(typeof r.json.error.progress, 'number');
    assert.ok((r.json.error.progress ?? 1) < 1);
  });
});
