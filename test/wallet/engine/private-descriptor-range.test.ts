/**
 * A wallet restored from private ranged descriptors keeps their extended private keys (in the
 * keystore) and so signs at every index of their chains, not just the imported range: addresses
 * handed out past the range (lookahead included) receive coins the wallet can spend.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import type { Block } from '../../../src/primitives/block.js';
import { addressFromScript } from '../../../src/script/address.js';
import { type AddressType, type WalletApi, WalletError } from '../../../src/wallet/api.js';
import { addChecksum, parseDescriptor } from '../../../src/wallet/descriptors/index.js';
import { HDKey } from '../../../src/wallet/keys/bip32.js';
import { mnemonicToSeed } from '../../../src/wallet/keys/bip39.js';
import { encodeWif } from '../../../src/wallet/keys/wif.js';
import { seal, splitDerivedKey } from '../../../src/wallet/keystore/cipher.js';
import { encodeEncryptedFile, encodeHeader } from '../../../src/wallet/keystore/format.js';
import { deriveKey } from '../../../src/wallet/keystore/kdf.js';
import { Keystore } from '../../../src/wallet/keystore/keystore.js';
import { extractTransaction } from '../../../src/wallet/psbt/extractor.js';
import { EngineHarness, FAST_KDF } from './harness.js';

const COIN = 100_000_000;
const SOURCE_MNEMONIC = 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong';
const OLD_MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSPHRASE = 'restore passphrase';
const H = 0x80000000;

/** Account 84h/1h/0h of a test seed (depth 3, no origin written when used bare in a descriptor). */
const account = HDKey.fromSeed(mnemonicToSeed(SOURCE_MNEMONIC)).derive([84 + H, 1 + H, H]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The address at `index` of a public descriptor, derived here, not by the wallet. */
function addressAt(desc: string, index: number): string {
  const script = parseDescriptor(desc, { network: regtest }).expand(index).scriptPubKey;
  return addressFromScript(script, regtest.addressPrefixes)!;
}

/** Hands out addresses until the one at `index` (getnewaddress walks the chain one by one). */
async function addressNumber(
  w: WalletApi,
  index: number,
  handedOut: { n: number },
  type: AddressType = 'bech32',
): Promise<string> {
  let address = '';
  while (handedOut.n <= index) {
    address = await w.getNewAddress('', type);
    handedOut.n++;
  }
  return address;
}

const isRpc = (code: number) => (e: unknown) => e instanceof WalletError && e.rpcCode === code;

describe('a wallet restored from private ranged descriptors spends past the imported range', () => {
  let h: EngineHarness;
  let blocks: Block[];
  let dest: string;
  let nextCoin = 0;
  const coin = (): Block => blocks[nextCoin++]!;

  before(async () => {
    h = await EngineHarness.create();
    blocks = await h.mine(125, []);
    dest = addressFromScript(h.tc.key.p2wpkh(), regtest.addressPrefixes)!;
  });
  after(async () => {
    await h.destroy();
  });

  /** Sends the whole balance away, checks the mempool took it and a block confirms it. */
  async function spendAll(w: WalletApi, coins: number): Promise<void> {
    const total = w.balances().trusted;
    const unspent = w.listUnspent({});
    assert.equal(unspent.length, coins);
    for (const u of unspent) assert.equal(u.spendable, true, `coin at ${u.address} is spendable`);
    const sent = await w.send({
      recipients: [{ address: dest, amount: total, subtractFee: true }],
      feeRate: 2,
    });
    const wtx = w.getTransaction(sent.txid);
    assert.equal(wtx.tx.inputs.length, coins, 'every coin was signed');
    assert.ok(h.mempool.has(wtx.tx.txid()), 'the mempool accepted the spend');
    await h.mine(1);
    assert.equal(w.getTransaction(sent.txid).confirmations, 1);
    assert.equal(w.balances().trusted, 0);
  }

  const handedOut = { n: 0 };
  let restoredBech32 = '';

  it('imports listdescriptors true of a source wallet; pays and spends indexes past its range', async () => {
    const source = await h.wallets.create({ name: 'source', mnemonic: SOURCE_MNEMONIC });
    const listed = await source.listDescriptors(true);
    assert.equal(listed.length, 8);
    const w = await h.wallets.create({ name: 'restored', blank: true });
    const results = await w.importDescriptors(
      listed.map((d) => ({
        desc: d.desc,
        timestamp: 'now' as const,
        active: d.active,
        internal: d.internal === true,
        ...(d.range === undefined ? {} : { range: [d.range[0], d.range[1]] as [number, number] }),
        ...(d.nextIndex === undefined ? {} : { nextIndex: d.nextIndex }),
      })),
    );
    assert.ok(
      results.every((r) => r.success),
      JSON.stringify(results),
    );
    const range = listed.find((d) => d.desc.startsWith('wpkh(') && d.internal === false)!.range!;
    assert.deepEqual(range, [0, 19], 'the source printed its keypool of 20');
    const publicBech32 = (await source.listDescriptors(false)).find(
      (d) => d.desc.startsWith('wpkh(') && d.internal === false,
    )!.desc;
    restoredBech32 = publicBech32;
    const at30 = await addressNumber(w, 30, handedOut);
    const at50 = await addressNumber(w, 50, handedOut);
    assert.equal(at30, addressAt(publicBech32, 30));
    assert.equal(at50, addressAt(publicBech32, 50));
    for (const a of [at30, at50]) {
      const info = w.getAddressInfo(a);
      assert.equal(info.isMine, true);
      assert.equal(info.solvable, true);
    }
    await h.accept(h.payTo(at30, COIN, coin()));
    await h.accept(h.payTo(at50, 2 * COIN, coin()));
    // The other three chains (BIP44 P2PKH, BIP49 P2SH-P2WPKH, BIP86 P2TR key path) past the range.
    const publicListed = await source.listDescriptors(false);
    for (const [type, prefix] of [
      ['legacy', 'pkh('],
      ['p2sh-segwit', 'sh(wpkh('],
      ['bech32m', 'tr('],
    ] as const) {
      const at25 = await addressNumber(w, 25, { n: 0 }, type);
      const desc = publicListed.find((d) => d.desc.startsWith(prefix) && d.internal === false)!.desc;
      assert.equal(at25, addressAt(desc, 25), type);
      await h.accept(h.payTo(at25, COIN, coin()));
    }
    await h.mine(1);
    assert.equal(w.balances().trusted, 6 * COIN);
    await spendAll(w, 5);
  });

  it('still spends past the range after unload/load and after a restart', async () => {
    await h.wallets.unload('restored');
    let w = await h.wallets.load('restored');
    const at60 = await addressNumber(w, 60, handedOut);
    assert.equal(at60, addressAt(restoredBech32, 60));
    await h.accept(h.payTo(at60, COIN, coin()));
    await h.mine(1);
    await spendAll(w, 1);

    await h.restart();
    w = h.wallets.get('restored') ?? (await h.wallets.load('restored'));
    const at75 = await addressNumber(w, 75, handedOut);
    assert.equal(at75, addressAt(restoredBech32, 75));
    await h.accept(h.payTo(at75, COIN, coin()));
    await h.mine(1);
    await spendAll(w, 1);
  });

  it('signs a PSBT spending an index past the range (walletprocesspsbt)', async () => {
    const w = h.wallets.get('restored') ?? (await h.wallets.load('restored'));
    const at80 = await addressNumber(w, 80, handedOut);
    await h.accept(h.payTo(at80, COIN, coin()));
    await h.mine(1);
    const funded = await w.createFundedPsbt({
      recipients: [{ address: dest, amount: COIN, subtractFee: true }],
      feeRate: 2,
    });
    const processed = await w.processPsbt(funded.psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(processed.complete, true);
    await h.accept(extractTransaction(processed.psbt));
    await h.mine(1);
    assert.equal(w.balances().trusted, 0);
  });

  it('an encrypted wallet with a tprv range [0, 5]: locked it receives and refuses (-13), unlocked it spends', async () => {
    const w = await h.wallets.create({ name: 'vault', blank: true, passphrase: PASSPHRASE });
    const tprv = account.toBase58(regtest);
    const receive = addChecksum(`wpkh(${tprv}/0/*)`);
    const change = addChecksum(`wpkh(${tprv}/1/*)`);
    const request = { timestamp: 'now' as const, active: true, range: [0, 5] as [number, number] };
    await assert.rejects(w.importDescriptors([{ desc: receive, ...request }]), isRpc(-13));
    await assert.rejects(w.unlock('not the passphrase', 600), isRpc(-14));
    await assert.rejects(w.importDescriptors([{ desc: receive, ...request }]), isRpc(-13));
    assert.deepEqual(await w.listDescriptors(false), [], 'a refused import changed nothing');
    await w.unlock(PASSPHRASE, 600);
    const results = await w.importDescriptors([
      { desc: receive, ...request },
      { desc: change, ...request, internal: true },
    ]);
    assert.deepEqual(results, [{ success: true }, { success: true }]);
    w.lock();
    const publicReceive = parseDescriptor(receive, { network: regtest }).toString();
    const mine = { n: 0 };
    const at10 = await addressNumber(w, 10, mine);
    const at50 = await addressNumber(w, 50, mine);
    assert.equal(at10, addressAt(publicReceive, 10));
    assert.equal(at50, addressAt(publicReceive, 50));
    await h.accept(h.payTo(at10, COIN, coin()));
    await h.accept(h.payTo(at50, COIN, coin()));
    await h.mine(1);
    // Locked: the wallet knows it can sign these (solvable, spendable) but cannot sign yet.
    assert.equal(w.isLocked(), true);
    assert.equal(w.getAddressInfo(at50).solvable, true);
    assert.deepEqual(
      w.listUnspent({}).map((u) => u.spendable),
      [true, true],
    );
    await assert.rejects(
      w.send({ recipients: [{ address: dest, amount: COIN / 2 }], feeRate: 2 }),
      isRpc(-13),
    );
    await w.unlock(PASSPHRASE, 600);
    await spendAll(w, 2);
    w.lock();

    // The same after a restart: the extended key came back from the keystore, not the database.
    await h.restart();
    const again = h.wallets.get('vault') ?? (await h.wallets.load('vault'));
    const at90 = await addressNumber(again, 90, mine);
    assert.equal(at90, addressAt(publicReceive, 90));
    await h.accept(h.payTo(at90, COIN, coin()));
    await h.mine(1);
    await assert.rejects(
      again.send({ recipients: [{ address: dest, amount: COIN / 2 }], feeRate: 2 }),
      isRpc(-13),
    );
    await again.unlock(PASSPHRASE, 600);
    await spendAll(again, 1);
    again.lock();
  });

  it('a keystore written in the old format (secrets version 1) opens, spends, and upgrades in place', async () => {
    const created = await h.wallets.create({ name: 'old', mnemonic: OLD_MNEMONIC, passphrase: PASSPHRASE });
    const firstAddress = await created.getNewAddress('', 'bech32');
    await h.wallets.unload('old');
    // Version 1 exactly as before extended keys: seed, mnemonic, one imported key (33 bytes each).
    const seed = mnemonicToSeed(OLD_MNEMONIC);
    const mnemonic = Buffer.from(OLD_MNEMONIC.normalize('NFKD'), 'utf8');
    const imported = Uint8Array.from(randomBytes(32));
    imported[0] = 0x01;
    const v1 = Uint8Array.from([
      1,
      seed.length,
      ...seed,
      mnemonic.length >> 8,
      mnemonic.length & 0xff,
      ...mnemonic,
      0,
      1,
      ...imported,
      1,
    ]);
    const salt = Uint8Array.from(randomBytes(32));
    const { key, keyCheck } = splitDerivedKey(await deriveKey(PASSPHRASE, salt, FAST_KDF.kdf));
    const nonce = Uint8Array.from(randomBytes(12));
    const header = encodeHeader({ kdf: FAST_KDF.kdf, salt, keyCheck, nonce });
    const { ciphertext, tag } = seal(key, nonce, header, v1);
    const keystorePath = join(h.dir, 'regtest', 'wallets', 'old', 'keystore');
    writeFileSync(keystorePath, encodeEncryptedFile(header, ciphertext, tag), { mode: 0o600 });

    const w = await h.wallets.load('old');
    await w.unlock(PASSPHRASE, 600);
    assert.equal(
      await w.getNewAddress('', 'bech32'),
      addressAt(
        `wpkh(${HDKey.fromSeed(seed)
          .derive([84 + H, 1 + H, H])
          .neuter()
          .toBase58(regtest)}/0/*)`,
        1,
      ),
    );
    await h.accept(h.payTo(firstAddress, COIN, coin()));
    await h.mine(1);
    await spendAll(w, 1);

    // Importing a ranged tprv descriptor rewrites the keystore with version 2; nothing is lost.
    const other = HDKey.fromSeed(mnemonicToSeed(SOURCE_MNEMONIC)).derive([84 + H, 1 + H, 7 + H]);
    const desc = addChecksum(`wpkh(${other.toBase58(regtest)}/0/*)`);
    const results = await w.importDescriptors([{ desc, timestamp: 'now', range: [0, 5] }]);
    assert.deepEqual(results, [{ success: true }]);
    await h.wallets.unload('old');
    const reopened = await Keystore.open(keystorePath);
    await reopened.unlock(PASSPHRASE, 60);
    const secrets = reopened.getSecrets();
    assert.deepEqual(secrets.seed, seed);
    assert.equal(secrets.mnemonic(), OLD_MNEMONIC);
    assert.deepEqual(
      secrets.importedKeys.map((k) => k.privateKey),
      [imported],
    );
    assert.equal(secrets.extendedKeys.length, 1);
    reopened.lock();

    // The imported (inactive) descriptor's scripts past its range are recognised and spendable.
    const loaded = await h.wallets.load('old');
    const at8 = addressAt(parseDescriptor(desc, { network: regtest }).toString(), 8);
    await h.accept(h.payTo(at8, COIN, coin()));
    await h.mine(1);
    await loaded.unlock(PASSPHRASE, 600);
    await spendAll(loaded, 1);
    loaded.lock();
  });

  it('a ranged 2-of-2 of two tprvs (one with a written origin) spends past its range', async () => {
    const w = await h.wallets.create({ name: 'multi', blank: true });
    const a = HDKey.fromSeed(mnemonicToSeed(SOURCE_MNEMONIC)).derive([48 + H, 1 + H, H, 2 + H]);
    const b = HDKey.fromSeed(mnemonicToSeed(OLD_MNEMONIC)).derive([48 + H, 1 + H, H, 2 + H]);
    const multi = (chain: number) =>
      addChecksum(
        `wsh(multi(2,${a.toBase58(regtest)}/${chain}/*,[deadbeef/48h/1h/0h/2h]${b.toBase58(regtest)}/${chain}/*))`,
      );
    const desc = multi(0);
    const keystorePath = join(h.dir, 'regtest', 'wallets', 'multi', 'keystore');
    // A hardened wildcard cannot be derived from the database while locked: refused, nothing kept.
    const before = readFileSync(keystorePath);
    const hardened = addChecksum(`wpkh(${a.toBase58(regtest)}/1/*h)`);
    const refused = await w.importDescriptors([{ desc: hardened, timestamp: 'now', range: [0, 2] }]);
    assert.equal(refused[0]?.success, false);
    assert.equal(refused[0]?.error?.code, -5);
    assert.deepEqual(readFileSync(keystorePath), before, 'the keystore was not rewritten');

    const results = await w.importDescriptors([
      { desc, timestamp: 'now', active: true, range: [0, 2] },
      { desc: multi(1), timestamp: 'now', active: true, internal: true, range: [0, 2] },
    ]);
    assert.deepEqual(results, [{ success: true }, { success: true }]);
    const at8 = await addressNumber(w, 8, { n: 0 });
    assert.equal(at8, addressAt(parseDescriptor(desc, { network: regtest }).toString(), 8));
    assert.equal(w.getAddressInfo(at8).solvable, true);
    await h.accept(h.payTo(at8, COIN, coin()));
    await h.mine(1);
    await spendAll(w, 1);
  });

  it('no file under the data directory holds an xprv, a derived private key or a WIF', async () => {
    await h.stop();
    const master = HDKey.fromSeed(mnemonicToSeed(SOURCE_MNEMONIC));
    const needles: { what: string; bytes: Buffer }[] = [
      { what: 'source master tprv', bytes: Buffer.from(master.toBase58(regtest)) },
      { what: 'source master key', bytes: Buffer.from(master.privateKey!) },
      { what: 'source master chain code', bytes: Buffer.from(master.chainCode) },
      { what: 'account tprv', bytes: Buffer.from(account.toBase58(regtest)) },
      { what: 'account key', bytes: Buffer.from(account.privateKey!) },
    ];
    for (const i of [0, 5, 10, 30, 50, 75, 90]) {
      const key = account.derive([0, i]).privateKey!;
      needles.push({ what: `key 0/${i}`, bytes: Buffer.from(key) });
      needles.push({ what: `key hex 0/${i}`, bytes: Buffer.from(Buffer.from(key).toString('hex')) });
      needles.push({ what: `WIF 0/${i}`, bytes: Buffer.from(encodeWif(key, true, regtest)) });
    }
    // Unencrypted wallets (source, restored) keep their secrets in the clear in their keystore by
    // design; everything else, their databases included, must not hold any. The restored wallet's
    // plaintext keystore is the control: the master key it imported is there, so the needles work.
    const wallets = join(h.dir, 'regtest', 'wallets');
    const plainKeystores = [join(wallets, 'source', 'keystore'), join(wallets, 'restored', 'keystore')];
    const control = readFileSync(plainKeystores[1]!);
    assert.notEqual(
      control.indexOf(Buffer.from(master.privateKey!)),
      -1,
      'control: the xprv is in the keystore',
    );
    const scanned = files(h.dir).filter((f) => !plainKeystores.includes(f));
    assert.ok(scanned.some((f) => f.includes(join('vault', 'keystore'))));
    for (const f of scanned) {
      const content = readFileSync(f);
      for (const n of needles) assert.equal(content.indexOf(n.bytes), -1, `${n.what} found in ${f}`);
    }
    await h.restart();
  });
});
