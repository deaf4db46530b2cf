import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import type { Block } from '../../../src/primitives/block.js';
import { WalletError, type WalletApi } from '../../../src/wallet/api.js';
import { decodeBackup } from '../../../src/wallet/backup-format.js';
import { HDKey } from '../../../src/wallet/keys/bip32.js';
import { mnemonicToSeed } from '../../../src/wallet/keys/bip39.js';
import { encodeWif } from '../../../src/wallet/keys/wif.js';
import { ADDRESS_TYPES } from '../../../src/wallet/keychain/wallet-scripts.js';
import { EngineHarness, MNEMONIC } from './harness.js';

const COIN = 100_000_000;
const PASSPHRASE = 'a passphrase for the backup test';

const walletError = (code: string, message?: string) => (e: unknown) =>
  e instanceof WalletError && e.code === code && (message === undefined || e.message === message);

/** What must survive a backup and restore: balances, history, the next addresses. */
function snapshot(w: WalletApi) {
  return {
    balances: w.balances(),
    txs: w
      .listTransactions(undefined, 1000, 0, true)
      .map((e) => [e.txid, e.category, e.amount, e.confirmations]),
    utxos: w
      .listUnspent({ minConf: 0 })
      .map((u) => `${u.txid}:${u.vout}:${u.amount}`)
      .sort(),
  };
}

/** The secrets of MNEMONIC in every form the backup of its encrypted wallet must not contain. */
function secretNeedles(): { what: string; bytes: Buffer }[] {
  const seed = mnemonicToSeed(MNEMONIC);
  const master = HDKey.fromSeed(seed);
  const needles = [
    { what: 'seed', bytes: Buffer.from(seed) },
    { what: 'seed hex', bytes: Buffer.from(Buffer.from(seed).toString('hex')) },
    { what: 'mnemonic', bytes: Buffer.from(MNEMONIC) },
    { what: 'master xprv', bytes: Buffer.from(master.toBase58(regtest)) },
    { what: 'master key', bytes: Buffer.from(master.privateKey!) },
  ];
  for (const purpose of [44, 49, 84]) {
    const account = master.derive([purpose + 0x80000000, 0x80000001, 0x80000000]);
    needles.push({ what: `account ${purpose} xprv`, bytes: Buffer.from(account.toBase58(regtest)) });
    for (let i = 0; i < 5; i++) {
      const key = account.derive([0, i]).privateKey!;
      needles.push({ what: `key ${purpose}/0/${i}`, bytes: Buffer.from(key) });
      needles.push({ what: `WIF ${purpose}/0/${i}`, bytes: Buffer.from(encodeWif(key, true, regtest)) });
    }
  }
  return needles;
}

