import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { addressFromScript } from '../../../src/script/address.js';
import {
  type AddressType,
  type ListedDescriptor,
  WalletError,
  type WalletApi,
} from '../../../src/wallet/api.js';
import { parseDescriptor } from '../../../src/wallet/descriptors/index.js';
import { HDKey } from '../../../src/wallet/keys/bip32.js';
import { mnemonicToSeed } from '../../../src/wallet/keys/bip39.js';
import { encodeWif } from '../../../src/wallet/keys/wif.js';
import { ADDRESS_TYPES } from '../../../src/wallet/keychain/wallet-scripts.js';
import { EngineHarness, MNEMONIC } from './harness.js';

/** Every HD account type the wallet makes (BIP44/49/84, and BIP86 where the wallet has it). */
const TYPES: readonly AddressType[] = ADDRESS_TYPES;
const CHAINS = 2 * TYPES.length;
const PASSPHRASE = 'correct horse battery staple';

const walletError = (code: string, message?: string) => (e: unknown) =>
  e instanceof WalletError && e.code === code && (message === undefined || e.message === message);

/** The next `n` receive and change addresses of every type (hands them out). */
async function nextAddresses(w: WalletApi, n: number, types = TYPES): Promise<string[]> {
  const out: string[] = [];
  for (const type of types) {
    for (let i = 0; i < n; i++) {
      out.push(await w.getNewAddress('', type), await w.getRawChangeAddress(type));
    }
  }
  return out;
}

/** importdescriptors requests that recreate what listdescriptors printed (Core's documented use). */
function asImports(listed: readonly ListedDescriptor[]) {
  return listed.map((d) => ({
    desc: d.desc,
    timestamp: d.timestamp,
    ...(d.active ? { active: true, internal: d.internal === true } : {}),
    ...(d.range === undefined ? {} : { range: [d.range[0], d.range[1]] as [number, number] }),
    ...(d.nextIndex === undefined ? {} : { nextIndex: d.nextIndex }),
  }));
}

