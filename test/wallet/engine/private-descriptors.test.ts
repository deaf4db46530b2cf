import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { hash160 } from '../../../src/crypto/hash.js';
import { publicKeyCreate } from '../../../src/crypto/secp256k1.js';
import type { Block } from '../../../src/primitives/block.js';
import { addressFromScript } from '../../../src/script/address.js';
import { p2pkh } from '../../../src/script/templates.js';
import { WalletError } from '../../../src/wallet/api.js';
import { addChecksum } from '../../../src/wallet/descriptors/index.js';
import { HDKey } from '../../../src/wallet/keys/bip32.js';
import { mnemonicToSeed } from '../../../src/wallet/keys/bip39.js';
import { encodeWif } from '../../../src/wallet/keys/wif.js';
import { EngineHarness } from './harness.js';

const COIN = 100_000_000;
const MNEMONIC = 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong';
const PASSPHRASE = 'institutional passphrase';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('importdescriptors with private keys', () => {
  let h: EngineHarness;
  let blocks: Block[];
  const account = HDKey.fromSeed(mnemonicToSeed(MNEMONIC)).derive([0x80000054, 0x80000001, 0x80000000]);
  const tprv = account.toBase58(regtest);
  const wifKey = account.derive([5, 5]).privateKey!;
  before(async () => {
    h = await EngineHarness.create();
    blocks = await h.mine(110, []);
  });
  after(async () => {
    await h.destroy();
  });

  it('a blank encrypted wallet takes a ranged tprv descriptor and a WIF, then receives and spends', async () => {
    const w = await h.wallets.create({ name: 'signer', blank: true, passphrase: PASSPHRASE });
    assert.equal(w.isEncrypted(), true);
    await assert.rejects(w.getNewAddress(), (e: unknown) => e instanceof WalletError && e.rpcCode === -12);
    const ranged = addChecksum(`wpkh(${tprv}/0/*)`);
    const change = addChecksum(`wpkh(${tprv}/1/*)`);
    const single = addChecksum(`pkh(${encodeWif(wifKey, true, regtest)})`);
    await assert.rejects(
      w.importDescriptors([{ desc: ranged, timestamp: 'now', active: true, range: [0, 10] }]),
      (e: unknown) => e instanceof WalletError && e.rpcCode === -13,
    );
    await w.unlock(PASSPHRASE, 120);
    const results = await w.importDescriptors([
      { desc: ranged, timestamp: 'now', active: true, range: [0, 10] },
      { desc: change, timestamp: 'now', active: true, internal: true, range: [0, 10] },
      { desc: single, timestamp: 'now', label: 'cold' },
    ]);
    assert.deepEqual(results, [{ success: true }, { success: true }, { success: true }]);
    w.lock();
    const address = await w.getNewAddress();
    assert.equal(w.getAddressInfo(address).isMine, true);
    const legacy = addressFromScript(p2pkh(hash160(publicKeyCreate(wifKey, true))), regtest.addressPrefixes)!;
    assert.deepEqual(w.getAddressInfo(legacy).labels, ['cold']);
    await h.accept(h.payTo(address, 2 * COIN, blocks[0]!));
    await h.accept(h.payTo(legacy, COIN, blocks[1]!));
    await h.mine(1);
    assert.equal(w.balances().trusted, 3 * COIN);
    await w.unlock(PASSPHRASE, 120);
    const dest = addressFromScript(h.tc.key.p2wpkh(), regtest.addressPrefixes)!;
    const sent = await w.send({ recipients: [{ address: dest, amount: 2.5 * COIN }], feeRate: 1 });
    assert.equal(
      w.getTransaction(sent.txid).tx.inputs.length,
      2,
      'both the xprv and the WIF coin were signed',
    );
    w.lock();
  });

  it('after a restart the keys still sign, and no file holds them in the clear', async () => {
    await h.restart();
    const w = h.wallets.get('signer') ?? (await h.wallets.load('signer'));
    await w.unlock(PASSPHRASE, 60);
    await h.mine(1);
    const dest = addressFromScript(h.tc.key.p2wpkh(), regtest.addressPrefixes)!;
    await w.send({ recipients: [{ address: dest, amount: COIN / 10 }], feeRate: 1 });
    w.lock();
    await h.stop();
    const secrets = [
      Buffer.from(tprv),
      Buffer.from(wifKey),
      Buffer.from(encodeWif(wifKey, true, regtest)),
      Buffer.from(account.privateKey!),
    ];
    for (const f of files(h.dir)) {
      const content = readFileSync(f);
      for (const secret of secrets) assert.equal(content.indexOf(secret), -1, `secret found in ${f}`);
    }
    await h.restart();
  });
});
