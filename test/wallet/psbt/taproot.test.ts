import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash160 } from '../../../src/crypto/hash.js';
import { taprootOutput } from '../../../src/script/taproot-tree.js';
import { p2wpkh } from '../../../src/script/templates.js';
import {
  analyzePsbt,
  createPsbt,
  extractTransaction,
  finalizePsbt,
  Psbt,
  privateKeySigner,
  signPsbt,
  updatePsbt,
} from '../../../src/wallet/psbt/index.js';
import { signTaproot, testKey, tweakPrivateKey } from '../../script/taproot-support.js';
import { assertConsensusValid, fundingTx, keyFor } from './support.js';

// BIP371 key path: a PSBT_IN_TAP_KEY_SIG made elsewhere is carried, combined and finalized next to
// ECDSA inputs in the same transaction; the signer makes one when it holds the internal key.
describe('taproot key path inputs', () => {
  const internal = testKey('psbt key path');
  const output = taprootOutput(internal.xonly);
  const segwitKey = keyFor('segwit next to taproot');
  const funding = fundingTx('taproot funding', [
    { script: output.scriptPubKey, value: 70_000 },
    { script: p2wpkh(hash160(segwitKey.publicKey)), value: 30_000 },
  ]);

  it('are finalized from PSBT_IN_TAP_KEY_SIG and verified with every spent output', () => {
    const psbt = createPsbt(
      [0, 1].map((vout) => ({ txid: funding.txidHex(), vout })),
      [{ script: p2wpkh(hash160(keyFor('payee').publicKey)), value: 99_000 }],
    );
    updatePsbt(psbt, { previousTransactions: [funding] });
    psbt.inputs[0]!.tapInternalKey = internal.xonly;
    assert.equal(analyzePsbt(psbt).inputs[0]!.next, 'signer');
    // The segwit key is not the taproot input's internal key: nothing to sign there.
    assert.equal(signPsbt(psbt, [segwitKey])[0]!.status, 'nothing-to-sign');
    assert.equal(psbt.inputs[0]!.tapKeySig, undefined);

    const tapKeySig = signTaproot(psbt.unsignedTx, 0, funding.outputs, tweakPrivateKey(internal.priv));
    const withSig = Psbt.fromBase64(psbt.toBase64());
    withSig.inputs[0]!.tapKeySig = tapKeySig;
    assert.equal(analyzePsbt(withSig).inputs[0]!.next, 'finalizer');
    assert.equal(finalizePsbt(withSig).complete, true);
    assert.deepEqual(withSig.inputs[0]!.finalScriptWitness, [tapKeySig]);
    assert.equal(withSig.inputs[0]!.tapInternalKey, undefined, 'cleared by the finalizer');
    const tx = extractTransaction(withSig);
    assertConsensusValid(tx, funding.outputs);
  });

  it('the signer makes PSBT_IN_TAP_KEY_SIG with the internal key; the finalizer verifies it', () => {
    const psbt = createPsbt(
      [0, 1].map((vout) => ({ txid: funding.txidHex(), vout })),
      [{ script: p2wpkh(hash160(keyFor('payee').publicKey)), value: 99_000 }],
    );
    updatePsbt(psbt, { previousTransactions: [funding] });
    const results = signPsbt(psbt, [privateKeySigner(internal.priv), segwitKey]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['signed', 'signed'],
    );
    assert.equal(psbt.inputs[0]!.tapKeySig?.length, 64, 'SIGHASH_ALL is signed as SIGHASH_DEFAULT');
    assert.deepEqual(psbt.inputs[0]!.tapInternalKey, internal.xonly);
    assert.equal(finalizePsbt(psbt).complete, true);
    assertConsensusValid(extractTransaction(psbt), funding.outputs);
  });

  it('the signer refuses a taproot input when another input has no UTXO (BIP341 signs them all)', () => {
    const psbt = createPsbt(
      [0, 1].map((vout) => ({ txid: funding.txidHex(), vout })),
      [{ script: p2wpkh(hash160(keyFor('payee').publicKey)), value: 99_000 }],
    );
    updatePsbt(psbt, { previousTransactions: [funding] });
    psbt.inputs[1]!.nonWitnessUtxo = undefined;
    psbt.inputs[1]!.witnessUtxo = undefined;
    assert.equal(signPsbt(psbt, [privateKeySigner(internal.priv)])[0]!.status, 'missing-spent-outputs');
    assert.equal(psbt.inputs[0]!.tapKeySig, undefined);
  });

  it('a bad key path signature is not finalized', () => {
    const psbt = createPsbt(
      [{ txid: funding.txidHex(), vout: 0 }],
      [{ script: output.scriptPubKey, value: 1 }],
    );
    updatePsbt(psbt, { previousTransactions: [funding] });
    psbt.inputs[0]!.tapKeySig = new Uint8Array(64).fill(1);
    assert.equal(finalizePsbt(psbt).inputs[0]!.status, 'script-verify-failed');
    assert.equal(psbt.inputs[0]!.finalScriptWitness, undefined);
  });
});
