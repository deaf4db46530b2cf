import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { RpcError } from '../../src/rpc/errors.js';
import { handleBody, type RequestState } from '../../src/rpc/protocol.js';
import { RpcHarness } from './support.js';

/** An executor with one method, `echo`, returning its params, and `fail`, throwing -8. */
async function exec(s: RequestState): Promise<unknown> {
  if (s.method === 'echo') return s.params;
  if (s.method === 'fail') throw new RpcError(-8, 'bad');
  if (s.method === 'bug') throw new Error('oops');
  throw new RpcError(-32601, 'Method not found');
}

const parse = (body: string | undefined) => JSON.parse(body ?? 'null') as unknown;

describe('JSON-RPC envelopes (handleBody)', () => {
  it('1.0: both result and error, id echoed whatever its type', async () => {
    for (const id of [1, 'a', null, { x: [1] }]) {
      const r = await handleBody(JSON.stringify({ method: 'echo', params: [1], id }), exec);
      assert.equal(r.status, 200);
      assert.deepEqual(parse(r.body), { result: [1], error: null, id });
    }
    const noId = await handleBody('{"method":"echo"}', exec);
    assert.equal(noId.body, '{"result":[],"error":null}\n');
    const legacy = await handleBody('{"jsonrpc":"1.0","method":"echo","id":7}', exec);
    assert.equal(legacy.body, '{"result":[],"error":null,"id":7}\n');
  });

  it('1.0 errors are HTTP errors: 404 method not found, 400 invalid request, 500 otherwise', async () => {
    const notFound = await handleBody('{"method":"nope","id":1}', exec);
    assert.equal(notFound.status, 404);
    assert.equal(
      notFound.body,
      '{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":1}\n',
    );
    const missing = await handleBody('{"id":2}', exec);
    assert.equal(missing.status, 400);
    assert.deepEqual(parse(missing.body), {
      result: null,
      error: { code: -32600, message: 'Missing method' },
      id: 2,
    });
    assert.equal((await handleBody('{"method":1}', exec)).status, 400);
    const badParams = await handleBody('{"method":"echo","params":"x","id":3}', exec);
    assert.deepEqual(parse(badParams.body), {
      result: null,
      error: { code: -32600, message: 'Params must be an array or object' },
      id: 3,
    });
    const failing = await handleBody('{"method":"fail","id":4}', exec);
    assert.equal(failing.status, 500);
    assert.deepEqual(parse(failing.body), { result: null, error: { code: -8, message: 'bad' }, id: 4 });
    const bug = await handleBody('{"method":"bug","id":5}', exec);
    assert.deepEqual(parse(bug.body), { result: null, error: { code: -1, message: 'oops' }, id: 5 });
  });

  it('2.0: only one of result/error, errors are HTTP 200, notifications get 204', async () => {
    const ok = await handleBody('{"jsonrpc":"2.0","method":"echo","id":1}', exec);
    assert.equal(ok.body, '{"jsonrpc":"2.0","result":[],"id":1}\n');
    const err = await handleBody('{"jsonrpc":"2.0","method":"nope","id":1}', exec);
    assert.equal(err.status, 200);
    assert.equal(err.body, '{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":1}\n');
    const note = await handleBody('{"jsonrpc":"2.0","method":"fail"}', exec);
    assert.deepEqual(note, { status: 204 });
    const nullId = await handleBody('{"jsonrpc":"2.0","method":"echo","id":null}', exec);
    assert.equal(nullId.body, '{"jsonrpc":"2.0","result":[],"id":null}\n');
  });

  it('refuses unknown versions', async () => {
    const v3 = await handleBody('{"jsonrpc":"3.0","method":"echo","id":1}', exec);
    assert.equal(v3.status, 400);
    assert.match(v3.body ?? '', /JSON-RPC version not supported/);
    assert.match(
      (await handleBody('{"jsonrpc":2,"method":"echo"}', exec)).body ?? '',
      /jsonrpc field must be a string/,
    );
  });

  it('batches: in order, always 200, each member with its own version, notifications left out', async () => {
    const r = await handleBody(
      JSON.stringify([
        { method: 'echo', params: [1], id: 1 },
        { jsonrpc: '2.0', method: 'nope', id: 2 },
        { jsonrpc: '2.0', method: 'echo' },
        5,
        { method: 'fail', id: 'x' },
      ]),
      exec,
    );
    assert.equal(r.status, 200);
    assert.deepEqual(parse(r.body), [
      { result: [1], error: null, id: 1 },
      { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: 2 },
      { result: null, error: { code: -32600, message: 'Invalid Request object' }, id: null },
      { result: null, error: { code: -8, message: 'bad' }, id: 'x' },
    ]);
    assert.deepEqual(await handleBody('[{"jsonrpc":"2.0","method":"echo"}]', exec), { status: 204 });
    assert.deepEqual(await handleBody('[]', exec), { status: 200, body: '[]\n' });
  });

  it('parse errors: -32700 with id null, HTTP 500', async () => {
    for (const body of ['', '{', 'garbage', '{"method":"echo",}', '\u0000']) {
      const r = await handleBody(body, exec);
      assert.equal(r.status, 500);
      assert.equal(r.body, '{"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null}\n');
    }
    for (const body of ['5', '"x"', 'null', 'true']) {
      const r = await handleBody(body, exec);
      assert.equal(
        r.body,
        '{"result":null,"error":{"code":-32700,"message":"Top-level object parse error"},"id":null}\n',
      );
    }
  });

  it('refuses documents nested deeper than UniValue reads (512)', async () => {
    const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const ok = await handleBody(`{"method":"echo","params":${nested(510)},"id":1}`, exec);
    assert.equal(ok.status, 200);
    for (const body of [nested(600), `{"method":"echo","id":${nested(200_000)}}`]) {
      const r = await handleBody(body, exec);
      assert.equal(r.body, '{"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null}\n');
    }
  });

  it('never throws and always answers JSON, whatever the body (fuzz)', async () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('1.0'), fc.jsonValue()),
            method: fc.oneof(fc.constantFrom('echo', 'fail', 'bug', 'nope'), fc.jsonValue()),
            params: fc.jsonValue(),
            id: fc.jsonValue(),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(Math.random() < 0.3 ? [o, o] : o)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const r = await handleBody(body, exec);
        assert.ok([200, 204, 400, 404, 500].includes(r.status));
        if (r.status === 204) assert.equal(r.body, undefined);
        else JSON.parse(r.body!);
      }),
      { numRuns: 500 },
    );
  });
});

