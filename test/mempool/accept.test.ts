import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TxValidationResult } from '../../src/consensus/errors.js';
import { encodeDer, parseDerLax } from '../../src/crypto/der.js';
import { toDisplayHex } from '../../src/encoding/hex.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import { nullData, p2wpkh } from '../../src/script/templates.js';
import { assertAccepted, assertRejected, MempoolHarness } from './support.js';

const ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The same signature with s replaced by n - s: valid by consensus, refused by LOW_S (BIP62). */
function highS(sigWithHashType: Uint8Array): Uint8Array {
  const sig64 = parseDerLax(sigWithHashType.subarray(0, sigWithHashType.length - 1))!;
  const s = BigInt(`0x${Buffer.from(sig64.subarray(32)).toString('hex')}`);
  const flipped = Uint8Array.from(sig64);
  flipped.set(Buffer.from((ORDER - s).toString(16).padStart(64, '0'), 'hex'), 32);
  const der = encodeDer(flipped);
  return Uint8Array.from([...der, sigWithHashType[sigWithHashType.length - 1]!]);
}

describe('Mempool: acceptance against the real chain', () => {
  let h: MempoolHarness;
  before(async () => {
    h = await MempoolHarness.create();
  });
  after(async () => {
    await h.destroy();
  });

  it('accepts a signed P2WPKH spend and records its entry', async () => {
    const coin = h.coin();
    const tx = h.tc.spend([coin], { fee: 2000 });
    const events: string[] = [];
    h.mempool.once('tx', (e) => events.push(e.tx.txidHex()));
    const result = await h.mempool.accept(tx);
    assertAccepted(result);
    assert.deepEqual(events, [tx.txidHex()]);
    const entry = h.mempool.get(tx.txid())!;
    assert.equal(entry.fee, 2000);
    assert.equal(entry.vsize, tx.vsize());
    assert.equal(entry.weight, tx.weight());
    assert.equal(entry.height, h.chain.height);
    assert.equal(entry.time, h.now);
    assert.equal(entry.ancestorCount, 1);
    assert.equal(entry.descendantFees, 2000);
    assert.equal(h.mempool.getByWtxid(tx.wtxid()), entry);
    assert.equal(h.mempool.spender(coin.outpoint), entry);
    const coinOut = h.mempool.getCoin(new OutPoint(tx.txid(), 0))!;
    assert.equal(coinOut.value, coin.value - 2000);
    const info = h.mempool.entryInfo(entry);
    assert.equal(info.wtxid, toDisplayHex(tx.wtxid()));
    assert.equal(info['bip125-replaceable'], false);
  });

  it('accepts P2PKH spends (legacy sighash, real signatures)', async () => {
    const fund = h.tc.spend([h.coin()], { outputs: [{ value: 1_000_000, scriptPubKey: h.tc.key.p2pkh() }] });
    assertAccepted(await h.mempool.accept(fund));
    const spend = h.tc.spend(h.tc.outputs(fund), { fee: 5000 });
    assert.ok(spend.inputs[0]!.scriptSig.length > 100, 'signed in the scriptSig');
    assertAccepted(await h.mempool.accept(spend));
    assert.equal(h.mempool.get(spend.txid())!.ancestorCount, 2);
  });

  it('txn-already-in-mempool; txn-same-nonwitness-data-in-mempool for another witness', async () => {
    const tx = h.tc.spend([h.coin()]);
    assertAccepted(await h.mempool.accept(tx));
    assertRejected(await h.mempool.accept(tx), 'txn-already-in-mempool', TxValidationResult.CONFLICT);
    const malleated = tx.clone();
    malleated.inputs[0]!.witness = [highS(tx.inputs[0]!.witness[0]!), tx.inputs[0]!.witness[1]!];
    malleated.invalidate();
    assertRejected(await h.mempool.accept(malleated), 'txn-same-nonwitness-data-in-mempool');
  });

  it('coinbase; consensus reasons from CheckTransaction and CheckTxInputs', async () => {
    assertRejected(await h.mempool.accept(h.blocks[0]!.txs[0]!), 'coinbase', TxValidationResult.CONSENSUS);
    const empty = new Transaction(2, [], [new TxOut(1, p2wpkh(new Uint8Array(20)))]);
    assertRejected(await h.mempool.accept(empty), 'bad-txns-vin-empty');
    const overspend = h.tc.spend([h.coin()], { outputs: [{ value: 51e8 }] });
    assertRejected(await h.mempool.accept(overspend), 'bad-txns-in-belowout', TxValidationResult.CONSENSUS);
    // The newest coinbase (height 130) is 99 confirmations short at the next block.
    const young = h.tc.spend([h.tc.coinbaseOutput(h.blocks[h.blocks.length - 1]!)]);
    assertRejected(await h.mempool.accept(young), 'bad-txns-premature-spend-of-coinbase');
  });

  it('non-final and non-BIP68-final at the next block', async () => {
    const height = h.chain.height;
    const locked = h.tc.spend([h.coin()], { locktime: height + 2, sequence: 0xfffffffe });
    assertRejected(await h.mempool.accept(locked), 'non-final', TxValidationResult.PREMATURE_SPEND);
    const ok = h.tc.spend([h.coin()], { locktime: height, sequence: 0xfffffffe });
    assertAccepted(await h.mempool.accept(ok));
    // BIP68: 5 blocks relative to a coin confirmed at the tip (1 confirmation in the next block).
    const [coin] = await h.fanOut(1);
    const relative = h.tc.spend([coin!], { sequence: 5 });
    assertRejected(await h.mempool.accept(relative), 'non-BIP68-final', TxValidationResult.PREMATURE_SPEND);
  });

  it('min relay fee not met (TX_MEMPOOL_POLICY), with Core debug text', async () => {
    const tx = h.tc.spend([h.coin()], { fee: 100 });
    const result = await h.mempool.accept(tx);
    assertRejected(result, 'min relay fee not met', TxValidationResult.MEMPOOL_POLICY);
    assert.equal(!result.ok && result.debug, `100 < ${tx.vsize()}`);
  });

  it('IsStandardTx failures are TX_NOT_STANDARD', async () => {
    const dust = h.tc.spend([h.coin()], { outputs: [{ value: 100 }, { value: 200 }] });
    assertRejected(await h.mempool.accept(dust), 'dust', TxValidationResult.NOT_STANDARD);
    const oneDust = h.tc.spend([h.coin()], { outputs: [{ value: 100 }, { value: 49e8 }] });
    const r = await h.mempool.accept(oneDust);
    assertRejected(r, 'dust', TxValidationResult.NOT_STANDARD);
    assert.equal(!r.ok && r.debug, 'tx with dust output must be 0-fee');
    const data = h.tc.spend([h.coin()], {
      outputs: [
        { value: 49e8 },
        { value: 0, scriptPubKey: nullData(Uint8Array.of(1)) },
        { value: 0, scriptPubKey: nullData(Uint8Array.of(2)) },
      ],
    });
    assertRejected(await h.mempool.accept(data), 'multi-op-return');
    const v4 = h.tc.spend([h.coin()], { version: 4 });
    assertRejected(await h.mempool.accept(v4), 'version');
  });

  it('tx-size-small below 65 stripped bytes (CVE-2017-12842)', async () => {
    const coin = h.coin();
    const tx = new Transaction(2, [new TxIn(coin.outpoint, new Uint8Array(0))], [new TxOut(0, nullData())]);
    h.tc.sign(tx, [coin]);
    assert.ok(tx.baseSize() < 65);
    assertRejected(await h.mempool.accept(tx), 'tx-size-small', TxValidationResult.NOT_STANDARD);
  });

  it('script failures: mandatory (bad signature) vs non-mandatory (high S)', async () => {
    // Core reports the error of the run with standard flags: NULLFAIL fires before the plain
    // false result, hence this well-known (if odd-looking) reason for an invalid signature.
    const bad = h.tc.withBadSignature(h.tc.spend([h.coin()]));
    assertRejected(
      await h.mempool.accept(bad),
      'mandatory-script-verify-flag-failed (Signature must be zero for failed CHECK(MULTI)SIG operation)',
      TxValidationResult.CONSENSUS,
    );
    const tx = h.tc.spend([h.coin()]);
    tx.inputs[0]!.witness[0] = highS(tx.inputs[0]!.witness[0]!);
    tx.invalidate();
    assertRejected(
      await h.mempool.accept(tx),
      'non-mandatory-script-verify-flag (Non-canonical signature: S value is unnecessarily high)',
      TxValidationResult.NOT_STANDARD,
    );
  });

  it('a stripped witness is TX_WITNESS_STRIPPED (the real transaction may be fine)', async () => {
    const tx = h.tc.spend([h.coin()]);
    tx.inputs[0]!.witness = [];
    tx.invalidate();
    assertRejected(
      await h.mempool.accept(tx),
      'mandatory-script-verify-flag-failed (Witness program hash mismatch)',
      TxValidationResult.WITNESS_STRIPPED,
    );
  });

  it('txn-already-known: a confirmed transaction offered again', async () => {
    const tx = h.tc.spend([h.coin()]);
    assertAccepted(await h.mempool.accept(tx));
    await h.mine([tx]);
    assert.equal(h.mempool.has(tx.txid()), false);
    assertRejected(await h.mempool.accept(tx), 'txn-already-known', TxValidationResult.CONFLICT);
  });

  it('testAccept validates without adding', async () => {
    const tx = h.tc.spend([h.coin()]);
    const result = await h.mempool.testAccept(tx);
    assertAccepted(result);
    assert.equal(h.mempool.has(tx.txid()), false);
    assertRejected(await h.mempool.testAccept(h.tc.spend([h.coin()], { fee: 1 })), 'min relay fee not met');
  });

  it('info() has getmempoolinfo fields', () => {
    const info = h.mempool.info();
    assert.equal(info.loaded, true);
    assert.equal(info.size, [...h.mempool.entries()].length);
    assert.equal(
      info.bytes,
      [...h.mempool.entries()].reduce((s, e) => s + e.vsize, 0),
    );
    assert.equal(
      info.total_fee,
      [...h.mempool.entries()].reduce((s, e) => s + e.fee, 0),
    );
    assert.equal(info.maxmempool, 300_000_000);
    assert.equal(info.mempoolminfee, 1000);
    assert.equal(info.minrelaytxfee, 1000);
    assert.equal(info.incrementalrelayfee, 1000);
    assert.equal(info.fullrbf, true);
    assert.ok(info.usage > 0);
  });
});
