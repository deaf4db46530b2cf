import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { STANDARD_SCRIPT_VERIFY_FLAGS } from '../../../src/policy/constants.js';
import type { Block } from '../../../src/primitives/block.js';
import type { Transaction } from '../../../src/primitives/transaction.js';
import { TxOut } from '../../../src/primitives/txout.js';
import { addressFromScript } from '../../../src/script/address.js';
import { TransactionSignatureChecker } from '../../../src/script/checker.js';
import { verifyScript } from '../../../src/script/interpreter.js';
import { PrecomputedTransactionData } from '../../../src/script/precomputed.js';
import { classifyScript, p2tr, p2wsh } from '../../../src/script/templates.js';
import { type WalletApi, WalletError } from '../../../src/wallet/api.js';
import { spendWeight } from '../../../src/wallet/fees/tx-size.js';
import { HDAccount, HDKey, mnemonicToSeed } from '../../../src/wallet/keys/index.js';
import { addChecksum } from '../../../src/wallet/descriptors/index.js';
import { metaKey } from '../../../src/wallet/layout.js';
import { extractTransaction, finalizePsbt } from '../../../src/wallet/psbt/index.js';
import type { WalletMetaRecord } from '../../../src/wallet/store/records.js';
import { decodeJson, put, WalletDB } from '../../../src/wallet/store/wallet-db.js';
import { EngineHarness, MNEMONIC } from './harness.js';

const COIN = 100_000_000;

/** Runs every input through the consensus interpreter with the standard flags (taproot included). */
function verifyAllInputs(tx: Transaction, spent: readonly TxOut[]): void {
  const txdata = new PrecomputedTransactionData(tx, spent);
  tx.inputs.forEach((input, i) => {
    const checker = new TransactionSignatureChecker(tx, i, spent[i]!.value, txdata);
    const r = verifyScript(
      input.scriptSig,
      spent[i]!.scriptPubKey,
      input.witness,
      STANDARD_SCRIPT_VERIFY_FLAGS,
      checker,
    );
    assert.equal(r, 'OK', `input ${i}: ${r}`);
  });
}

/** The spent outputs of `tx`, looked up in the transactions that created them. */
function spentBy(tx: Transaction, sources: readonly Transaction[]): TxOut[] {
  return tx.inputs.map((i) => {
    const src = sources.find((s) => s.txidHex() === i.prevout.txid());
    assert.ok(src !== undefined, 'source transaction known');
    const out = src.outputs[i.prevout.index]!;
    return new TxOut(out.value, out.scriptPubKey);
  });
}