describe('JSON-RPC over HTTP', () => {
  let h: RpcHarness;
  before(async () => {
    h = await RpcHarness.create({ bare: true, server: { bodyLimit: 4096 } });
  });
  after(() => h.destroy());

  it('serves POST / and /wallet/<name>, whatever the Content-Type', async () => {
    const contentTypes: Record<string, string>[] = [
      {},
      { 'content-type': 'application/json' },
      { 'content-type': 'text/plain;' },
      { 'content-type': ';;bogus' },
    ];
    for (const headers of contentTypes) {
      const r = await h.post('{"method":"uptime","id":1}', headers);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.equal(r.text, '{"result":60,"error":null,"id":1}\n');
    }
    const w = await h.post('{"method":"uptime","id":1}', {}, '/wallet/my%20wallet');
    assert.equal(w.status, 200);
  });

  it('answers HTTP errors as bitcoind does', async () => {
    assert.equal((await h.post('{"method":"nope","id":1}')).status, 404);
    assert.equal((await h.post('{"id":1}')).status, 400);
    assert.equal((await h.post('{"method":"getblockhash","params":["x"],"id":1}')).status, 500);
    const notify = await h.post('{"jsonrpc":"2.0","method":"uptime"}');
    assert.equal(notify.status, 204);
    assert.equal(notify.text, '');
    const get = await fetch(`http://127.0.0.1:${h.port}/`, { headers: { authorization: h.auth } });
    assert.equal(get.status, 405);
    assert.equal(await get.text(), 'JSONRPC server handles only POST requests');
    assert.equal((await h.post('{}', {}, '/other')).status, 404);
    assert.equal((await h.post('x'.repeat(5000))).status, 413);
  });

  it('help, uptime and stop (which calls the shutdown hook after replying)', async () => {
    assert.equal(await h.call('uptime'), 60);
    assert.match(String(await h.call('help')), /^== Blockchain ==\ngetbestblockhash\n/);
    assert.match(
      String(await h.call('help', ['getblockhash'])),
      /^getblockhash height\n\nReturns hash of block/,
    );
    assert.equal(await h.call('help', ['nope']), 'help: unknown command: nope');
    assert.equal(await h.call('stop'), 'Tally stopping');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(h.shutdowns, 1);
  });

  it('survives random bodies and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const r = await h.post(bytes);
        assert.ok([200, 204, 400, 404, 500].includes(r.status), String(r.status));
      }),
      { numRuns: 150 },
    );
    const r = await h.post('{"method":"uptime","id":1}');
    assert.equal(r.status, 200);
  });
});
