import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash160 } from '../../../src/crypto/hash.js';
import { OutPoint } from '../../../src/primitives/outpoint.js';
import type { TxOut } from '../../../src/primitives/txout.js';
import {
  multisig,
  p2pk,
  p2pkh,
  p2sh,
  p2shOfScript,
  p2wpkh,
  p2wshOfScript,
} from '../../../src/script/templates.js';
import {
  analyzePsbt,
  createPsbt,
  type EcdsaKey,
  extractTransaction,
  finalizePsbt,
  Psbt,
  PsbtError,
  psbtFromTransaction,
  signPsbt,
  updatePsbt,
} from '../../../src/wallet/psbt/index.js';
import { assertConsensusValid, fundingTx, keyFor } from './support.js';

const k = (name: string, compressed = true) => keyFor(name, compressed);
const ms = (keys: EcdsaKey[]) =>
  multisig(
    2,
    keys.map((x) => x.publicKey),
  );

const single = k('single');
const legacyKey = k('uncompressed', false);
const trio = [k('m1'), k('m2'), k('m3')];
const pkhOf = (key: EcdsaKey) => hash160(key.publicKey);

/** One output per template a signer must handle, with the scripts the updater needs. */
const TEMPLATES = [
  { name: 'P2PKH', script: p2pkh(pkhOf(single)) },
  { name: 'P2PKH, uncompressed key', script: p2pkh(pkhOf(legacyKey)) },
  { name: 'P2PK', script: p2pk(single.publicKey) },
  { name: 'P2WPKH', script: p2wpkh(pkhOf(single)) },
  { name: 'P2SH-P2WPKH', script: p2shOfScript(p2wpkh(pkhOf(single))), redeem: p2wpkh(pkhOf(single)) },
  { name: 'P2SH 2-of-3', script: p2shOfScript(ms(trio)), redeem: ms(trio) },
  { name: 'P2WSH 2-of-3', script: p2wshOfScript(ms(trio)), witness: ms(trio) },
  {
    name: 'P2SH-P2WSH 2-of-3',
    script: p2shOfScript(p2wshOfScript(ms(trio))),
    redeem: p2wshOfScript(ms(trio)),
    witness: ms(trio),
  },
];

const funding = fundingTx(
  'templates',
  TEMPLATES.map((t, i) => ({ script: t.script, value: 1_000_000 * (i + 1) })),
);
const spent: TxOut[] = funding.outputs;
const allKeys = [single, legacyKey, ...trio];

function templatePsbt(): Psbt {
  const psbt = createPsbt(
    TEMPLATES.map((_, vout) => ({ txid: funding.txidHex(), vout })),
    [{ script: p2wpkh(pkhOf(k('payee'))), value: 35_000_000 }],
  );
  updatePsbt(psbt, {
    previousTransactions: [funding],
    redeemScripts: TEMPLATES.flatMap((t) => (t.redeem === undefined ? [] : [t.redeem])),
    witnessScripts: TEMPLATES.flatMap((t) => (t.witness === undefined ? [] : [t.witness])),
    derivations: allKeys.map((key, i) => ({
      pubkey: key.publicKey,
      origin: { fingerprint: Uint8Array.of(1, 2, 3, 4), path: [i] },
    })),
  });
  return psbt;
}

const isPsbtError = (code: string) => (e: unknown) => e instanceof PsbtError && e.code === code;

describe('Signer, Finalizer and Extractor on every supported template', () => {
  it('signs, finalizes and extracts a transaction spending all of them', () => {
    const psbt = templatePsbt();
    const results = signPsbt(psbt, allKeys);
    assert.deepEqual(
      results.map((r) => r.status),
      TEMPLATES.map(() => 'signed'),
    );
    // Multisig inputs get one signature per key held: all three here.
    assert.deepEqual(
      results.map((r) => r.added),
      [1, 1, 1, 1, 1, 3, 3, 3],
    );
    const finalized = finalizePsbt(psbt);
    assert.equal(finalized.complete, true, JSON.stringify(finalized.inputs));
    // Segwit spends have a witness; a native one has no scriptSig record at all (BIP174).
    assert.equal(psbt.inputs[3]!.finalScriptSig, undefined);
    assert.equal(psbt.inputs[0]!.finalScriptWitness, undefined);
    const tx = extractTransaction(psbt);
    assertConsensusValid(tx, spent);
    assert.equal(analyzePsbt(psbt).next, 'extractor');
    assert.equal(analyzePsbt(psbt).fee, 1_000_000 * 36 - 35_000_000);
  });

  it('signs only the inputs it is asked to', () => {
    const psbt = templatePsbt();
    const results = signPsbt(psbt, [single], { inputs: [3, 4] });
    assert.deepEqual(
      results.map((r) => [r.index, r.status]),
      [
        [3, 'signed'],
        [4, 'signed'],
      ],
    );
    assert.equal(psbt.inputs[0]!.partialSigs.length, 0);
    assert.ok(psbt.inputs[3]!.witnessUtxo !== undefined);
  });

  it('reports what each input still needs', () => {
    const psbt = templatePsbt();
    signPsbt(psbt, [trio[0]!]);
    const analysis = analyzePsbt(psbt);
    assert.equal(analysis.next, 'signer');
    assert.deepEqual(analysis.inputs[5]!.missing?.signatures, [pkhOf(trio[1]!), pkhOf(trio[2]!)]);
    const partial = finalizePsbt(psbt);
    assert.equal(partial.complete, false);
    assert.equal(partial.inputs[5]!.status, 'missing-signatures');
  });
});

