import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toHex } from '../../../src/encoding/hex.js';
import type { Block } from '../../../src/primitives/block.js';
import { addChecksum } from '../../../src/wallet/descriptors/index.js';
import { createPsbt } from '../../../src/wallet/psbt/creator.js';
import { extractTransaction } from '../../../src/wallet/psbt/extractor.js';
import { type WalletApi, WalletError } from '../../../src/wallet/api.js';
import { HDKey } from '../../../src/wallet/keys/bip32.js';
import { mnemonicToSeed } from '../../../src/wallet/keys/bip39.js';
import { HDAccount } from '../../../src/wallet/keys/paths.js';
import { createTwoWallets, type EngineHarness, MNEMONIC } from './harness.js';

const COIN = 100_000_000;

describe('multisig, PSBT and descriptor imports', () => {
  let h: EngineHarness;
  let a: WalletApi;
  let b: WalletApi;
  let blocks: Block[];
  let dest: string;
  before(async () => {
    ({ h, a, b, blocks, dest } = await createTwoWallets());
  });
  after(async () => {
    await h.destroy();
  });

  it('a multisig of the wallet’s own keys is spendable by send (P2WSH and P2SH)', async () => {
    const m = await h.wallets.create({ name: 'm' });
    for (const [i, type] of (['bech32', 'legacy', 'p2sh-segwit'] as const).entries()) {
      const keys = [await m.getNewAddress(), await m.getNewAddress()];
      const ms = await m.addMultisigAddress(2, keys, `ms-${type}`, type);
      const info = m.getAddressInfo(ms.address);
      assert.equal(info.isMine, true);
      assert.equal(info.script, 'multisig');
      assert.equal(info.sigsRequired, 2);
      await h.accept(h.payTo(ms.address, COIN, blocks[i]!));
    }
    await h.mine(1);
    assert.equal(m.balances().trusted, 3 * COIN);
    const sent = await m.send({ recipients: [{ address: dest, amount: 2.5 * COIN }], feeRate: 1 });
    assert.equal(m.getTransaction(sent.txid).tx.inputs.length, 3);
    await h.mine(1);
    assert.equal(m.getTransaction(sent.txid).confirmations, 1);
  });

  it('a 2-of-2 between two wallets is signed through a PSBT', async () => {
    const pa = a.getAddressInfo(await a.getNewAddress()).pubkey!;
    const pb = b.getAddressInfo(await b.getNewAddress()).pubkey!;
    const keys = [toHex(pa), toHex(pb)];
    const msA = await a.addMultisigAddress(2, keys, 'shared', 'bech32');
    const msB = await b.addMultisigAddress(2, keys, 'shared', 'bech32');
    assert.equal(msA.address, msB.address);
    assert.match(msA.descriptor, /^wsh\(multi\(2,/);
    assert.equal(a.getAddressInfo(msA.address).isWatchOnly, true, 'one key of two: not spendable alone');
    const pay = h.payTo(msA.address, COIN, blocks[3]!);
    await h.accept(pay);
    await h.mine(1);
    const vout = pay.outputs.findIndex((o) => o.value === COIN);
    const psbt = createPsbt(
      [{ txid: pay.txidHex(), vout }],
      [{ script: h.tc.key.p2wpkh(), value: COIN - 2_000 }],
    );
    const first = await a.processPsbt(psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(first.complete, false);
    assert.equal(first.psbt.inputs[0]!.partialSigs.length, 1);
    const second = await b.processPsbt(first.psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(second.complete, true);
    const tx = extractTransaction(second.psbt);
    const r = await h.mempool.accept(tx);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(
      a.getTransaction(tx.txidHex(), true).details.some((d) => d.category === 'send'),
      true,
    );
    assert.equal(a.getTransaction(tx.txidHex(), true).details[0]?.involvesWatchonly, true);
  });

  it('walletcreatefundedpsbt, then walletprocesspsbt signs and finalizes', async () => {
    await h.accept(h.payTo(await a.getNewAddress(), 4 * COIN, blocks[4]!));
    await h.mine(1);
    const funded = await a.createFundedPsbt({ recipients: [{ address: dest, amount: COIN }], feeRate: 3 });
    assert.ok(funded.fee > 0);
    assert.ok(funded.changePos >= 0);
    const done = await a.processPsbt(funded.psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(done.complete, true);
    const r = await h.mempool.accept(extractTransaction(done.psbt));
    assert.ok(r.ok, r.ok ? '' : r.reason);
  });

  it('signrawtransactionwithwallet signs the inputs it owns and reports the others', async () => {
    await h.mine(1);
    const coin = a.listUnspent({ minConf: 1 })[0]!;
    const raw = createPsbt(
      [
        { txid: coin.txid, vout: coin.vout },
        { txid: '11'.repeat(32), vout: 0 },
      ],
      [{ script: h.tc.key.p2wpkh(), value: coin.amount - 5_000 }],
    ).unsignedTx;
    const partial = a.signRawTransaction(raw, [], 1);
    assert.equal(partial.complete, false);
    assert.deepEqual(
      partial.errors.map((e) => e.txid),
      ['11'.repeat(32)],
    );
    const single = createPsbt(
      [{ txid: coin.txid, vout: coin.vout }],
      [{ script: h.tc.key.p2wpkh(), value: coin.amount - 5_000 }],
    ).unsignedTx;
    const signed = a.signRawTransaction(single, [], 1);
    assert.equal(signed.complete, true);
    const r = await h.mempool.accept(signed.tx);
    assert.ok(r.ok, r.ok ? '' : r.reason);
  });

  it('importdescriptors of the account xpub makes a watch-only wallet see the history', async () => {
    const w = await h.wallets.create({ name: 'watch', disablePrivateKeys: true });
    const info = a.getAddressInfo(await a.getNewAddress());
    await h.accept(h.payTo(info.address, 2 * COIN, blocks[5]!));
    await h.mine(1);
    // wpkh([fingerprint/84h/1h/0h]key) -> the account's ranged descriptor from the wallet's desc.
    const tpub = (a as unknown as { state: { meta: { accounts: { bech32: string } } } }).state.meta.accounts
      .bech32;
    const origin = /\[([0-9a-f]{8})/.exec(info.desc!)![1];
    const desc = addChecksum(`wpkh([${origin}/84h/1h/0h]${tpub}/0/*)`);
    const results = await w.importDescriptors([{ desc, timestamp: 0, range: [0, 30] }]);
    assert.deepEqual(results, [{ success: true }]);
    const external = a
      .listUnspent({})
      .filter((u) => u.desc?.startsWith('wpkh(') && !a.getAddressInfo(u.address!).isChange);
    const expected = external.reduce((s, u) => s + u.amount, 0);
    assert.ok(expected > 0);
    assert.equal(
      w.listUnspent({}).reduce((s, u) => s + u.amount, 0),
      expected,
    );
    const bad = await w.importDescriptors([{ desc: 'wpkh(nonsense)', timestamp: 'now' }]);
    assert.equal(bad[0]!.success, false);
    assert.equal(bad[0]!.error?.code, -5);
  });

  it('an active ranged descriptor serves getnewaddress in a watch-only wallet, with lookahead', async () => {
    const w = await h.wallets.create({ name: 'watch-active', disablePrivateKeys: true });
    const tpub = (a as unknown as { state: { meta: { accounts: { bech32: string } } } }).state.meta.accounts
      .bech32;
    const desc = addChecksum(`wpkh(${tpub}/0/*)`);
    assert.deepEqual(await w.importDescriptors([{ desc, timestamp: 'now', active: true, range: [0, 5] }]), [
      { success: true },
    ]);
    // Index 0 of the abandon…about wallet's BIP84 receive chain.
    assert.equal(await w.getNewAddress(), 'bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk');
    assert.ok(w.info().keypoolSize >= 5);
    // A payment past the imported range but within the lookahead is seen, and moves the chain on.
    const account = HDAccount.fromMaster(HDKey.fromSeed(mnemonicToSeed(MNEMONIC)), 84, h.chain.network);
    const far = account.receive(12).address;
    const pay = h.payTo(far, COIN, blocks[6]!);
    await h.accept(pay);
    assert.equal(w.getTransaction(pay.txidHex()).amount, COIN);
    assert.equal(await w.getNewAddress(), account.receive(13).address);
    await h.wallets.unload('watch-active');
    const again = await h.wallets.load('watch-active');
    assert.equal(await again.getNewAddress(), account.receive(14).address, 'the chain position persists');
    await assert.rejects(
      again.getNewAddress('', 'legacy'),
      (e: unknown) => e instanceof WalletError && e.rpcCode === -12,
    );
  });

  it('a watch-only wallet funds a PSBT that the signing wallet completes (external signer flow)', async () => {
    const w = h.wallets.get('watch-active')!;
    const tpub = (a as unknown as { state: { meta: { accounts: { bech32: string } } } }).state.meta.accounts
      .bech32;
    const change = addChecksum(`wpkh(${tpub}/1/*)`);
    assert.deepEqual(
      await w.importDescriptors([{ desc: change, timestamp: 'now', active: true, internal: true }]),
      [{ success: true }],
    );
    const before = w.balances().trusted + w.balances().untrustedPending;
    const address = await w.getNewAddress();
    await h.accept(h.payTo(address, 2 * COIN, blocks[7]!));
    await h.mine(1);
    assert.equal(w.balances().trusted, before + 2 * COIN);
    const funded = await w.createFundedPsbt({ recipients: [{ address: dest, amount: COIN }], feeRate: 2 });
    const signed = await a.processPsbt(funded.psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(signed.complete, true);
    const tx = extractTransaction(signed.psbt);
    const r = await h.mempool.accept(tx);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(w.getTransaction(tx.txidHex()).fee, -funded.fee);
  });
});
