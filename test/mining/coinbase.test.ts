import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTransaction } from '../../src/consensus/check-transaction.js';
import { coinbaseHeight } from '../../src/consensus/coinbase-height.js';
import { checkCoinbaseHeight } from '../../src/consensus/contextual.js';
import { isFinalTx } from '../../src/consensus/sequence-locks.js';
import {
  checkWitnessCommitment,
  computeWitnessMerkleRoot,
  witnessCommitment,
  witnessCommitmentIndex,
} from '../../src/consensus/witness-commitment.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import {
  buildCoinbase,
  COINBASE_SEQUENCE,
  coinbaseScriptSig,
  MAX_COINBASE_SCRIPTSIG_SIZE,
  witnessCommitmentScript,
} from '../../src/mining/coinbase.js';
import { fakeOutpoint, fakeTx, makeTemplate, OP_TRUE, templateTx } from './helpers.js';

/** `CScript() << height` as Core writes it, by hand: the prefix checkCoinbaseHeight demands. */
const HEIGHT_PUSHES: [number, string][] = [
  [1, '51'],
  [16, '60'],
  [17, '0111'],
  [127, '017f'],
  [128, '028000'],
  [255, '02ff00'],
  [256, '020001'],
  [32767, '02ff7f'],
  [32768, '03008000'],
  [65535, '03ffff00'],
  [65536, '03000001'],
  [8388607, '03ffff7f'],
  [8388608, '0400008000'],
  [2 ** 31 - 1, '04ffffff7f'],
];

describe('coinbase scriptSig', () => {
  for (const [height, push] of HEIGHT_PUSHES) {
    it(`height ${height} is pushed as ${push}, then the extraNonce`, () => {
      const scriptSig = coinbaseScriptSig(height, 0);
      assert.equal(toHex(scriptSig), `${push}00`); // extraNonce 0 is OP_0: Core's `<< nHeight << OP_0`
      const tx = buildCoinbase({ height, extraNonce: 0, value: 1, script: OP_TRUE });
      const block = makeTemplate({ height }).toBlock(0, 0);
      assert.equal(toHex(block.txs[0]!.inputs[0]!.scriptSig), toHex(tx.inputs[0]!.scriptSig));
      assert.equal(checkCoinbaseHeight(block, height).ok, true);
      assert.equal(checkCoinbaseHeight(block, height + 1).ok, false);
      assert.equal(coinbaseHeight(block), height);
      assert.equal(checkTransaction(tx).ok, true); // 2..100 bytes (bad-cb-length)
    });
  }

  it('pushes the extraNonce as a CScriptNum (IncrementExtraNonce)', () => {
    assert.equal(toHex(coinbaseScriptSig(17, 1)), '01110101');
    assert.equal(toHex(coinbaseScriptSig(17, 0x80)), '0111028000');
    assert.equal(toHex(coinbaseScriptSig(17, 2 ** 32 - 1)), '011105ffffffff00');
  });

  it('appends the tag as a push and keeps the whole scriptSig within 100 bytes', () => {
    const tag = new TextEncoder().encode('/tally/');
    assert.equal(toHex(coinbaseScriptSig(1, 0, tag)), `510007${toHex(tag)}`);
    // Worst case height (5 bytes) + extraNonce (6 bytes) + OP_PUSHDATA1 header (2) leaves 87 for the tag.
    const longest = coinbaseScriptSig(2 ** 31 - 1, 2 ** 32 - 1, new Uint8Array(87));
    assert.equal(longest.length, MAX_COINBASE_SCRIPTSIG_SIZE);
    assert.throws(() => coinbaseScriptSig(2 ** 31 - 1, 2 ** 32 - 1, new Uint8Array(88)), RangeError);
    assert.throws(() => coinbaseScriptSig(0, 0), RangeError);
    assert.throws(() => coinbaseScriptSig(1, -1), RangeError);
  });
});

describe('coinbase transaction', () => {
  it('spends the null outpoint, timelocked to height - 1 with a non-final sequence (Core v30)', () => {
    const tx = buildCoinbase({ height: 500, extraNonce: 3, value: 12345, script: OP_TRUE });
    assert.equal(tx.isCoinbase(), true);
    assert.equal(tx.version, 2);
    assert.equal(tx.locktime, 499);
    assert.equal(tx.inputs[0]!.sequence, COINBASE_SEQUENCE);
    assert.equal(isFinalTx(tx, 500, 0), true);
    assert.equal(isFinalTx(tx, 499, 0), false);
    assert.equal(tx.outputs.length, 1);
    assert.equal(tx.outputs[0]!.value, 12345);
    assert.equal(tx.hasWitness(), false);
  });

  it('adds the commitment output last and the 32-byte zero reserved value as witness', () => {
    const commitment = new Uint8Array(32).fill(0xab);
    const tx = buildCoinbase({
      height: 2,
      extraNonce: 0,
      value: 1,
      script: OP_TRUE,
      witnessCommitment: commitment,
    });
    assert.equal(tx.outputs.length, 2);
    assert.equal(tx.outputs[1]!.value, 0);
    assert.equal(toHex(tx.outputs[1]!.scriptPubKey), `6a24aa21a9ed${'ab'.repeat(32)}`);
    assert.deepEqual(tx.inputs[0]!.witness, [new Uint8Array(32)]);
    assert.throws(() => witnessCommitmentScript(new Uint8Array(31)), RangeError);
  });
});

describe('witness commitment of a template', () => {
  const witnessTx = fakeTx([fakeOutpoint(1)], 1000, true);
  const plainTx = fakeTx([fakeOutpoint(2)], 2000, false);

  it('commits to the wtxids: consensus checkWitnessCommitment accepts the block', () => {
    const template = makeTemplate({ height: 10, transactions: [templateTx(plainTx), templateTx(witnessTx)] });
    const block = template.toBlock(5, 0);
    assert.equal(checkWitnessCommitment(block, true).ok, true);
    const index = witnessCommitmentIndex(block);
    assert.equal(index, block.txs[0]!.outputs.length - 1);
    const { root } = computeWitnessMerkleRoot(block);
    const expected = witnessCommitment(root, new Uint8Array(32));
    assert.deepEqual(block.txs[0]!.outputs[index]!.scriptPubKey.subarray(6), expected);
    assert.equal(
      toHex(fromHex(template.toGetBlockTemplateJson().default_witness_commitment!)),
      toHex(block.txs[0]!.outputs[index]!.scriptPubKey),
    );
  });

  it('is present without witness transactions too, as Core adds it whenever segwit is active', () => {
    const block = makeTemplate({ transactions: [templateTx(plainTx)] }).toBlock();
    assert.notEqual(witnessCommitmentIndex(block), -1);
    assert.equal(checkWitnessCommitment(block, true).ok, true);
  });

  it('a changed witness breaks it (the check is real)', () => {
    const tx = fakeTx([fakeOutpoint(3)], 1000, true);
    const block = makeTemplate({ transactions: [templateTx(tx)] }).toBlock();
    tx.inputs[0]!.witness = [Uint8Array.of(9)];
    tx.invalidate();
    const result = checkWitnessCommitment(block, true);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, 'bad-witness-merkle-match');
  });

  it('is absent before segwit', () => {
    const template = makeTemplate({ segwit: false, transactions: [templateTx(plainTx)] });
    const block = template.toBlock();
    assert.equal(witnessCommitmentIndex(block), -1);
    assert.equal(block.txs[0]!.hasWitness(), false);
    assert.equal(checkWitnessCommitment(block, false).ok, true);
    assert.equal(template.toGetBlockTemplateJson().default_witness_commitment, undefined);
  });
});
