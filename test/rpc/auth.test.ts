import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  checkAuthorization,
  cookiePath,
  generateRpcAuth,
  hashCredential,
  networkDataDir,
  parseRpcAuth,
  passwordHmac,
  timingSafeStringEqual,
} from '../../src/rpc/auth.js';
import { ClientFilter, parseBindAddress } from '../../src/rpc/net-access.js';
import { RpcHarness } from './support.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Bitcoin Core's test/functional/rpc_users.py credential. */
const CORE_RPCAUTH =
  'rt:93648e835a54c573682c2eb19f882535$7681e9c5b74bdd85e78166031d2058e1069b3ed7ed967c93fc63abba06f31144';
const CORE_PASSWORD = 'cA773lm788buwYe4g4WT+05pKyNruVKjQ25x3n0DQcM=';

describe('RPC credentials', () => {
  it('places the cookie in the network data directory as bitcoind does', () => {
    assert.equal(networkDataDir('/d', 'main'), '/d');
    assert.equal(networkDataDir('/d', 'testnet'), join('/d', 'testnet3'));
    assert.equal(cookiePath('/d', 'regtest'), join('/d', 'regtest', '.cookie'));
  });

  it('checks rpcauth lines like Core (rpc_users.py vector)', () => {
    const record = parseRpcAuth(CORE_RPCAUTH);
    assert.equal(passwordHmac(record.salt, CORE_PASSWORD), record.hash);
    assert.equal(checkAuthorization(basic('rt', CORE_PASSWORD), [record]), 'rt');
    assert.equal(checkAuthorization(basic('rt', 'wrong'), [record]), undefined);
    assert.equal(checkAuthorization(basic('rt2', CORE_PASSWORD), [record]), undefined);
    assert.throws(() => parseRpcAuth('no-salt'), /Invalid -rpcauth argument/);
    assert.throws(() => parseRpcAuth('a:b:c$d'), /Invalid -rpcauth argument/);
    const generated = generateRpcAuth('alice', 'secret');
    assert.equal(checkAuthorization(basic('alice', 'secret'), [parseRpcAuth(generated.line)]), 'alice');
  });

  it('refuses malformed Authorization headers', () => {
    const records = [hashCredential('u', 'p:with:colons')];
    assert.equal(checkAuthorization(basic('u', 'p:with:colons'), records), 'u');
    for (const header of [
      undefined,
      '',
      'Basic',
      'Bearer abc',
      'Basic !!!!',
      `Basic ${Buffer.from('nocolon').toString('base64')}`,
    ]) {
      assert.equal(checkAuthorization(header, records), undefined, String(header));
    }
    assert.ok(timingSafeStringEqual('abc', 'abc'));
    assert.ok(!timingSafeStringEqual('abc', 'abcd'));
  });
});

