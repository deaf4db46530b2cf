import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeSegwitAddress } from '../../../src/encoding/bech32.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { classifyScript } from '../../../src/script/templates.js';
import { WalletError } from '../../../src/wallet/api.js';
import { EngineHarness, MNEMONIC } from './harness.js';

describe('wallet manager: create, load, persist, unload', () => {
  let h: EngineHarness;
  before(async () => {
    h = await EngineHarness.create();
  });
  after(async () => {
    await h.destroy();
  });

  it('creates a wallet whose addresses of each type decode and are recognised', async () => {
    const w = await h.wallets.create({ name: 'alice', mnemonic: MNEMONIC, loadOnStartup: true });
    const bech32 = await w.getNewAddress('pay', 'bech32');
    const legacy = await w.getNewAddress('', 'legacy');
    const nested = await w.getNewAddress(undefined, 'p2sh-segwit');
    assert.equal(classifyScript(h.script(bech32)).type, 'witness_v0_keyhash');
    assert.equal(classifyScript(h.script(legacy)).type, 'pubkeyhash');
    assert.equal(classifyScript(h.script(nested)).type, 'scripthash');
    assert.ok(decodeSegwitAddress(regtest.addressPrefixes.bech32, bech32));
    // BIP84 test vector (abandon…about): m/84'/1'/0'/0/0 on test networks.
    assert.equal(bech32, 'bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk');
    for (const a of [bech32, legacy, nested]) {
      const info = w.getAddressInfo(a);
      assert.equal(info.isMine, true);
      assert.equal(info.solvable, true);
      assert.equal(info.isChange, false);
      assert.match(info.desc ?? '', /#[0-9a-z]{8}$/);
    }
    assert.deepEqual(w.getAddressInfo(bech32).labels, ['pay']);
    assert.equal(w.getAddressInfo(bech32).hdKeyPath, 'm/84h/1h/0h/0/0');
    const change = await w.getRawChangeAddress();
    assert.equal(w.getAddressInfo(change).isChange, true);
    assert.equal(w.getAddressInfo(change).hdKeyPath, 'm/84h/1h/0h/1/0');
    assert.deepEqual(h.wallets.loaded(), ['alice']);
    assert.deepEqual(h.wallets.onDisk(), ['alice']);
    const settings = JSON.parse(readFileSync(join(h.dir, 'regtest', 'settings.json'), 'utf8'));
    assert.deepEqual(settings.wallet, ['alice']);
  });

  it('refuses a second wallet of the same name and a double load', async () => {
    await assert.rejects(
      h.wallets.create({ name: 'alice' }),
      (e: unknown) => e instanceof WalletError && e.code === 'WALLET_ALREADY_LOADED',
    );
    await assert.rejects(
      h.wallets.load('alice'),
      (e: unknown) => e instanceof WalletError && e.rpcCode === -35,
    );
    await assert.rejects(
      h.wallets.load('nobody'),
      (e: unknown) => e instanceof WalletError && e.code === 'WALLET_NOT_FOUND',
    );
    await assert.rejects(h.wallets.create({ name: '../escape' }), WalletError);
  });

  it('persists indexes and labels across unload/load and a restart with load_on_startup', async () => {
    const w = h.wallets.get('alice')!;
    const before = await w.getNewAddress('second');
    await h.wallets.unload('alice');
    assert.deepEqual(h.wallets.loaded(), []);
    await assert.rejects(
      h.wallets.unload('alice'),
      (e: unknown) => e instanceof WalletError && e.rpcCode === -18,
    );
    const again = await h.wallets.load('alice');
    const next = await again.getNewAddress();
    assert.notEqual(next, before, 'an address handed out is never handed out again');
    assert.deepEqual(again.getAddressInfo(before).labels, ['second']);
    await h.restart();
    assert.deepEqual(h.wallets.loaded(), ['alice'], 'load_on_startup wallet is loaded at start-up');
    const third = await h.wallets.get('alice')!.getNewAddress();
    assert.notEqual(third, next);
    await h.wallets.unload('alice', false);
    const settings = JSON.parse(readFileSync(join(h.dir, 'regtest', 'settings.json'), 'utf8'));
    assert.deepEqual(settings.wallet, []);
    assert.ok(existsSync(join(h.dir, 'regtest', 'wallets', 'alice', 'keystore')));
  });

  it('a wallet without private keys has no keystore and no addresses', async () => {
    const w = await h.wallets.create({ name: 'watch', disablePrivateKeys: true });
    assert.equal(w.info().privateKeysEnabled, false);
    assert.ok(!existsSync(join(h.dir, 'regtest', 'wallets', 'watch', 'keystore')));
    await assert.rejects(
      w.getNewAddress(),
      (e: unknown) => e instanceof WalletError && e.code === 'KEYPOOL_RAN_OUT',
    );
    await assert.rejects(
      w.send({ recipients: [{ address: 'bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk', amount: 1000 }] }),
      (e: unknown) => e instanceof WalletError && e.code === 'PRIVATE_KEYS_DISABLED',
    );
  });
});
