import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toHex } from '../../../src/encoding/hex.js';
import type { Block } from '../../../src/primitives/block.js';
import type { Transaction } from '../../../src/primitives/transaction.js';
import type { BumpFeeRequest, WalletApi } from '../../../src/wallet/api.js';
import { extractTransaction } from '../../../src/wallet/psbt/extractor.js';
import type { Psbt } from '../../../src/wallet/psbt/psbt.js';
import { createTwoWallets, type EngineHarness, rejectsWalletError as rejects } from './harness.js';

const COIN = 100_000_000;

/**
 * psbtbumpfee and bumpfee's `outputs` / `original_change_index` (Core's feebumper with
 * require_mine=false): a watch-only 2-of-3 multisig wallet bumps a stuck payment to a PSBT that
 * two cosigners sign; the finalized replacement evicts the original from the mempool.
 */
describe('psbtbumpfee: a watch-only 2-of-3 multisig bumps a payment its cosigners sign', () => {
  let h: EngineHarness;
  let a: WalletApi;
  let b: WalletApi;
  let c: WalletApi;
  let vault: WalletApi;
  let blocks: Block[];
  let dest: string;
  let vaultAddress: string;
  let changeAddress: string;

  /** A fresh key of each cosigner, as createmultisig takes them. */
  async function cosignerKeys(): Promise<string[]> {
    const keys: string[] = [];
    for (const w of [a, b, c]) keys.push(toHex(w.getAddressInfo(await w.getNewAddress()).pubkey!));
    return keys;
  }

  /** Cosigners a and c sign (each sees one signature missing), then the PSBT is finalized. */
  async function cosign(psbt: Psbt): Promise<Transaction> {
    const first = await a.processPsbt(psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(first.complete, false, 'one signature of two');
    const second = await c.processPsbt(first.psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(second.complete, true);
    return extractTransaction(second.psbt);
  }

  /** A payment from the vault to `dest`, co-signed and in the mempool. */
  async function pay(amount: number, change: string, feeRate = 2): Promise<Transaction> {
    const funded = await vault.createFundedPsbt({
      recipients: [{ address: dest, amount }],
      feeRate,
      changeAddress: change,
    });
    const tx = await cosign(funded.psbt);
    await h.accept(tx);
    return tx;
  }

  /** What a refused bump must leave as it was. */
  function snapshot(): string {
    return JSON.stringify({
      pool: [...h.mempool.entries()].map((e) => e.tx.txidHex()).sort(),
      txs: vault.listTransactions(undefined, 1000, 0, true).length,
      balances: vault.balances({ includeWatchOnly: true }),
      coins: vault.listUnspent({ minConf: 0 }).map((u) => `${u.txid}:${u.vout}`),
    });
  }

  async function refused(req: BumpFeeRequest, txid: string, code: string, message: string | RegExp) {
    const before = snapshot();
    await rejects(vault.psbtBumpFee(txid, req), code, message);
    assert.equal(snapshot(), before, 'a refused bump changes nothing');
  }

  before(async () => {
    ({ h, a, b, blocks, dest } = await createTwoWallets());
    c = await h.wallets.create({ name: 'c' });
    vault = await h.wallets.create({ name: 'vault', disablePrivateKeys: true, blank: true });
    // Receiving multisig, labelled (so not change), and an internal one (Core's change: no address-book entry).
    const receive = await a.addMultisigAddress(2, await cosignerKeys(), 'vault', 'bech32');
    const change = await a.addMultisigAddress(2, await cosignerKeys(), undefined, 'bech32');
    vaultAddress = receive.address;
    changeAddress = change.address;
    assert.deepEqual(
      await vault.importDescriptors([
        { desc: receive.descriptor, timestamp: 'now', label: 'vault' },
        { desc: change.descriptor, timestamp: 'now', internal: true },
      ]),
      [{ success: true }, { success: true }],
    );
    for (let i = 0; i < 4; i++) await h.accept(h.payTo(vaultAddress, 2 * COIN, blocks[i]!));
    await h.mine(1);
    assert.equal(vault.balances({ includeWatchOnly: true }).trusted, 8 * COIN);
  });
  after(async () => {
    await h.destroy();
  });

  it('pays, bumps to a PSBT, two cosigners sign; the replacement evicts the original', async () => {
    const original = await pay(COIN / 2, changeAddress);
    const changeScript = h.script(changeAddress);
    const origChange = original.outputs.find((o) => toHex(o.scriptPubKey) === toHex(changeScript))!;
    const bumpedPsbt = await vault.psbtBumpFee(original.txidHex(), { feeRate: 10 });
    assert.deepEqual(bumpedPsbt.errors, []);
    assert.equal(bumpedPsbt.origFee, -vault.getTransaction(original.txidHex(), true).fee!);
    assert.ok(bumpedPsbt.fee > bumpedPsbt.origFee);
    // Filled like walletcreatefundedpsbt's: previous outputs and witness scripts, no signatures.
    for (const input of bumpedPsbt.psbt.inputs) {
      assert.ok(input.witnessUtxo !== undefined || input.nonWitnessUtxo !== undefined);
      assert.ok(input.witnessScript !== undefined);
      assert.equal(input.partialSigs.length, 0);
    }
    // Nothing committed: the original is still the one in the mempool.
    assert.ok(h.mempool.has(original.txid()));

    const replacement = await cosign(bumpedPsbt.psbt);
    await h.accept(replacement);
    assert.ok(!h.mempool.has(original.txid()), 'the original was evicted');
    assert.ok(h.mempool.has(replacement.txid()));
    // Same inputs, the recipient paid the same, the change (found without a hint) lowered.
    assert.deepEqual(
      replacement.inputs.map((i) => i.prevout.key()),
      original.inputs.map((i) => i.prevout.key()),
    );
    assert.ok(replacement.outputs.some((o) => o.value === COIN / 2));
    const newChange = replacement.outputs.find((o) => toHex(o.scriptPubKey) === toHex(changeScript))!;
    assert.equal(origChange.value - newChange.value, bumpedPsbt.fee - bumpedPsbt.origFee);
    assert.ok(
      bumpedPsbt.fee >= replacement.vsize() * 10,
      `fee ${bumpedPsbt.fee} for ${replacement.vsize()} vB`,
    );
    assert.equal(vault.getTransaction(replacement.txidHex(), true).fee, -bumpedPsbt.fee);
    await h.mine(1);
    assert.equal(vault.getTransaction(replacement.txidHex(), true).confirmations, 1);
  });

  it('outputs: new recipients replace the original’s; the change is found and re-computed', async () => {
    const original = await pay(COIN / 2, changeAddress);
    const other = await b.getNewAddress();
    const bumped = await vault.psbtBumpFee(original.txidHex(), {
      feeRate: 10,
      outputs: [
        { script: h.script(other), amount: 0.3 * COIN },
        // The change output is recognised among the new outputs; its amount is recomputed.
        { script: h.script(changeAddress), amount: 1000 },
      ],
    });
    const replacement = await cosign(bumped.psbt);
    await h.accept(replacement);
    assert.ok(!h.mempool.has(original.txid()));
    assert.equal(replacement.outputs.length, 2);
    assert.ok(!replacement.outputs.some((o) => toHex(o.scriptPubKey) === toHex(h.script(dest))));
    assert.ok(replacement.outputs.some((o) => o.value === 0.3 * COIN));
    const change = replacement.outputs.find((o) => toHex(o.scriptPubKey) === toHex(h.script(changeAddress)))!;
    // Σ inputs is the same: what the original paid out plus its fee.
    const inputs = original.outputs.reduce((sum, o) => sum + o.value, 0) + bumped.origFee;
    assert.equal(change.value, inputs - 0.3 * COIN - bumped.fee);
    assert.equal(replacement.inputs.length, original.inputs.length);
    await h.mine(1);
  });

  it('original_change_index names a labelled change output that detection would miss', async () => {
    // Change back to the labelled receive address (as the acceptance test's vault does).
    const original = await pay(COIN / 4, vaultAddress);
    const index = original.outputs.findIndex((o) => toHex(o.scriptPubKey) === toHex(h.script(vaultAddress)));
    assert.ok(index >= 0);
    // Without the hint both outputs are recipients: the fee needs another input, whose change
    // this blank wallet has no key for.
    await refused(
      { feeRate: 10 },
      original.txidHex(),
      'WALLET_ERROR',
      "Unable to create transaction. Transaction needs a change address, but we can't generate it. Error: No bech32 addresses available.",
    );
    const bumped = await vault.psbtBumpFee(original.txidHex(), { feeRate: 10, originalChangeIndex: index });
    const replacement = await cosign(bumped.psbt);
    await h.accept(replacement);
    assert.ok(!h.mempool.has(original.txid()));
    assert.equal(replacement.inputs.length, original.inputs.length, 'no input added');
    const change = replacement.outputs.find((o) => toHex(o.scriptPubKey) === toHex(h.script(vaultAddress)))!;
    assert.equal(original.outputs[index]!.value - change.value, bumped.fee - bumped.origFee);
    await h.mine(1);
  });

  it('refuses what Core refuses, leaving the wallet and the mempool unchanged', async () => {
    const original = await pay(COIN / 8, changeAddress);
    const txid = original.txidHex();
    await refused(
      { originalChangeIndex: 0, outputs: [{ script: h.script(dest), amount: COIN / 8 }] },
      txid,
      'INVALID_PARAMETER',
      "The options 'outputs' and 'original_change_index' are incompatible. You can only either specify a new set of outputs, or designate a change output to be recycled.",
    );
    await refused(
      { originalChangeIndex: original.outputs.length },
      txid,
      'INVALID_PARAMETER',
      'Change position is out of range',
    );
    await refused({}, '11'.repeat(32), 'INVALID_ADDRESS_OR_KEY', 'Invalid or non-wallet transaction id');
    await refused(
      { feeRate: 1 },
      txid,
      'INVALID_PARAMETER',
      /^Insufficient total fee 0\.\d+, must be at least 0\.\d+ \(oldFee 0\.\d+ \+ incrementalFee 0\.\d+\)$/,
    );
    await refused(
      { outputs: [{ script: h.script(dest), amount: 9 * COIN }] },
      txid,
      'WALLET_ERROR',
      /^Unable to create transaction\. /,
    );
    const before = snapshot();
    await rejects(
      vault.bumpFee(txid, {}),
      'WALLET_ERROR',
      'bumpfee is not available with wallets that have private keys disabled. Use psbtbumpfee instead.',
    );
    assert.equal(snapshot(), before);
    await h.mine(1);
    await refused(
      {},
      txid,
      'WALLET_ERROR',
      'Transaction has been mined, or is conflicted with a mined transaction',
    );
  });
});

describe('bumpfee outputs / original_change_index and psbtbumpfee in a wallet with keys', () => {
  let h: EngineHarness;
  let a: WalletApi;
  let dest: string;
  before(async () => {
    let blocks: Block[];
    ({ h, a, blocks, dest } = await createTwoWallets());
    for (let i = 0; i < 3; i++) await h.accept(h.payTo(await a.getNewAddress(), 2 * COIN, blocks[i]!));
    await h.mine(1);
  });
  after(async () => {
    await h.destroy();
  });

  it('bumpfee with outputs pays the new recipient instead, with new change', async () => {
    const sent = await a.send({ recipients: [{ address: dest, amount: COIN }], feeRate: 2 });
    const other = await a.getNewAddress('someone');
    const bumped = await a.bumpFee(sent.txid, {
      feeRate: 10,
      outputs: [{ script: h.script(other), amount: COIN / 2 }],
    });
    const replacement = a.getTransaction(bumped.txid).tx;
    assert.ok(!h.mempool.has(a.getTransaction(sent.txid).tx.txid()));
    assert.ok(!replacement.outputs.some((o) => toHex(o.scriptPubKey) === toHex(h.script(dest))));
    assert.ok(
      replacement.outputs.some(
        (o) => o.value === COIN / 2 && toHex(o.scriptPubKey) === toHex(h.script(other)),
      ),
    );
    assert.equal(replacement.outputs.length, 2, 'recipient and change');
    assert.equal(a.getTransaction(bumped.txid).replaces, sent.txid);
  });

  it('bumpfee original_change_index recycles the named output as change', async () => {
    const sent = await a.send({ recipients: [{ address: dest, amount: COIN / 4 }], feeRate: 2 });
    const tx = a.getTransaction(sent.txid).tx;
    const index = tx.outputs.findIndex((o) => toHex(o.scriptPubKey) !== toHex(h.script(dest)));
    const bumped = await a.bumpFee(sent.txid, { feeRate: 8, originalChangeIndex: index });
    const replacement = a.getTransaction(bumped.txid).tx;
    const change = replacement.outputs.find(
      (o) => toHex(o.scriptPubKey) === toHex(tx.outputs[index]!.scriptPubKey),
    )!;
    assert.equal(tx.outputs[index]!.value - change.value, bumped.fee - bumped.origFee);
    await rejects(
      a.bumpFee(bumped.txid, { originalChangeIndex: 2 }),
      'INVALID_PARAMETER',
      'Change position is out of range',
    );
  });

  it('psbtbumpfee in a wallet with keys: the wallet signs the PSBT itself', async () => {
    const sent = await a.send({ recipients: [{ address: dest, amount: COIN / 5 }], feeRate: 2 });
    const bumped = await a.psbtBumpFee(sent.txid, { feeRate: 7 });
    assert.ok(h.mempool.has(a.getTransaction(sent.txid).tx.txid()), 'nothing submitted');
    assert.equal(a.getTransaction(sent.txid).replacedBy, undefined, 'nothing committed');
    const signed = await a.processPsbt(bumped.psbt, { sign: true, bip32Derivs: true, finalize: true });
    assert.equal(signed.complete, true);
    const tx = extractTransaction(signed.psbt);
    await h.accept(tx);
    assert.ok(!h.mempool.has(a.getTransaction(sent.txid).tx.txid()));
    assert.equal(a.getTransaction(tx.txidHex()).fee, -bumped.fee);
  });
});