describe('taproot (BIP86) wallet keys: receive, send by key path, PSBT', () => {
  let h: EngineHarness;
  let w: WalletApi;
  let coinBlocks: Block[];
  const funding: Transaction[] = [];
  const regtestAccount = HDAccount.fromMaster(HDKey.fromSeed(mnemonicToSeed(MNEMONIC)), 86, regtest);

  before(async () => {
    h = await EngineHarness.create();
    w = await h.wallets.create({ name: 't', mnemonic: MNEMONIC });
    coinBlocks = await h.mine(103, []);
  });
  after(async () => {
    await h.destroy();
  });

  it('getnewaddress bech32m and getrawchangeaddress bech32m derive BIP86 m/86h/1h/0h/{0,1}/i', async () => {
    const receive = await w.getNewAddress('', 'bech32m');
    assert.equal(receive, regtestAccount.receive(0).address);
    assert.match(receive, /^bcrt1p/);
    const change = await w.getRawChangeAddress('bech32m');
    assert.equal(change, regtestAccount.change(0).address);
  });

  it('getaddressinfo: ismine, solvable, tr() desc with origin, witness v1, no pubkey', () => {
    const first = regtestAccount.receive(0);
    const info = w.getAddressInfo(first.address);
    assert.equal(info.isMine, true);
    assert.equal(info.solvable, true);
    assert.equal(info.isWitness, true);
    assert.equal(info.witnessVersion, 1);
    assert.equal(info.isScript, true, "Core's DescribeAddress: taproot is a script");
    assert.equal(info.pubkey, undefined);
    assert.equal(info.hdKeyPath, 'm/86h/1h/0h/0/0');
    assert.equal(info.hdMasterFingerprint, '73c5da0a');
    const xonly = Buffer.from(first.publicKey.subarray(1)).toString('hex');
    assert.match(info.desc ?? '', new RegExp(`^tr\\(\\[73c5da0a/86h/1h/0h/0/0\\]${xonly}\\)#[a-z0-9]{8}$`));
    const change = w.getAddressInfo(regtestAccount.change(0).address);
    assert.equal(change.isChange, true);
    assert.equal(change.hdKeyPath, 'm/86h/1h/0h/1/0');
  });

  it('receives to bech32m: pending in the mempool, trusted once mined, listed as unspent', async () => {
    const a1 = regtestAccount.receive(0).address;
    const a2 = await w.getNewAddress('second', 'bech32m');
    const tx1 = h.payTo(a1, 2 * COIN, coinBlocks[0]!);
    const tx2 = h.payTo(a2, 3 * COIN, coinBlocks[1]!);
    funding.push(tx1, tx2);
    await h.accept(tx1);
    await h.accept(tx2);
    assert.equal(w.balances().untrustedPending, 5 * COIN);
    await h.mine(1);
    assert.deepEqual(w.balances(), { trusted: 5 * COIN, untrustedPending: 0, immature: 0 });
    const utxos = w.listUnspent({});
    assert.equal(utxos.length, 2);
    for (const u of utxos) assert.equal(classifyScript(u.scriptPubKey).type, 'witness_v1_taproot');
  });

  it('a payment beyond the handed-out index is found by the lookahead', async () => {
    const ahead = regtestAccount.receive(7).address;
    const tx = h.payTo(ahead, COIN, coinBlocks[2]!);
    funding.push(tx);
    await h.accept(tx);
    await h.mine(1);
    assert.equal(w.balances().trusted, 6 * COIN);
    // Core's MarkUnusedAddresses: the next address handed out is past the paid one.
    assert.equal(await w.getNewAddress('', 'bech32m'), regtestAccount.receive(8).address);
  });

  it('sends from taproot-only coins: key-path witnesses verify, change is bech32m, mempool and block accept', async () => {
    const external = p2tr(new Uint8Array(32).fill(7).map((b, i) => (i === 0 ? 0x79 : b)));
    const dest = addressFromScript(external, h.chain.network.addressPrefixes)!;
    const sent = await w.send({ recipients: [{ address: dest, amount: 4 * COIN }], feeRate: 3 });
    const wtx = w.getTransaction(sent.txid);
    const tx = wtx.tx;
    assert.ok(tx.inputs.length >= 2, 'needs two taproot coins');
    for (const input of tx.inputs) {
      assert.equal(input.witness.length, 1);
      assert.equal(input.witness[0]!.length, 64, 'SIGHASH_DEFAULT: 64-byte signature');
      assert.equal(input.scriptSig.length, 0);
    }
    verifyAllInputs(tx, spentBy(tx, funding));
    // Core's TransactionChangeType: a taproot recipient gets taproot change.
    const change = tx.outputs.find((o) => o.value !== 4 * COIN)!;
    assert.equal(classifyScript(change.scriptPubKey).type, 'witness_v1_taproot');
    const changeAddress = addressFromScript(change.scriptPubKey, h.chain.network.addressPrefixes)!;
    assert.equal(
      changeAddress,
      regtestAccount.change(1).address,
      'index 0 was handed out by getrawchangeaddress',
    );
    // 57.5 vB per key-path input, priced as Core prices it: the fee matches the real size.
    assert.ok(
      sent.fee >= tx.vsize() * 3 && sent.fee < tx.vsize() * 3 + 6,
      `fee ${sent.fee} for ${tx.vsize()} vB`,
    );
    assert.ok(h.mempool.has(tx.txid()));
    await h.mine(1);
    assert.equal(h.mempool.has(tx.txid()), false);
    assert.equal(w.getTransaction(sent.txid).confirmations, 1);
    assert.equal(w.balances().trusted, 6 * COIN - 4 * COIN - sent.fee);
    funding.push(tx);
  });

  it('change follows the recipient type when the wallet has that chain, else bech32m', async () => {
    const wpkhDest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
    const toWpkh = w.getTransaction(
      (await w.send({ recipients: [{ address: wpkhDest, amount: COIN / 10 }], feeRate: 2 })).txid,
    ).tx;
    assert.ok(
      toWpkh.outputs.some(
        (o) => o.value !== COIN / 10 && classifyScript(o.scriptPubKey).type === 'witness_v0_keyhash',
      ),
    );
    verifyAllInputs(toWpkh, spentBy(toWpkh, funding));
    funding.push(toWpkh);
    const wshDest = addressFromScript(p2wsh(new Uint8Array(32).fill(1)), h.chain.network.addressPrefixes)!;
    const toWsh = w.getTransaction(
      (await w.send({ recipients: [{ address: wshDest, amount: COIN / 10 }], feeRate: 2 })).txid,
    ).tx;
    assert.ok(
      toWsh.outputs.some(
        (o) => o.value !== COIN / 10 && classifyScript(o.scriptPubKey).type === 'witness_v1_taproot',
      ),
    );
    funding.push(toWsh);
    await h.mine(1);
  });

  it('walletcreatefundedpsbt fills BIP371 fields; walletprocesspsbt signs TAP_KEY_SIG; the finalizer completes it', async () => {
    const dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
    const taproot = w
      .listUnspent({})
      .filter((u) => classifyScript(u.scriptPubKey).type === 'witness_v1_taproot');
    assert.ok(taproot.length > 0);
    const coin = taproot[0]!;
    const { psbt } = await w.createFundedPsbt({
      recipients: [{ address: dest, amount: 10_000 }],
      inputs: [{ txid: coin.txid, vout: coin.vout }],
      addInputs: false,
      feeRate: 2,
    });
    const input = psbt.inputs[0]!;
    assert.equal(input.tapInternalKey?.length, 32);
    assert.equal(input.tapBip32Derivations.length, 1);
    assert.deepEqual(input.tapBip32Derivations[0]!.leafHashes, []);
    assert.equal(Buffer.from(input.tapBip32Derivations[0]!.origin.fingerprint).toString('hex'), '73c5da0a');
    const processed = await w.processPsbt(psbt, { sign: true, bip32Derivs: true, finalize: false });
    assert.equal(processed.complete, false);
    assert.equal(processed.psbt.inputs[0]!.tapKeySig?.length, 64);
    const fin = finalizePsbt(processed.psbt);
    assert.equal(fin.complete, true, JSON.stringify(fin.inputs));
    const tx = extractTransaction(processed.psbt);
    verifyAllInputs(tx, spentBy(tx, funding));
    await h.accept(tx);
    await h.mine(1);
  });

  it('a PSBT paying taproot gets taproot change with TAP_INTERNAL_KEY and its origin on the output', async () => {
    // An untweaked key as the output key: a taproot address the wallet does not own.
    const external = addressFromScript(
      p2tr(regtestAccount.receive(50).publicKey.subarray(1)),
      regtest.addressPrefixes,
    )!;
    assert.equal(w.getAddressInfo(external).isMine, false);
    const { psbt, changePos } = await w.createFundedPsbt({
      recipients: [{ address: external, amount: 20_000 }],
      feeRate: 2,
    });
    assert.ok(changePos >= 0);
    const change = psbt.outputs[changePos]!;
    assert.equal(classifyScript(psbt.unsignedTx.outputs[changePos]!.scriptPubKey).type, 'witness_v1_taproot');
    assert.equal(change.tapInternalKey?.length, 32);
    assert.equal(change.tapBip32Derivations[0]?.origin.path.length, 5);
    assert.equal(spendWeight({ kind: 'p2tr-keypath' }).inputWeight, 230, "Core's 57.5 vB key-path input");
  });

  it('signrawtransactionwithwallet signs a taproot input it knows', async () => {
    const address = await w.getNewAddress('', 'bech32m');
    const fund = h.payTo(address, COIN, coinBlocks[4]!);
    funding.push(fund);
    await h.accept(fund);
    await h.mine(1);
    const vout = fund.outputs.findIndex((o) => o.value === COIN);
    const dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
    const { psbt } = await w.createFundedPsbt({
      recipients: [{ address: dest, amount: COIN / 4 }],
      inputs: [{ txid: fund.txidHex(), vout }],
      addInputs: false,
      feeRate: 2,
    });
    const signed = w.signRawTransaction(psbt.unsignedTx.clone(), [], 1);
    assert.deepEqual(signed.errors, []);
    assert.equal(signed.complete, true);
    verifyAllInputs(signed.tx, spentBy(signed.tx, funding));
    await h.accept(signed.tx);
    await h.mine(1);
  });

  it('an imported tr(tprv/*) descriptor serves bech32m and spends by key path', async () => {
    const seed = mnemonicToSeed('zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong');
    const account = HDAccount.fromMaster(HDKey.fromSeed(seed), 86, regtest);
    const tprv = account.accountKey.toBase58(regtest);
    const imp = await h.wallets.create({ name: 'imported-tr', blank: true });
    const results = await imp.importDescriptors([
      { desc: addChecksum(`tr(${tprv}/0/*)`), timestamp: 'now', active: true, range: [0, 5] },
      { desc: addChecksum(`tr(${tprv}/1/*)`), timestamp: 'now', active: true, internal: true, range: [0, 5] },
    ]);
    assert.deepEqual(results, [{ success: true }, { success: true }]);
    const address = await imp.getNewAddress('', 'bech32m');
    assert.equal(address, account.receive(0).address);
    assert.equal(imp.getAddressInfo(address).solvable, true);
    const fund = h.payTo(address, COIN, coinBlocks[3]!);
    await h.accept(fund);
    await h.mine(1);
    const dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
    const sent = await imp.send({ recipients: [{ address: dest, amount: COIN / 2 }], feeRate: 2 });
    const tx = imp.getTransaction(sent.txid).tx;
    verifyAllInputs(tx, spentBy(tx, [fund]));
    assert.ok(h.mempool.has(tx.txid()));
    await h.mine(1);
  });

  it('a wallet created before BIP86 accounts loads, and bech32m fails as Core: "Error: No bech32m addresses available."', async () => {
    await h.wallets.create({ name: 'old' });
    await h.wallets.unload('old');
    const db = await WalletDB.open(join(h.dir, 'regtest', 'wallets', 'old', 'db'));
    const meta = decodeJson<WalletMetaRecord>((await db.get(metaKey()))!);
    const { bech32m: _dropped, ...accounts } = meta.accounts!;
    await db.write([put(metaKey(), { ...meta, accounts })], true);
    await db.close();
    const old = await h.wallets.load('old');
    for (const call of [() => old.getNewAddress('', 'bech32m'), () => old.getRawChangeAddress('bech32m')]) {
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(e instanceof WalletError);
        assert.equal(e.code, 'KEYPOOL_RAN_OUT');
        assert.equal(e.message, 'Error: No bech32m addresses available.');
        return true;
      });
    }
    assert.match(await old.getNewAddress('', 'bech32'), /^bcrt1q/);
  });
});