describe('RPC server authentication', () => {
  it('writes a 0600 cookie at start, accepts it, and removes it at shutdown', async () => {
    const h = await RpcHarness.create({ bare: true });
    const path = cookiePath(h.datadir, 'regtest');
    try {
      assert.ok(existsSync(path));
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.match(readFileSync(path, 'utf8'), /^__cookie__:[0-9a-f]{64}$/);
      assert.equal((await h.post('{"method":"uptime","id":1}')).status, 200);
    } finally {
      await h.destroy();
    }
    assert.ok(!existsSync(path));
  });

  it('answers 401 with WWW-Authenticate without or with wrong credentials', async () => {
    const h = await RpcHarness.create({ bare: true });
    try {
      for (const auth of [undefined, basic('__cookie__', 'wrong'), basic('someone', 'x'), 'Basic %%%']) {
        const headers: Record<string, string> = auth === undefined ? {} : { authorization: auth };
        const res = await fetch(`http://127.0.0.1:${h.port}/`, {
          method: 'POST',
          body: '{"method":"uptime"}',
          headers,
        });
        assert.equal(res.status, 401, String(auth));
        assert.equal(res.headers.get('www-authenticate'), 'Basic realm="jsonrpc"');
        assert.equal(await res.text(), '');
      }
    } finally {
      await h.destroy();
    }
  });

  it('delays a wrong password by 250 ms (brute-force deterrent)', async () => {
    const h = await RpcHarness.create({ bare: true, server: { authFailureDelayMs: undefined } });
    try {
      const t0 = performance.now();
      const r = await h.post('{}', { authorization: basic('__cookie__', 'nope') });
      assert.equal(r.status, 401);
      assert.ok(performance.now() - t0 >= 240);
    } finally {
      await h.destroy();
    }
  });

  it('uses rpcuser/rpcpassword instead of a cookie, and rpcauth besides', async () => {
    const h = await RpcHarness.create({
      bare: true,
      server: { user: 'alice', password: 'hunter2', rpcauth: [CORE_RPCAUTH] },
    });
    try {
      assert.ok(!existsSync(cookiePath(h.datadir, 'regtest')));
      assert.equal(
        (await h.post('{"method":"uptime"}', { authorization: basic('alice', 'hunter2') })).status,
        200,
      );
      assert.equal(
        (await h.post('{"method":"uptime"}', { authorization: basic('rt', CORE_PASSWORD) })).status,
        200,
      );
      assert.equal(
        (await h.post('{"method":"uptime"}', { authorization: basic('alice', 'hunter3') })).status,
        401,
      );
      assert.equal(
        (await h.post('{"method":"uptime"}', { authorization: basic('__cookie__', 'x') })).status,
        401,
      );
    } finally {
      await h.destroy();
    }
  });
});

describe('RPC network access', () => {
  it('allows loopback always and -rpcallowip entries besides', () => {
    const none = new ClientFilter([]);
    assert.ok(none.allowed('127.0.0.1'));
    assert.ok(none.allowed('127.4.5.6'));
    assert.ok(none.allowed('::1'));
    assert.ok(none.allowed('::ffff:127.0.0.1'));
    assert.ok(!none.allowed('10.0.0.5'));
    assert.ok(!none.allowed(undefined));
    const some = new ClientFilter(['10.0.0.0/8', '192.168.1.0/255.255.255.0', '203.0.113.7', 'fd00::/8']);
    assert.ok(some.allowed('10.9.9.9'));
    assert.ok(some.allowed('::ffff:10.1.2.3'));
    assert.ok(some.allowed('192.168.1.200'));
    assert.ok(!some.allowed('192.168.2.1'));
    assert.ok(some.allowed('203.0.113.7'));
    assert.ok(!some.allowed('203.0.113.8'));
    assert.ok(some.allowed('fd12::1'));
    for (const bad of ['nonsense', '10.0.0.0/33', '1.2.3.4/255.0.255.0', '1.2.3.4/x']) {
      assert.throws(() => new ClientFilter([bad]), /Invalid -rpcallowip subnet specification/);
    }
  });

  it('parses -rpcbind addresses', () => {
    assert.deepEqual(parseBindAddress('127.0.0.1', 18443), { host: '127.0.0.1', port: 18443 });
    assert.deepEqual(parseBindAddress('0.0.0.0:9000', 18443), { host: '0.0.0.0', port: 9000 });
    assert.deepEqual(parseBindAddress('[::1]:9000', 1), { host: '::1', port: 9000 });
    assert.deepEqual(parseBindAddress('::1', 7), { host: '::1', port: 7 });
    assert.throws(() => parseBindAddress('host:99999', 1), /Invalid port/);
  });

  it('binds only loopback unless both rpcbind and rpcallowip are given', async () => {
    const h = await RpcHarness.create({ bare: true, server: { bind: ['0.0.0.0'] } });
    try {
      assert.deepEqual(
        h.server.addresses().map((a) => a.address),
        ['127.0.0.1'],
      );
    } finally {
      await h.destroy();
    }
    const open = await RpcHarness.create({
      bare: true,
      server: { bind: ['127.0.0.2'], allowIp: ['10.0.0.0/8'] },
    });
    try {
      assert.deepEqual(
        open.server.addresses().map((a) => a.address),
        ['127.0.0.2'],
      );
    } finally {
      await open.destroy();
    }
  });
});
