import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { addressFromScript } from '../../../src/script/address.js';
import { WalletError, type WalletApi } from '../../../src/wallet/api.js';
import { HDKey } from '../../../src/wallet/keys/bip32.js';
import { mnemonicToSeed } from '../../../src/wallet/keys/bip39.js';
import { encodeWif } from '../../../src/wallet/keys/wif.js';
import { EngineHarness } from './harness.js';

const COIN = 100_000_000;
const MNEMONIC =
  'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title';
const PASSPHRASE = 'a long passphrase for the test';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Every secret form the wallet must never write in the clear. */
function secretNeedles(): { what: string; bytes: Buffer }[] {
  const seed = mnemonicToSeed(MNEMONIC);
  const master = HDKey.fromSeed(seed);
  const needles: { what: string; bytes: Buffer }[] = [
    { what: 'seed', bytes: Buffer.from(seed) },
    { what: 'seed hex', bytes: Buffer.from(Buffer.from(seed).toString('hex')) },
    { what: 'mnemonic', bytes: Buffer.from(MNEMONIC) },
    { what: 'first mnemonic words', bytes: Buffer.from(MNEMONIC.split(' ').slice(0, 4).join(' ')) },
    { what: 'master xprv', bytes: Buffer.from(master.toBase58(regtest)) },
    { what: 'master key', bytes: Buffer.from(master.privateKey!) },
  ];
  for (const purpose of [44, 49, 84]) {
    const account = master.derive([purpose + 0x80000000, 0x80000001, 0x80000000]);
    needles.push({ what: `account ${purpose} xprv`, bytes: Buffer.from(account.toBase58(regtest)) });
    for (const chain of [0, 1]) {
      for (let i = 0; i < 30; i++) {
        const key = account.derive([chain, i]).privateKey!;
        const where = `${purpose}'/${chain}/${i}`;
        needles.push({ what: `key ${where}`, bytes: Buffer.from(key) });
        needles.push({ what: `key hex ${where}`, bytes: Buffer.from(Buffer.from(key).toString('hex')) });
        needles.push({ what: `WIF ${where}`, bytes: Buffer.from(encodeWif(key, true, regtest)) });
      }
    }
  }
  return needles;
}

/**
 * Issue #4 acceptance: an encrypted wallet used for receiving and sending, unlocked and locked,
 * leaves no secret in any file under the data directory once the node has stopped.
 */
describe('no plaintext secrets on disk', () => {
  let h: EngineHarness;
  let w: WalletApi;
  before(async () => {
    h = await EngineHarness.create();
  });
  after(async () => {
    await h.destroy();
  });

  it('an encrypted wallet starts locked and refuses to spend until unlocked', async () => {
    w = await h.wallets.create({
      name: 'vault',
      passphrase: PASSPHRASE,
      mnemonic: MNEMONIC,
      loadOnStartup: true,
    });
    assert.equal(w.isEncrypted(), true);
    assert.equal(w.isLocked(), true);
    assert.equal(w.info().unlockedUntil, 0);
    // Locked wallets still hand out addresses (derived from the account xpubs in the database).
    const address = await w.getNewAddress('in');
    const blocks = await h.mine(101, []);
    await h.accept(h.payTo(address, 5 * COIN, blocks[0]!));
    await h.mine(1);
    assert.equal(w.balances().trusted, 5 * COIN);
    const dest = addressFromScript(h.tc.key.p2wpkh(), regtest.addressPrefixes)!;
    const balances = w.balances();
    const txCount = w.info().txCount;
    await assert.rejects(
      w.send({ recipients: [{ address: dest, amount: COIN }] }),
      (e: unknown) =>
        e instanceof WalletError &&
        e.code === 'UNLOCK_NEEDED' &&
        e.rpcCode === -13 &&
        e.message === 'Error: Please enter the wallet passphrase with walletpassphrase first.',
    );
    await assert.rejects(
      w.unlock('wrong', 60),
      (e: unknown) => e instanceof WalletError && e.rpcCode === -14,
    );
    assert.deepEqual(w.balances(), balances);
    assert.equal(w.info().txCount, txCount);
    assert.equal(h.mempool.info().size, 0);

    await w.unlock(PASSPHRASE, 60);
    assert.equal(w.isLocked(), false);
    const until = w.info().unlockedUntil ?? 0;
    assert.ok(until > Date.now() / 1000 && until <= Date.now() / 1000 + 60);
    const sent = await w.send({ recipients: [{ address: dest, amount: COIN }] });
    await h.mine(1);
    assert.equal(w.getTransaction(sent.txid).confirmations, 1);
    w.lock();
    assert.equal(w.isLocked(), true);
    await w.changePassphrase(PASSPHRASE, `${PASSPHRASE}!`);
    await w.unlock(`${PASSPHRASE}!`, 30);
    w.lock();
  });

  it('no file under the data directory holds the seed, a private key, a WIF, an xprv or the mnemonic', async () => {
    await h.stop();
    const files = filesUnder(h.dir);
    assert.ok(
      files.some((f) => f.endsWith('.log') || f.endsWith('.ldb')),
      'LevelDB files are scanned',
    );
    assert.ok(files.some((f) => f.endsWith('keystore')));
    const needles = secretNeedles();
    for (const file of files) {
      const content = readFileSync(file);
      for (const n of needles) {
        assert.equal(content.indexOf(n.bytes), -1, `${n.what} found in ${file}`);
      }
    }
    // The scan can fail: the database does hold the public account key and the wallet's data.
    const db = files.filter((f) => f.includes(join('wallets', 'vault', 'db'))).map((f) => readFileSync(f));
    assert.ok(
      db.some((c) => c.indexOf(Buffer.from('tpub')) >= 0),
      'the scan sees the wallet database contents',
    );
    await h.restart();
  });

  it('control: the same scan finds the seed of an unencrypted wallet', async () => {
    await h.wallets.create({ name: 'plain', mnemonic: MNEMONIC });
    const seed = secretNeedles()[0]!.bytes;
    const hits = filesUnder(h.dir).filter((f) => readFileSync(f).indexOf(seed) >= 0);
    assert.deepEqual(hits, [join(h.dir, 'regtest', 'wallets', 'plain', 'keystore')]);
  });
});
