import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schnorrPublicKey, schnorrSign } from '../../src/crypto/secp256k1.js';
import { fromHex, toHex } from '../../src/encoding/index.js';
import { Transaction, TxOut } from '../../src/primitives/index.js';
import {
  addressFromScript,
  buildTapTree,
  PrecomputedTransactionData,
  type ScriptError,
  ScriptExecutionData,
  SigVersion,
  signatureHashTaproot,
  type TapTree,
  taprootControlBlock,
  taprootOutput,
  taprootSigMsg,
  tapTweakHash,
} from '../../src/script/index.js';
import { readSharedJson } from '../support/shared.js';
import { CONSENSUS, tweakPrivateKey, verifyInput, withWitness } from './taproot-support.js';

/** bitcoin/bips bip-0341/wallet-test-vectors.json. */
interface JsonLeaf {
  id: number;
  script: string;
  leafVersion: number;
}
type JsonTree = JsonLeaf | [JsonTree, JsonTree];
interface ScriptPubKeyCase {
  given: { internalPubkey: string; scriptTree: JsonTree | null };
  intermediary: { leafHashes?: string[]; merkleRoot: string | null; tweak: string; tweakedPubkey: string };
  expected: { scriptPubKey: string; bip350Address: string; scriptPathControlBlocks?: string[] };
}
interface InputSpending {
  given: { txinIndex: number; internalPrivkey: string; merkleRoot: string | null; hashType: number };
  intermediary: {
    internalPubkey: string;
    tweak: string;
    tweakedPrivkey: string;
    sigMsg: string;
    precomputedUsed: string[];
    sigHash: string;
  };
  expected: { witness: string[] };
}
interface KeyPathCase {
  given: { rawUnsignedTx: string; utxosSpent: { scriptPubKey: string; amountSats: number }[] };
  intermediary: Record<string, string>;
  inputSpending: InputSpending[];
  auxiliary: { fullySignedTx: string };
}
interface Vectors {
  version: number;
  scriptPubKey: ScriptPubKeyCase[];
  keyPathSpending: KeyPathCase[];
}

const vectors = readSharedJson<Vectors>('vectors', 'bip', 'bip341-wallet.json');
const MAINNET = { pubKeyHash: 0x00, scriptHash: 0x05, bech32: 'bc' };

/** The JSON tree as a TapTree, and its leaf ids in tree order (left first). */
function toTapTree(tree: JsonTree, ids: number[]): TapTree {
  if (Array.isArray(tree)) return [toTapTree(tree[0], ids), toTapTree(tree[1], ids)];
  ids.push(tree.id);
  return { script: fromHex(tree.script), leafVersion: tree.leafVersion };
}

describe('BIP341 wallet vectors: scriptPubKey construction', () => {
  it('has the 7 published cases', () => {
    assert.equal(vectors.scriptPubKey.length, 7);
  });

  vectors.scriptPubKey.forEach((c, n) => {
    it(`case ${n}: ${c.given.scriptTree === null ? 'key path only' : 'with a script tree'}`, () => {
      const internal = fromHex(c.given.internalPubkey);
      const ids: number[] = [];
      const tree = c.given.scriptTree === null ? undefined : toTapTree(c.given.scriptTree, ids);
      const output = taprootOutput(internal, tree);

      assert.equal(
        output.merkleRoot === undefined ? null : toHex(output.merkleRoot),
        c.intermediary.merkleRoot,
      );
      assert.equal(toHex(tapTweakHash(internal, output.merkleRoot)), c.intermediary.tweak);
      assert.equal(toHex(output.outputKey), c.intermediary.tweakedPubkey);
      assert.equal(toHex(output.scriptPubKey), c.expected.scriptPubKey);
      assert.equal(addressFromScript(output.scriptPubKey, MAINNET), c.expected.bip350Address);

      // Leaf hashes and control blocks are listed by leaf id.
      const leafHashes: string[] = [];
      const controlBlocks: string[] = [];
      output.leaves.forEach((leaf, i) => {
        leafHashes[ids[i]!] = toHex(leaf.leafHash);
        controlBlocks[ids[i]!] = toHex(taprootControlBlock(output, leaf));
      });
      assert.deepEqual(leafHashes, c.intermediary.leafHashes ?? []);
      assert.deepEqual(controlBlocks, c.expected.scriptPathControlBlocks ?? []);
      if (tree !== undefined) assert.equal(toHex(buildTapTree(tree).merkleRoot), c.intermediary.merkleRoot);
    });
  });
});