describe('backupwallet and restorewallet', () => {
  let h: EngineHarness;
  let blocks: Block[];
  let bank: WalletApi;
  before(async () => {
    h = await EngineHarness.create();
    blocks = await h.mine(110, []);
    bank = await h.wallets.create({ name: 'bank' });
    for (let i = 0; i < 3; i++) {
      await h.accept(h.payTo(await bank.getNewAddress(), (i + 1) * COIN, blocks[i]!));
    }
    await h.mine(1);
    await bank.getRawChangeAddress();
  });
  after(async () => {
    await h.destroy();
  });

  it('a backup taken while blocks arrive restores under another name with the same balance, history and next addresses', async () => {
    // A payment waiting in the mempool and three blocks connecting while the backup is written.
    await h.accept(h.payTo(await bank.getNewAddress('', 'legacy'), COIN / 2, blocks[3]!));
    const file = join(h.dir, 'bank.backup');
    const late = h.payTo(await bank.getNewAddress(), COIN / 4, blocks[4]!);
    const [written] = await Promise.all([bank.backup(file), h.mine(3), h.accept(late)]);
    assert.equal(written, file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(decodeBackup(new Uint8Array(readFileSync(file))).walletName, 'bank');

    const restored = await h.wallets.restore('bank-restored', file);
    assert.deepEqual(snapshot(restored), snapshot(bank));
    assert.equal(restored.info().lastProcessedBlock.height, h.chain.height);
    assert.equal(restored.balances().trusted, 6.5 * COIN);
    // Both hand out the same addresses next: no address shown before the backup is shown again.
    for (const type of ADDRESS_TYPES) {
      assert.equal(await restored.getNewAddress('', type), await bank.getNewAddress('', type));
      assert.equal(await restored.getRawChangeAddress(type), await bank.getRawChangeAddress(type));
    }
    // The restored wallet keeps following the chain, and survives a restart of the node.
    await h.accept(h.payTo(await bank.getNewAddress(), COIN, blocks[5]!));
    await h.mine(1);
    assert.deepEqual(snapshot(restored), snapshot(bank));
    await h.restart();
    bank = h.wallets.get('bank') ?? (await h.wallets.load('bank'));
    const reloaded = h.wallets.get('bank-restored') ?? (await h.wallets.load('bank-restored'));
    assert.deepEqual(snapshot(reloaded), snapshot(bank));
  });

  it('a directory destination gets <wallet>.bak; an existing file is never overwritten', async () => {
    const dir = join(h.dir, 'backups');
    mkdirSync(dir);
    assert.equal(await bank.backup(dir), join(dir, 'bank.bak'));
    const before = readFileSync(join(dir, 'bank.bak'));
    await assert.rejects(bank.backup(dir), walletError('WALLET_ERROR', 'Error: Wallet backup failed!'));
    await assert.rejects(
      bank.backup(join(dir, 'bank.bak')),
      walletError('WALLET_ERROR', 'Error: Wallet backup failed!'),
    );
    await assert.rejects(
      bank.backup(join(dir, 'missing', 'x.bak')),
      walletError('WALLET_ERROR', 'Error: Wallet backup failed!'),
    );
    assert.deepEqual(readFileSync(join(dir, 'bank.bak')), before);
  });

  it('restorewallet refuses a missing file, a taken name and a damaged file, leaving nothing behind', async () => {
    const file = join(h.dir, 'backups', 'bank.bak');
    await assert.rejects(
      h.wallets.restore('x', join(h.dir, 'nope.bak')),
      walletError('INVALID_ADDRESS_OR_KEY', 'Backup file does not exist'),
    );
    const taken = join(h.wallets.walletsDir, 'bank');
    await assert.rejects(
      h.wallets.restore('bank', file),
      walletError(
        'WALLET_ALREADY_EXISTS',
        `Failed to create database path '${taken}'. Database already exists.`,
      ),
    );
    const damaged = join(h.dir, 'damaged.bak');
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 40) ^ 1, bytes.length - 40);
    writeFileSync(damaged, bytes);
    await assert.rejects(h.wallets.restore('damaged', damaged), walletError('WALLET_ERROR'));
    writeFileSync(join(h.dir, 'short.bak'), bytes.subarray(0, 100));
    await assert.rejects(h.wallets.restore('short', join(h.dir, 'short.bak')), walletError('WALLET_ERROR'));
    // Not a regular file: refused before anything is read (reading /dev/zero would never end).
    await assert.rejects(
      h.wallets.restore('endless', '/dev/zero'),
      walletError(
        'WALLET_ERROR',
        'Wallet file verification failed: /dev/zero is not a wallet backup (not a regular file)',
      ),
    );
    await assert.rejects(h.wallets.restore('dir', h.dir), walletError('WALLET_ERROR'));
    assert.equal(existsSync(join(h.wallets.walletsDir, 'damaged')), false);
    assert.equal(existsSync(join(h.wallets.walletsDir, 'short')), false);
    assert.equal(existsSync(join(h.wallets.walletsDir, 'endless')), false);
    await assert.rejects(h.wallets.restore('../escape', file), walletError('INVALID_PARAMETER'));
    assert.deepEqual(h.wallets.loaded(), ['bank', 'bank-restored']);
  });

  it('an encrypted wallet backs up without a plaintext secret and restores encrypted, unlocking with its passphrase', async () => {
    const vault = await h.wallets.create({ name: 'vault', mnemonic: MNEMONIC, passphrase: PASSPHRASE });
    const tx = h.payTo(await vault.getNewAddress(), 2 * COIN, blocks[6]!);
    await h.accept(tx);
    await h.mine(1);
    const file = join(h.dir, 'vault.bak');
    await vault.backup(file);
    const bytes = readFileSync(file);
    for (const n of secretNeedles()) assert.equal(bytes.indexOf(n.bytes), -1, `backup holds the ${n.what}`);

    const copy = await h.wallets.restore('vault-copy', file, true);
    assert.equal(copy.isEncrypted(), true);
    assert.equal(copy.isLocked(), true);
    assert.deepEqual(snapshot(copy), snapshot(vault));
    await assert.rejects(copy.unlock('wrong', 10), walletError('PASSPHRASE_INCORRECT'));
    await copy.unlock(PASSPHRASE, 60);
    assert.equal(copy.isLocked(), false);
    // Unlocked, it signs: the restored keystore holds the same seed.
    const { txid } = await copy.send({
      recipients: [{ address: await vault.getNewAddress(), amount: COIN }],
      feeRate: 2,
    });
    assert.equal(copy.getTransaction(txid).txid, txid);
    copy.lock();
  });

  it('a watch-only wallet (no keystore) backs up and restores its imported descriptors', async () => {
    const listed = await bank.listDescriptors(false);
    const watcher = await h.wallets.create({ name: 'watch', disablePrivateKeys: true, blank: true });
    const results = await watcher.importDescriptors(
      listed.map((d) => ({
        desc: d.desc,
        timestamp: 0,
        ...(d.active ? { active: true, internal: d.internal === true } : {}),
        ...(d.nextIndex === undefined ? {} : { nextIndex: d.nextIndex }),
      })),
    );
    assert.ok(
      results.every((r) => r.success),
      JSON.stringify(results),
    );
    const file = join(h.dir, 'watch.bak');
    await watcher.backup(file);
    assert.equal(decodeBackup(new Uint8Array(readFileSync(file))).keystore, undefined);
    const copy = await h.wallets.restore('watch-copy', file);
    assert.deepEqual(snapshot(copy), snapshot(watcher));
    assert.deepEqual(
      (await copy.listDescriptors(false)).map((d) => d.desc),
      listed.map((d) => d.desc),
    );
  });
});
