import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, parseConfigFile, type RawOptions, resolveConfig } from '../../src/node/config.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cli = (pairs: Record<string, string | string[]>): RawOptions =>
  new Map(Object.entries(pairs).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

describe('node configuration', () => {
  it('defaults follow bitcoind per network (ports, data subdirectory, loopback RPC)', () => {
    const main = resolveConfig(cli({ datadir: dir }));
    assert.equal(main.network.name, 'main');
    assert.equal(main.port, 8333);
    assert.equal(main.rpcport, 8332);
    assert.equal(main.networkDir, dir);
    assert.equal(main.rpcbind, undefined, 'loopback unless the user binds elsewhere');
    const reg = resolveConfig(cli({ datadir: dir, regtest: '1' }));
    assert.equal(reg.network.name, 'regtest');
    assert.equal(reg.port, 18444);
    assert.equal(reg.rpcport, 18443);
    assert.equal(reg.networkDir, join(dir, 'regtest'));
    assert.equal(resolveConfig(cli({ datadir: dir, chain: 'test' })).networkDir, join(dir, 'testnet3'));
  });

  it('command line beats the network section, which beats the top level', () => {
    writeFileSync(join(dir, 'tally.conf'), 'regtest=1\nrpcport=1000\nport=2000\n[regtest]\nrpcport=3000\n');
    const fromFile = resolveConfig(cli({ datadir: dir, conf: 'tally.conf' }));
    assert.equal(fromFile.network.name, 'regtest');
    assert.equal(fromFile.rpcport, 3000);
    assert.equal(fromFile.port, 2000);
    assert.equal(resolveConfig(cli({ datadir: dir, conf: 'tally.conf', rpcport: '4000' })).rpcport, 4000);
  });

  it('repeated options collect (connect, addnode)', () => {
    const c = resolveConfig(cli({ datadir: dir, regtest: '1', connect: ['127.0.0.1:1', '127.0.0.1:2'] }));
    assert.deepEqual(c.connect, ['127.0.0.1:1', '127.0.0.1:2']);
  });

  it('refuses bad values, unknown keys and conflicting networks with a clear message', () => {
    assert.throws(() => resolveConfig(cli({ datadir: dir, port: '70000' })), /-port must be an integer/);
    assert.throws(() => resolveConfig(cli({ datadir: dir, listen: 'maybe' })), /-listen must be 0\/1/);
    assert.throws(
      () => resolveConfig(cli({ datadir: dir, regtest: '1', testnet: '1' })),
      /conflicting networks/,
    );
    assert.throws(
      () => parseConfigFile('rpcprot=1\n', 'x.conf'),
      (e: unknown) => e instanceof ConfigError && /x.conf:1: unknown option 'rpcprot'/.test(e.message),
    );
    assert.throws(() => parseConfigFile('[moon]\n'), /unknown section/);
    assert.throws(
      () => resolveConfig(cli({ datadir: dir, conf: 'missing.conf' })),
      /cannot read config file/,
    );
  });
});