describe('listdescriptors', () => {
  let h: EngineHarness;
  let w: WalletApi;
  before(async () => {
    h = await EngineHarness.create();
    await h.mine(1, []);
    w = await h.wallets.create({ name: 'hd', mnemonic: MNEMONIC });
  });
  after(async () => {
    await h.destroy();
  });

  it('lists the HD chains (receive and change of each account) as Core does: origin, account tpub, range, next index, sorted', async () => {
    const firstAddress = await w.getNewAddress('', 'bech32');
    await w.getNewAddress('', 'bech32');
    await w.getRawChangeAddress('legacy');
    const listed = await w.listDescriptors(false);
    assert.equal(listed.length, CHAINS);
    assert.deepEqual(
      listed.map((d) => d.desc),
      listed.map((d) => d.desc).sort(),
    );
    // abandon…about: master fingerprint 73c5da0a (BIP84 test vector).
    const receive = listed.find((d) => d.desc.startsWith('wpkh(') && d.desc.includes('/0/*)'))!;
    assert.match(
      receive.desc,
      /^wpkh\(\[73c5da0a\/84h\/1h\/0h\]tpub[1-9A-HJ-NP-Za-km-z]+\/0\/\*\)#[a-z0-9]{8}$/,
    );
    assert.deepEqual(
      { ...receive, desc: '' },
      {
        desc: '',
        timestamp: w.info().birthTime,
        active: true,
        internal: false,
        range: [0, 21],
        nextIndex: 2,
      },
    );
    const legacyChange = listed.find((d) => d.desc.startsWith('pkh(') && d.desc.includes('/1/*)'))!;
    assert.equal(legacyChange.internal, true);
    assert.equal(legacyChange.nextIndex, 1);
    assert.ok(listed.some((d) => d.desc.startsWith('sh(wpkh([73c5da0a/49h/1h/0h]tpub')));
    // Each descriptor derives exactly the wallet's addresses, first one included.
    const first = parseDescriptor(receive.desc, { network: regtest, requireChecksum: true }).expand(0);
    assert.equal(addressFromScript(first.scriptPubKey, regtest.addressPrefixes), firstAddress);
  });

  it('private=true prints the master tprv with the full path; its normalized form is the public one', async () => {
    const pub = await w.listDescriptors(false);
    const priv = await w.listDescriptors(true);
    const master = HDKey.fromSeed(mnemonicToSeed(MNEMONIC)).toBase58(regtest);
    assert.equal(priv.length, CHAINS);
    for (const d of priv) {
      assert.ok(d.desc.includes(`${master}/`), d.desc);
      const normalized = parseDescriptor(d.desc, {
        network: regtest,
        requireChecksum: true,
      }).toNormalizedString();
      assert.ok(
        pub.some((p) => p.desc === normalized && p.range?.[1] === d.range?.[1]),
        normalized,
      );
    }
  });

  it('round-trips: the public listing imported into a blank watch-only wallet derives the same addresses', async () => {
    const listed = await w.listDescriptors(false);
    const watcher = await h.wallets.create({ name: 'watcher', disablePrivateKeys: true, blank: true });
    const results = await watcher.importDescriptors(asImports(listed));
    assert.ok(
      results.every((r) => r.success),
      JSON.stringify(results),
    );
    // Imported active descriptors serve getnewaddress for the three types descriptor-scripts.ts
    // hands out; every account's scripts (tr() included) are watched either way.
    const served: readonly AddressType[] = ['legacy', 'p2sh-segwit', 'bech32'];
    assert.deepEqual(await nextAddresses(watcher, 3, served), await nextAddresses(w, 3, served));
    for (const a of await nextAddresses(w, 3)) assert.equal(watcher.getAddressInfo(a).isMine, true, a);
    // The watcher lists them back unchanged, but cannot print private forms.
    const again = await watcher.listDescriptors(false);
    assert.deepEqual(
      again.map((d) => d.desc),
      (await w.listDescriptors(false)).map((d) => d.desc),
    );
    await assert.rejects(
      watcher.listDescriptors(true),
      walletError('WALLET_ERROR', "Can't get descriptor string."),
    );
  });

  it('the private listing derives the same scripts as the public one, with their private keys', async () => {
    const pub = await w.listDescriptors(false);
    const priv = await w.listDescriptors(true);
    for (const p of priv) {
      const privDesc = parseDescriptor(p.desc, { network: regtest, requireChecksum: true });
      const match = pub.find((d) => d.desc === privDesc.toNormalizedString())!;
      const pubDesc = parseDescriptor(match.desc, { network: regtest, requireChecksum: true });
      for (const i of [0, 1, 7]) {
        const a = privDesc.expand(i);
        assert.deepEqual(a.scriptPubKey, pubDesc.expand(i).scriptPubKey);
        assert.equal(a.keys[0]?.privateKey?.length, 32);
      }
    }
  });

  it('the private listing imported into a blank wallet recreates it: same next addresses, and it spends', async () => {
    // Its own source wallet: the tests after this one count w's handed-out addresses.
    const source = await h.wallets.create({ name: 'source' });
    await nextAddresses(source, 1);
    const copy = await h.wallets.create({ name: 'copy', blank: true });
    const results = await copy.importDescriptors(asImports(await source.listDescriptors(true)));
    assert.ok(
      results.every((r) => r.success),
      JSON.stringify(results),
    );
    assert.deepEqual(await nextAddresses(copy, 2), await nextAddresses(source, 2));
    // And lists them back, privately too, as the source printed them (Core's round trip).
    const descs = async (wallet: WalletApi, priv: boolean) =>
      (await wallet.listDescriptors(priv)).map((d) => d.desc);
    assert.deepEqual(await descs(copy, true), await descs(source, true));
    assert.deepEqual(await descs(copy, false), await descs(source, false));
    const blocks = await h.mine(101, []);
    await h.accept(h.payTo(await copy.getNewAddress('', 'bech32'), 100_000_000, blocks[0]!));
    await h.mine(1);
    const sent = await copy.send({
      recipients: [{ address: await source.getNewAddress(), amount: 50_000_000 }],
      feeRate: 2,
    });
    assert.ok(h.mempool.has(Buffer.from(sent.txid, 'hex').reverse()), 'signed and accepted');
  });

  it('an account tprv imported with its origin is listed privately as it was written', async () => {
    const master = HDKey.fromSeed(mnemonicToSeed(MNEMONIC));
    const H = 0x80000000;
    const account = master.derive([H + 84, H + 1, H]);
    const fp = master.fingerprint.toString(16).padStart(8, '0');
    const text = `wpkh([${fp}/84h/1h/0h]${account.toBase58(regtest)}/0/*)`;
    const desc = parseDescriptor(text, { network: regtest }).toPrivateString();
    const holder = await h.wallets.create({ name: 'origin-holder', blank: true });
    const [r] = await holder.importDescriptors([{ desc, timestamp: 'now', range: [0, 3] }]);
    assert.equal(r?.success, true, JSON.stringify(r));
    assert.deepEqual(
      (await holder.listDescriptors(true)).map((d) => d.desc),
      [desc],
    );
    const pub = (await holder.listDescriptors(false))[0]!.desc;
    assert.ok(pub.startsWith(`wpkh([${fp}/84h/1h/0h]tpub`), pub);
    account.wipe();
    master.wipe();
  });

  it('an imported WIF descriptor is listed with its key again, only when private is asked', async () => {
    const key = new Uint8Array(32).fill(7);
    const wif = encodeWif(key, true, regtest);
    const blank = await h.wallets.create({ name: 'keys', blank: true });
    const desc = parseDescriptor(`wpkh(${wif})`, { network: regtest }).toPrivateString();
    const [r] = await blank.importDescriptors([{ desc, timestamp: 'now' }]);
    assert.equal(r?.success, true, JSON.stringify(r));
    const pub = await blank.listDescriptors(false);
    assert.equal(pub.length, 1);
    assert.ok(!pub[0]!.desc.includes(wif));
    assert.deepEqual({ ...pub[0]!, desc: '' }, { desc: '', timestamp: pub[0]!.timestamp, active: false });
    const priv = await blank.listDescriptors(true);
    assert.equal(priv[0]!.desc, desc);
  });

  it('an encrypted wallet needs unlocking for private descriptors, not for public ones', async () => {
    const vault = await h.wallets.create({ name: 'vault', mnemonic: MNEMONIC, passphrase: PASSPHRASE });
    assert.equal((await vault.listDescriptors(false)).length, CHAINS);
    await assert.rejects(vault.listDescriptors(true), walletError('UNLOCK_NEEDED'));
    await vault.unlock(PASSPHRASE, 60);
    assert.deepEqual(
      (await vault.listDescriptors(true)).map((d) => d.desc.split('#')[0]!.replace(/\/[01]\/\*.*$/, '')),
      (await w.listDescriptors(true)).map((d) => d.desc.split('#')[0]!.replace(/\/[01]\/\*.*$/, '')),
    );
    vault.lock();
  });

  it('keypoolrefill tops every active chain up to the size asked, locked or not', async () => {
    const vault = h.wallets.get('vault')!;
    assert.equal(vault.isLocked(), true);
    assert.equal(vault.info().keypoolSize, TYPES.length * 20);
    vault.keypoolRefill(50);
    assert.equal(vault.info().keypoolSize, TYPES.length * 50);
    assert.equal(vault.info().keypoolSizeHdInternal, TYPES.length * 50);
    const bech32 = (await vault.listDescriptors(false)).find(
      (d) => d.desc.startsWith('wpkh(') && d.internal === false,
    )!;
    assert.deepEqual(bech32.range, [0, 49]);
    vault.keypoolRefill(); // the configured size is already there: nothing to do
    assert.equal(vault.info().keypoolSize, TYPES.length * 50);
    assert.throws(
      () => vault.keypoolRefill(-1),
      walletError('INVALID_PARAMETER', 'Invalid parameter, expected valid size.'),
    );
    const watcher = await h.wallets.create({ name: 'empty', disablePrivateKeys: true, blank: true });
    watcher.keypoolRefill(0);
    assert.throws(() => watcher.keypoolRefill(5), walletError('WALLET_ERROR', 'Error refreshing keypool.'));
  });
});