describe('Signer safety', () => {
  it('never signs an input whose UTXO is missing', () => {
    const psbt = createPsbt(
      [{ txid: funding.txidHex(), vout: 0 }],
      [{ script: p2pkh(pkhOf(single)), value: 1 }],
    );
    assert.deepEqual(
      signPsbt(psbt, [single]).map((r) => r.status),
      ['missing-utxo'],
    );
    assert.equal(psbt.inputs[0]!.partialSigs.length, 0);
    assert.equal(analyzePsbt(psbt).next, 'updater');
  });

  it('refuses a non-witness UTXO that is not the transaction spent', () => {
    const psbt = templatePsbt();
    psbt.inputs[0]!.nonWitnessUtxo = fundingTx('another', [{ script: TEMPLATES[0]!.script, value: 5 }]);
    assert.equal(signPsbt(psbt, [single])[0]!.status, 'utxo-mismatch');
  });

  it('reports the missing redeem and witness scripts', () => {
    const psbt = createPsbt(
      [5, 6].map((vout) => ({ txid: funding.txidHex(), vout })),
      [{ script: p2pkh(pkhOf(single)), value: 1 }],
    );
    updatePsbt(psbt, { previousTransactions: [funding] });
    assert.deepEqual(
      signPsbt(psbt, trio).map((r) => r.status),
      ['missing-redeem-script', 'missing-witness-script'],
    );
    const analysis = analyzePsbt(psbt);
    assert.deepEqual(analysis.inputs[0]!.missing?.redeemScript, hash160(ms(trio)));
    assert.equal(analysis.inputs[1]!.missing?.witnessScript?.length, 32);
  });

  it('respects PSBT_IN_SIGHASH_TYPE: no signature with another type', () => {
    const psbt = templatePsbt();
    psbt.inputs[0]!.sighashType = 0x02; // SIGHASH_NONE would let anyone redirect the payment
    assert.equal(signPsbt(psbt, [single], { inputs: [0] })[0]!.status, 'sighash-mismatch');
    assert.equal(psbt.inputs[0]!.partialSigs.length, 0);
    // Asked for explicitly, it signs with that type.
    assert.equal(signPsbt(psbt, [single], { inputs: [0], sighashType: 0x02 })[0]!.status, 'signed');
    assert.equal(psbt.inputs[0]!.partialSigs[0]!.signature.at(-1), 0x02);
  });

  it('records a non-default sighash type it signs with', () => {
    const psbt = templatePsbt();
    signPsbt(psbt, [single], { inputs: [3], sighashType: 0x81 });
    assert.equal(psbt.inputs[3]!.sighashType, 0x81);
    assert.equal(finalizePsbt(psbt).inputs[3]!.status, 'finalized');
  });

  it('the finalizer refuses signatures of another type than PSBT_IN_SIGHASH_TYPE', () => {
    const psbt = templatePsbt();
    signPsbt(psbt, [single], { inputs: [3] });
    psbt.inputs[3]!.sighashType = 0x83;
    assert.equal(finalizePsbt(psbt).inputs[3]!.status, 'sighash-mismatch');
  });

  it('refuses undefined sighash types and bad input indexes', () => {
    assert.throws(
      () => signPsbt(templatePsbt(), [single], { sighashType: 0x04 }),
      isPsbtError('bad-argument'),
    );
    assert.throws(() => signPsbt(templatePsbt(), [single], { inputs: [99] }), isPsbtError('bad-index'));
  });

  it('does not touch finalized inputs', () => {
    const psbt = templatePsbt();
    signPsbt(psbt, [single], { inputs: [3] });
    finalizePsbt(psbt);
    assert.equal(signPsbt(psbt, [single], { inputs: [3] })[0]!.status, 'finalized');
  });
});

