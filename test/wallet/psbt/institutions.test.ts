import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { equalBytes } from '../../../src/encoding/bytes.js';
import { hash160 } from '../../../src/crypto/hash.js';
import { multisig, p2wpkh, p2wshOfScript } from '../../../src/script/templates.js';
import {
  analyzePsbt,
  combinePsbts,
  createPsbt,
  extractTransaction,
  finalizePsbt,
  Psbt,
  PsbtError,
  signPsbt,
  updatePsbt,
} from '../../../src/wallet/psbt/index.js';
import { assertConsensusValid, fundingTx, keyFor } from './support.js';

// Three institutions hold one key each of a 2-of-3 P2WSH treasury. A coordinator creates and
// updates the PSBT; each institution receives its own copy (as base64, as it would by e-mail or
// API), signs it with its own key only, and sends it back; the coordinator combines, finalizes and
// extracts. Nobody ever holds more than their own key.

const HARDENED = 0x80000000;
const institutions = ['Institution A', 'Institution B', 'Institution C'].map((name) => keyFor(name));
const witnessScript = multisig(
  2,
  institutions.map((k) => k.publicKey),
);
const treasury = fundingTx('treasury funding', [{ script: p2wshOfScript(witnessScript), value: 50_000_000 }]);
const supplier = p2wpkh(hash160(keyFor('supplier').publicKey));

function coordinatorPsbt(): string {
  const psbt = createPsbt([{ txid: treasury.txidHex(), vout: 0 }], [{ script: supplier, value: 49_990_000 }]);
  updatePsbt(psbt, {
    previousTransactions: [treasury],
    witnessScripts: [witnessScript],
    derivations: institutions.map((k, i) => ({
      pubkey: k.publicKey,
      origin: {
        fingerprint: Uint8Array.of(0xa0 + i, 0, 0, 0),
        path: [HARDENED + 48, HARDENED, HARDENED, HARDENED + 2, 0, 7],
      },
    })),
  });
  return psbt.toBase64();
}

/** Institution `i` signs its own copy and returns it as base64. */
function signCopy(base64: string, i: number): string {
  const copy = Psbt.fromBase64(base64);
  const [result] = signPsbt(copy, [institutions[i]!]);
  assert.equal(result?.status, 'signed');
  assert.equal(result?.added, 1);
  return copy.toBase64();
}