describe('BIP341 wallet vectors: key path spending', () => {
  const [spend] = vectors.keyPathSpending;
  assert.ok(spend !== undefined && vectors.keyPathSpending.length === 1);
  const tx = Transaction.decode(fromHex(spend.given.rawUnsignedTx));
  const spent = spend.given.utxosSpent.map((u) => new TxOut(u.amountSats, fromHex(u.scriptPubKey)));
  const txdata = new PrecomputedTransactionData(tx, spent);

  it('has 9 inputs, 7 of them signed by the vectors', () => {
    assert.equal(tx.inputs.length, 9);
    assert.equal(spent.length, 9);
    assert.equal(spend.inputSpending.length, 7);
  });

  it('computes the transaction-wide BIP341 hashes', () => {
    assert.equal(toHex(txdata.spentAmountsSha256), spend.intermediary.hashAmounts);
    assert.equal(toHex(txdata.outputsSha256), spend.intermediary.hashOutputs);
    assert.equal(toHex(txdata.prevoutsSha256), spend.intermediary.hashPrevouts);
    assert.equal(toHex(txdata.spentScriptsSha256), spend.intermediary.hashScriptPubkeys);
    assert.equal(toHex(txdata.sequencesSha256), spend.intermediary.hashSequences);
  });

  for (const input of spend.inputSpending) {
    const { txinIndex, hashType } = input.given;
    it(`input ${txinIndex}, hashtype 0x${hashType.toString(16).padStart(2, '0')}: sigMsg, sigHash, signature`, () => {
      const priv = fromHex(input.given.internalPrivkey);
      const internal = schnorrPublicKey(priv);
      assert.equal(toHex(internal), input.intermediary.internalPubkey);
      const root = input.given.merkleRoot === null ? undefined : fromHex(input.given.merkleRoot);
      assert.equal(toHex(tapTweakHash(internal, root)), input.intermediary.tweak);
      const tweaked = tweakPrivateKey(priv, root);
      assert.equal(toHex(tweaked), input.intermediary.tweakedPrivkey);

      const execdata = new ScriptExecutionData();
      const msg = taprootSigMsg(tx, txinIndex, hashType, SigVersion.TAPROOT, txdata, execdata);
      assert.equal(msg === null ? null : toHex(msg), input.intermediary.sigMsg);
      const sighash = signatureHashTaproot(tx, txinIndex, hashType, SigVersion.TAPROOT, txdata, execdata);
      assert.equal(sighash === null ? null : toHex(sighash), input.intermediary.sigHash);

      // The vectors sign with all-zero aux randomness.
      const sig = schnorrSign(sighash!, tweaked, new Uint8Array(32));
      const witness = hashType === 0 ? sig : Uint8Array.from([...sig, hashType]);
      assert.deepEqual(input.expected.witness, [toHex(witness)]);
      assert.equal(verifyInput(withWitness(tx, txinIndex, [witness]), txinIndex, spent), 'OK');
    });
  }

  it('the fully signed transaction verifies input by input (P2TR, P2PKH and P2WPKH)', () => {
    const signed = Transaction.decode(fromHex(spend.auxiliary.fullySignedTx));
    // The same transaction, signed: only the P2PKH input's scriptSig and the witnesses differ.
    assert.deepEqual(
      signed.inputs.map((i) => i.prevout.toString()),
      tx.inputs.map((i) => i.prevout.toString()),
    );
    for (let i = 0; i < signed.inputs.length; i++)
      assert.equal(verifyInput(signed, i, spent), 'OK', `input ${i}`);
  });

  it('every taproot signature commits to every spent amount and scriptPubKey', () => {
    const signed = Transaction.decode(fromHex(spend.auxiliary.fullySignedTx));
    const hashTypes = new Map(spend.inputSpending.map((s) => [s.given.txinIndex, s.given.hashType]));
    // Input 5 is P2WPKH: changing its amount is invisible to BIP143 signatures of other inputs,
    // but not to any BIP341 one, anyone-can-pay aside (which commits to its own input only).
    const cheaper = spent.map((o, i) => (i === 5 ? new TxOut(o.value - 1, o.scriptPubKey) : o));
    const otherScript = spent.map((o, i) => (i === 2 ? new TxOut(o.value, fromHex('51')) : o));
    for (const [i, hashType] of hashTypes) {
      const expected: ScriptError = hashType & 0x80 ? 'OK' : 'SCHNORR_SIG';
      assert.equal(verifyInput(signed, i, cheaper), expected, `input ${i} amounts`);
      assert.equal(verifyInput(signed, i, otherScript), expected, `input ${i} scripts`);
    }
  });

  it('without the spent outputs a taproot signature cannot be checked (SCHNORR_SIG_HASHTYPE)', () => {
    const signed = Transaction.decode(fromHex(spend.auxiliary.fullySignedTx));
    const missing = spent.slice(0, 8); // one short: Core's m_spent_outputs_ready is false
    assert.equal(verifyInput(signed, 0, missing, CONSENSUS), 'SCHNORR_SIG_HASHTYPE');
  });
});