describe('Updater', () => {
  it('attaches UTXO-set outputs to segwit inputs only, and the sighash type to every input', () => {
    const psbt = createPsbt(
      [0, 3].map((vout) => ({ txid: funding.txidHex(), vout })),
      [{ script: p2pkh(pkhOf(single)), value: 1 }],
    );
    const utxos = [0, 3].map((vout) => ({
      outpoint: new OutPoint(funding.txid(), vout),
      output: spent[vout]!,
    }));
    updatePsbt(psbt, { utxos, sighashType: 0x01 });
    // A legacy signature does not commit to the amount: only the whole transaction will do.
    assert.equal(psbt.inputs[0]!.witnessUtxo, undefined);
    assert.equal(psbt.inputs[0]!.sighashType, 0x01);
    assert.equal(psbt.inputs[1]!.witnessUtxo?.value, spent[3]!.value);
    assert.equal(psbt.inputs[1]!.nonWitnessUtxo, undefined);
    assert.deepEqual(
      signPsbt(psbt, [single]).map((r) => r.status),
      ['missing-utxo', 'signed'],
    );
  });

  it('adds key paths only for keys the scripts use, to inputs and change outputs', () => {
    const change = p2wshOfScript(ms(trio));
    const psbt = createPsbt([{ txid: funding.txidHex(), vout: 6 }], [{ script: change, value: 1 }]);
    const derivations = [...trio, single].map((key, i) => ({
      pubkey: key.publicKey,
      origin: { fingerprint: Uint8Array.of(9, 9, 9, 9), path: [i] },
    }));
    updatePsbt(psbt, { previousTransactions: [funding], witnessScripts: [ms(trio)], derivations });
    assert.equal(psbt.inputs[0]!.bip32Derivations.length, 3);
    assert.deepEqual(psbt.outputs[0]!.witnessScript, ms(trio));
    assert.equal(psbt.outputs[0]!.bip32Derivations.length, 3);
  });
});

describe('Creator', () => {
  it('sets sequences like Core: final, locktime-enabling, or BIP125', () => {
    const input = { txid: funding.txidHex(), vout: 0 };
    const out = [{ script: p2pkh(pkhOf(single)), value: 1 }];
    assert.equal(createPsbt([input], out).unsignedTx.inputs[0]!.sequence, 0xffffffff);
    assert.equal(createPsbt([input], out, { locktime: 800_000 }).unsignedTx.inputs[0]!.sequence, 0xfffffffe);
    assert.equal(createPsbt([input], out, { replaceable: true }).unsignedTx.inputs[0]!.sequence, 0xfffffffd);
    assert.equal(createPsbt([{ ...input, sequence: 5 }], out).unsignedTx.inputs[0]!.sequence, 5);
  });

  it('refuses bad arguments', () => {
    const out = [{ script: p2pkh(pkhOf(single)), value: 1 }];
    const input = { txid: funding.txidHex(), vout: 0 };
    assert.throws(() => createPsbt([{ txid: 'xyz', vout: 0 }], out), isPsbtError('bad-argument'));
    assert.throws(() => createPsbt([{ ...input, vout: -1 }], out), isPsbtError('bad-argument'));
    assert.throws(() => createPsbt([input, input], out), isPsbtError('bad-argument'));
    assert.throws(
      () => createPsbt([input], [{ script: p2sh(new Uint8Array(20)), value: -1 }]),
      isPsbtError('bad-argument'),
    );
    assert.throws(() => createPsbt([input], out, { locktime: 2 ** 32 }), isPsbtError('bad-argument'));
  });

  it('converts a transaction, dropping signatures only when asked', () => {
    const signed = fundingTx('signed', [{ script: p2pkh(pkhOf(single)), value: 1 }]);
    signed.inputs[0]!.scriptSig = Uint8Array.of(0x51);
    signed.invalidate();
    assert.throws(() => psbtFromTransaction(signed), isPsbtError('bad-unsigned-tx'));
    const psbt = psbtFromTransaction(signed, true);
    assert.equal(psbt.unsignedTx.inputs[0]!.scriptSig.length, 0);
    assert.equal(Psbt.decode(psbt.encode()).toHex(), psbt.toHex());
  });
});
