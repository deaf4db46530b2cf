import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hash160 } from '../../../src/crypto/hash.js';
import { fromHex, toHex } from '../../../src/encoding/hex.js';
import type { Block } from '../../../src/primitives/block.js';
import { addressFromScript } from '../../../src/script/address.js';
import { multisig, p2pkh, p2wshOfScript } from '../../../src/script/templates.js';
import { addChecksum } from '../../../src/wallet/descriptors/index.js';
import { parsePath } from '../../../src/wallet/keys/path-string.js';
import { createPsbt } from '../../../src/wallet/psbt/creator.js';
import { extractTransaction } from '../../../src/wallet/psbt/extractor.js';
import type { WalletApi } from '../../../src/wallet/api.js';
import { createTwoWallets, type EngineHarness } from './harness.js';

const COIN = 100_000_000;

/**
 * Core's FillPSBT signs for any key of the wallet that the PSBT names (its BIP32 derivations, or
 * the keys of its witness or redeem script), not only for scripts the wallet has recorded; and a
 * watch-only wallet funds a PSBT from its solvable coins without being told which (include_watching).
 */
describe('PSBT signing for scripts the wallet never recorded', () => {
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

  it('a watch-only wallet funds a 2-of-2 PSBT by itself; cosigners sign from its witness script', async () => {
    const pa = a.getAddressInfo(await a.getNewAddress()).pubkey!;
    const pb = b.getAddressInfo(await b.getNewAddress()).pubkey!;
    const watch = await h.wallets.create({ name: 'watch', disablePrivateKeys: true, blank: true });
    const [imported] = await watch.importDescriptors([
      { desc: addChecksum(`wsh(multi(2,${toHex(pa)},${toHex(pb)}))`), timestamp: 'now' },
    ]);
    assert.equal(imported?.success, true);
    const address = addressFromScript(p2wshOfScript(multisig(2, [pa, pb])), h.chain.network.addressPrefixes)!;
    await h.accept(h.payTo(address, COIN, blocks[0]!));
    await h.mine(1);
    assert.equal(watch.balances({ includeWatchOnly: true }).trusted, COIN);

    // No inputs named: the watch-only coin is a candidate, sized for signatures made elsewhere.
    const funded = await watch.createFundedPsbt({
      recipients: [{ address: dest, amount: COIN / 2 }],
      feeRate: 1,
      changeAddress: address,
    });
    assert.equal(funded.psbt.unsignedTx.inputs.length, 1);
    assert.ok(funded.psbt.inputs[0]!.witnessScript !== undefined, 'the watch-only wallet adds the script');
    assert.equal(a.getAddressInfo(address).isMine, false, 'a never recorded the multisig');

    const first = await a.processPsbt(funded.psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(first.complete, false);
    assert.equal(first.psbt.inputs[0]!.partialSigs.length, 1);
    const second = await b.processPsbt(first.psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(second.complete, true);
    const tx = extractTransaction(second.psbt);
    // Sized for 72-byte signatures, the 1 sat/vB PSBT meets the relay minimum whatever R the cosigners got.
    assert.ok(funded.fee >= tx.vsize(), `fee ${funded.fee} for ${tx.vsize()} vB`);
    const r = await h.mempool.accept(tx);
    assert.ok(r.ok, r.ok ? '' : `${r.reason} ${r.debug}`);
  });

  it('signs a script it does not know when the PSBT carries a BIP32 derivation of its key', async () => {
    const info = a.getAddressInfo(await a.getNewAddress());
    // The legacy script of a key a hands out for bech32: not one of a's scripts.
    const script = p2pkh(hash160(info.pubkey!));
    const legacy = addressFromScript(script, h.chain.network.addressPrefixes)!;
    assert.equal(a.getAddressInfo(legacy).isMine, false);
    const pay = h.payTo(legacy, COIN, blocks[1]!);
    await h.accept(pay);
    await h.mine(1);
    const vout = pay.outputs.findIndex((o) => o.value === COIN);
    const unsigned = () => {
      const psbt = createPsbt(
        [{ txid: pay.txidHex(), vout }],
        [{ script: h.tc.key.p2wpkh(), value: COIN - 5_000 }],
      );
      psbt.inputs[0]!.nonWitnessUtxo = pay;
      return psbt;
    };
    const bare = await a.processPsbt(unsigned(), { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(bare.psbt.inputs[0]!.partialSigs.length, 0, 'nothing names the key: not signed');

    const named = unsigned();
    named.inputs[0]!.bip32Derivations.push({
      pubkey: info.pubkey!,
      origin: { fingerprint: fromHex(info.hdMasterFingerprint!), path: parsePath(info.hdKeyPath!) },
    });
    const done = await a.processPsbt(named, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(done.complete, true);
    const r = await h.mempool.accept(extractTransaction(done.psbt));
    assert.ok(r.ok, r.ok ? '' : `${r.reason} ${r.debug}`);
  });
});