describe('2-of-3 P2WSH multisig between three institutions', () => {
  const unsigned = coordinatorPsbt();

  it('the updated PSBT asks the signers for any of the three signatures', () => {
    const psbt = Psbt.fromBase64(unsigned);
    assert.ok(psbt.inputs[0]!.witnessUtxo !== undefined && psbt.inputs[0]!.nonWitnessUtxo !== undefined);
    const analysis = analyzePsbt(psbt);
    assert.equal(analysis.next, 'signer');
    assert.equal(analysis.fee, 10_000);
    assert.deepEqual(
      analysis.inputs[0]!.missing?.signatures,
      institutions.map((k) => hash160(k.publicKey)),
    );
  });

  it('each signs its own copy; combined, finalized and extracted it passes consensus checks', () => {
    const copies = [0, 1, 2].map((i) => signCopy(unsigned, i));
    const combined = combinePsbts(copies.map((c) => Psbt.fromBase64(c)));
    assert.equal(combined.inputs[0]!.partialSigs.length, 3);
    assert.equal(analyzePsbt(combined).next, 'finalizer');

    const estimate = analyzePsbt(combined).estimatedVsize!;
    const result = finalizePsbt(combined);
    assert.equal(result.complete, true);
    const input = combined.inputs[0]!;
    assert.equal(input.partialSigs.length, 0);
    assert.equal(input.witnessScript, undefined);
    assert.equal(input.bip32Derivations.length, 0);
    assert.ok(input.witnessUtxo !== undefined, 'the UTXO stays for the extractor');

    // CHECKMULTISIG dummy, then the first two signatures in the script's key order, then the script.
    const witness = input.finalScriptWitness!;
    assert.equal(witness.length, 4);
    assert.equal(witness[0]!.length, 0);
    const sigOf = (i: number) =>
      Psbt.fromBase64(copies[i]!).inputs[0]!.partialSigs.find((s) =>
        equalBytes(s.pubkey, institutions[i]!.publicKey),
      )!.signature;
    assert.deepEqual(witness[1], sigOf(0));
    assert.deepEqual(witness[2], sigOf(1));
    assert.deepEqual(witness[3], witnessScript);
    assert.equal(analyzePsbt(combined).next, 'extractor');

    const tx = extractTransaction(combined);
    assertConsensusValid(tx, [treasury.outputs[0]!]);
    assert.ok(estimate >= tx.vsize() && estimate <= tx.vsize() + 1, `${estimate} vs ${tx.vsize()}`);
    assert.equal(analyzePsbt(combined).estimatedVsize, tx.vsize());
  });

  it('any two institutions suffice, in whichever order their copies arrive', () => {
    const combined = combinePsbts(
      [signCopy(unsigned, 2), signCopy(unsigned, 1)].map((c) => Psbt.fromBase64(c)),
    );
    assert.equal(finalizePsbt(combined).complete, true);
    const witness = combined.inputs[0]!.finalScriptWitness!;
    assert.equal(witness.length, 4);
    assertConsensusValid(extractTransaction(combined), [treasury.outputs[0]!]);
  });

  it('one signature is not enough: nothing is finalized or extracted', () => {
    const psbt = Psbt.fromBase64(signCopy(unsigned, 0));
    const result = finalizePsbt(psbt);
    assert.equal(result.complete, false);
    assert.equal(result.inputs[0]!.status, 'missing-signatures');
    assert.deepEqual(
      result.inputs[0]!.missing?.signatures,
      institutions.slice(1).map((k) => hash160(k.publicKey)),
    );
    assert.equal(psbt.inputs[0]!.partialSigs.length, 1, 'the partial signature is kept');
    assert.throws(
      () => extractTransaction(psbt),
      (e) => e instanceof PsbtError && e.code === 'incomplete',
    );
  });

  it('a forged signature is not used, and cannot complete the input', () => {
    const psbt = Psbt.fromBase64(signCopy(unsigned, 0));
    // Institution A's signature presented as C's: well-formed, but not C's.
    const forged = psbt.inputs[0]!.partialSigs[0]!.signature;
    psbt.inputs[0]!.partialSigs.push({ pubkey: institutions[2]!.publicKey, signature: forged });
    assert.equal(finalizePsbt(psbt).inputs[0]!.status, 'missing-signatures');
    // With B's real signature the forged one is simply skipped.
    const combined = combinePsbts([psbt, Psbt.fromBase64(signCopy(unsigned, 1))]);
    assert.equal(finalizePsbt(combined).complete, true);
    assertConsensusValid(extractTransaction(combined), [treasury.outputs[0]!]);
  });

  it('a copy for another payment cannot be combined', () => {
    const other = createPsbt(
      [{ txid: treasury.txidHex(), vout: 0 }],
      [{ script: supplier, value: 49_000_000 }],
    );
    assert.throws(
      () => combinePsbts([Psbt.fromBase64(unsigned), other]),
      (e) => e instanceof PsbtError && e.code === 'different-transactions',
    );
  });

  it('a copy that lies about the amount being spent cannot be combined', () => {
    const honest = Psbt.fromBase64(signCopy(unsigned, 0));
    const lying = Psbt.fromBase64(unsigned);
    lying.inputs[0]!.nonWitnessUtxo = undefined;
    lying.inputs[0]!.witnessUtxo!.value = 1;
    assert.throws(
      () => combinePsbts([honest, lying]),
      (e) => e instanceof PsbtError && e.code === 'utxo-mismatch',
    );
  });
});
