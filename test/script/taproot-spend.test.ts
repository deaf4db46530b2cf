import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schnorrSign } from '../../src/crypto/secp256k1.js';
import { equalBytes, fromHex } from '../../src/encoding/index.js';
import { type Transaction, TxOut } from '../../src/primitives/index.js';
import {
  Op,
  p2shOfScript,
  pushData,
  ScriptBuilder,
  type TapLeafInfo,
  type TaprootOutput,
  taprootControlBlock,
  taprootOutput,
} from '../../src/script/index.js';
import {
  CONSENSUS,
  POLICY,
  type SignOptions,
  signTaproot,
  spendingTx,
  testKey,
  tweakPrivateKey,
  verifyInput,
  withWitness,
} from './taproot-support.js';

/**
 * End to end: P2TR outputs built from real keys and a script tree, spent with BIP340 signatures
 * over BIP341/342 signature hashes, verified by verifyScript exactly as block validation runs it,
 * then tampered with, each tampering failing with Core's error.
 */

const INTERNAL = testKey('internal');
const A = testKey('A');
const K1 = testKey('1');
const K2 = testKey('2');
const K3 = testKey('3');
const B = testKey('B');

const LEAF_A = new ScriptBuilder().push(A.xonly).op(Op.OP_CHECKSIG).build();
/** BIP342's replacement for 2-of-3 CHECKMULTISIG. */
const LEAF_2OF3 = new ScriptBuilder()
  .push(K1.xonly)
  .op(Op.OP_CHECKSIG)
  .push(K2.xonly)
  .op(Op.OP_CHECKSIGADD)
  .push(K3.xonly)
  .op(Op.OP_CHECKSIGADD)
  .op(Op.OP_2, Op.OP_NUMEQUAL)
  .build();
/** OP_RETURN would fail, but OP_SUCCESS187 anywhere makes the leaf succeed before anything runs. */
const LEAF_SUCCESS = Uint8Array.of(Op.OP_RETURN, 0xbb);

const TREE_OUTPUT = taprootOutput(INTERNAL.xonly, [
  { script: LEAF_A },
  [{ script: LEAF_2OF3 }, { script: LEAF_SUCCESS }],
]);
const KEY_ONLY_OUTPUT = taprootOutput(B.xonly);

function leafOf(output: TaprootOutput, script: Uint8Array): TapLeafInfo {
  const leaf = output.leaves.find((l) => equalBytes(l.script, script));
  assert.ok(leaf !== undefined);
  return leaf;
}

/** A two-input, two-output transaction whose input 0 spends `output`, input 1 a key-only P2TR. */
function fixture(output: TaprootOutput = TREE_OUTPUT): { tx: Transaction; spent: TxOut[] } {
  const spent = [new TxOut(100_000, output.scriptPubKey), new TxOut(60_000, KEY_ONLY_OUTPUT.scriptPubKey)];
  const tx = spendingTx(2, [
    new TxOut(90_000, fromHex('0014'.padEnd(44, '1'))),
    new TxOut(60_000, fromHex('6a')),
  ]);
  return { tx, spent };
}

/** Key-path signature of input 0 by the tree output's tweaked internal key. */
function keySig(tx: Transaction, spent: TxOut[], options: SignOptions = {}): Uint8Array {
  return signTaproot(tx, 0, spent, tweakPrivateKey(INTERNAL.priv, TREE_OUTPUT.merkleRoot), options);
}

/** Script-path signature of input 0 by `priv` for `leaf`. */
function leafSig(
  tx: Transaction,
  spent: TxOut[],
  priv: Uint8Array,
  leaf: TapLeafInfo,
  options: SignOptions = {},
): Uint8Array {
  return signTaproot(tx, 0, spent, priv, { ...options, leafHash: leaf.leafHash });
}

const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[at]! ^= 1;
  return copy;
};

describe('taproot key path', () => {
  for (const hashType of [0x00, 0x01, 0x02, 0x03, 0x81, 0x82, 0x83]) {
    it(`verifies hashtype 0x${hashType.toString(16).padStart(2, '0')} and refuses a flipped bit (SCHNORR_SIG)`, () => {
      const { tx, spent } = fixture();
      const sig = keySig(tx, spent, { hashType });
      assert.equal(sig.length, hashType === 0 ? 64 : 65);
      assert.equal(verifyInput(withWitness(tx, 0, [sig]), 0, spent), 'OK');
      assert.equal(verifyInput(withWitness(tx, 0, [flip(sig, 10)]), 0, spent), 'SCHNORR_SIG');
    });
  }

  it('refuses an explicit 0x00 hashtype, undefined hashtypes and SINGLE without an output', () => {
    const { tx, spent } = fixture();
    const sig64 = keySig(tx, spent);
    const with65 = (byte: number) => withWitness(tx, 0, [Uint8Array.from([...sig64, byte])]);
    assert.equal(verifyInput(with65(0x00), 0, spent), 'SCHNORR_SIG_HASHTYPE');
    for (const bad of [0x04, 0x80, 0x84, 0x41, 0xff]) {
      assert.equal(verifyInput(with65(bad), 0, spent), 'SCHNORR_SIG_HASHTYPE', `0x${bad.toString(16)}`);
    }
    // A valid 64-byte signature is not valid with 0x01 appended: the hashtype is in the message.
    assert.equal(verifyInput(with65(0x01), 0, spent), 'SCHNORR_SIG');
    const oneOutput = withWitness(tx, 0, [Uint8Array.from([...sig64, 0x03])]);
    oneOutput.outputs.length = 0;
    assert.equal(verifyInput(oneOutput, 0, spent), 'SCHNORR_SIG_HASHTYPE');
  });

  it('refuses signatures of any other size (SCHNORR_SIG_SIZE)', () => {
    const { tx, spent } = fixture();
    const sig = keySig(tx, spent, { hashType: 0x01 });
    for (const size of [0, 1, 63, 66, 72]) {
      const wrong = new Uint8Array(size);
      wrong.set(sig.subarray(0, Math.min(size, 65)));
      assert.equal(verifyInput(withWitness(tx, 0, [wrong]), 0, spent), 'SCHNORR_SIG_SIZE', `${size} bytes`);
    }
  });

  it('needs the tweaked key: the internal key signing directly fails', () => {
    const { tx, spent } = fixture();
    const untweaked = signTaproot(tx, 0, spent, INTERNAL.priv);
    assert.equal(verifyInput(withWitness(tx, 0, [untweaked]), 0, spent), 'SCHNORR_SIG');
  });

  it('commits to what the hashtype covers, and to nothing else', () => {
    const { tx, spent } = fixture();
    const sigs = new Map([0x00, 0x01, 0x02, 0x83].map((h) => [h, keySig(tx, spent, { hashType: h })]));
    const changedOutput = tx.clone();
    changedOutput.outputs[1]!.value -= 1;
    const changedOtherInput = tx.clone();
    changedOtherInput.inputs[1]!.sequence = 0;
    const expectations: [number, Transaction, string][] = [
      [0x00, changedOutput, 'SCHNORR_SIG'],
      [0x01, changedOutput, 'SCHNORR_SIG'],
      [0x02, changedOutput, 'OK'], // NONE: outputs are free
      [0x83, changedOutput, 'OK'], // SINGLE: only output 0
      [0x02, changedOtherInput, 'SCHNORR_SIG'], // NONE still commits to every input (unlike legacy)
      [0x83, changedOtherInput, 'OK'], // ANYONECANPAY: only this input
    ];
    for (const [hashType, changed, expected] of expectations) {
      const spend = withWitness(changed, 0, [sigs.get(hashType)!]);
      assert.equal(verifyInput(spend, 0, spent), expected, `hashtype 0x${hashType.toString(16)}`);
    }
  });

  it('commits to the annex: signed with it passes; dropped, changed or added fails', () => {
    const { tx, spent } = fixture();
    const annex = Uint8Array.of(0x50, 1, 2, 3);
    const signed = keySig(tx, spent, { annex });
    const plain = keySig(tx, spent);
    assert.equal(verifyInput(withWitness(tx, 0, [signed, annex]), 0, spent), 'OK');
    assert.equal(verifyInput(withWitness(tx, 0, [signed]), 0, spent), 'SCHNORR_SIG');
    assert.equal(
      verifyInput(withWitness(tx, 0, [signed, Uint8Array.of(0x50, 1, 2, 4)]), 0, spent),
      'SCHNORR_SIG',
    );
    assert.equal(verifyInput(withWitness(tx, 0, [plain, annex]), 0, spent), 'SCHNORR_SIG');
    assert.equal(verifyInput(withWitness(tx, 0, [plain]), 0, spent), 'OK');
    // A lone item is the signature even if it starts with 0x50: an annex needs two items.
    assert.equal(verifyInput(withWitness(tx, 0, [annex]), 0, spent), 'SCHNORR_SIG_SIZE');
  });

  it('is only taproot natively: P2SH-wrapped v1 stays an unknown program', () => {
    const redeem = TREE_OUTPUT.scriptPubKey;
    const { tx, spent } = fixture();
    const wrapped = [new TxOut(100_000, p2shOfScript(redeem)), spent[1]!];
    const spend = withWitness(tx, 0, [new Uint8Array(64)]);
    spend.inputs[0]!.scriptSig = pushData(redeem);
    assert.equal(verifyInput(spend, 0, wrapped, CONSENSUS), 'OK');
    assert.equal(verifyInput(spend, 0, wrapped, POLICY), 'DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM');
  });
});

describe('taproot script path', () => {
  const leafA = leafOf(TREE_OUTPUT, LEAF_A);
  const controlA = taprootControlBlock(TREE_OUTPUT, leafA);

  it('spends a CHECKSIG leaf, with default and SINGLE|ANYONECANPAY signatures', () => {
    const { tx, spent } = fixture();
    for (const hashType of [0x00, 0x83]) {
      const sig = leafSig(tx, spent, A.priv, leafA, { hashType });
      assert.equal(verifyInput(withWitness(tx, 0, [sig, LEAF_A, controlA]), 0, spent, POLICY), 'OK');
      const bad = flip(sig, 40);
      assert.equal(verifyInput(withWitness(tx, 0, [bad, LEAF_A, controlA]), 0, spent), 'SCHNORR_SIG');
    }
  });

  it('a key-path signature (no leaf hash in the message) does not work in a leaf', () => {
    const { tx, spent } = fixture();
    const sig = signTaproot(tx, 0, spent, A.priv);
    assert.equal(verifyInput(withWitness(tx, 0, [sig, LEAF_A, controlA]), 0, spent), 'SCHNORR_SIG');
  });

  it('refuses a control block that does not commit to the leaf (WITNESS_PROGRAM_MISMATCH)', () => {
    const { tx, spent } = fixture();
    const sig = leafSig(tx, spent, A.priv, leafA);
    const spendWith = (control: Uint8Array, script = LEAF_A) =>
      verifyInput(withWitness(tx, 0, [sig, script, control]), 0, spent);
    assert.equal(spendWith(flip(controlA, 0)), 'WITNESS_PROGRAM_MISMATCH'); // parity
    assert.equal(spendWith(flip(controlA, 5)), 'WITNESS_PROGRAM_MISMATCH'); // internal key
    assert.equal(spendWith(flip(controlA, 40)), 'WITNESS_PROGRAM_MISMATCH'); // Merkle path
    assert.equal(spendWith(controlA.subarray(0, 33)), 'WITNESS_PROGRAM_MISMATCH'); // path cut short
    const leaf2of3 = leafOf(TREE_OUTPUT, LEAF_2OF3);
    assert.equal(spendWith(taprootControlBlock(TREE_OUTPUT, leaf2of3)), 'WITNESS_PROGRAM_MISMATCH');
    assert.equal(spendWith(controlA, Uint8Array.from([...LEAF_A, Op.OP_NOP])), 'WITNESS_PROGRAM_MISMATCH');
  });

  it('refuses a leaf version the tree does not commit to (WITNESS_PROGRAM_MISMATCH)', () => {
    const { tx, spent } = fixture();
    const sig = leafSig(tx, spent, A.priv, leafA);
    const otherVersion = Uint8Array.from(controlA);
    otherVersion[0] = 0xc2 | TREE_OUTPUT.parity;
    assert.equal(
      verifyInput(withWitness(tx, 0, [sig, LEAF_A, otherVersion]), 0, spent),
      'WITNESS_PROGRAM_MISMATCH',
    );
  });

  it('refuses control blocks of the wrong size (TAPROOT_WRONG_CONTROL_SIZE)', () => {
    const { tx, spent } = fixture();
    const sig = leafSig(tx, spent, A.priv, leafA);
    for (const size of [0, 32, 34, 64, 66, 33 + 32 * 129]) {
      const control = new Uint8Array(size);
      control.set(controlA.subarray(0, Math.min(size, controlA.length)));
      const result = verifyInput(withWitness(tx, 0, [sig, LEAF_A, control]), 0, spent);
      assert.equal(result, 'TAPROOT_WRONG_CONTROL_SIZE', `${size} bytes`);
    }
  });

  it('spends the CHECKSIGADD 2-of-3 leaf with any two keys, and only with valid signatures', () => {
    const { tx, spent } = fixture();
    const leaf = leafOf(TREE_OUTPUT, LEAF_2OF3);
    const control = taprootControlBlock(TREE_OUTPUT, leaf);
    const [s1, s2, s3] = [K1, K2, K3].map((k) => leafSig(tx, spent, k.priv, leaf));
    const none = new Uint8Array(0);
    // The script checks k1 first, so its signature is on top (last).
    const run = (sig3: Uint8Array, sig2: Uint8Array, sig1: Uint8Array) =>
      verifyInput(withWitness(tx, 0, [sig3, sig2, sig1, LEAF_2OF3, control]), 0, spent, POLICY);
    assert.equal(run(s3!, none, s1!), 'OK');
    assert.equal(run(none, s2!, s1!), 'OK');
    assert.equal(run(s3!, s2!, none), 'OK');
    assert.equal(run(s3!, s2!, s1!), 'EVAL_FALSE'); // three is not two
    assert.equal(run(none, none, s1!), 'EVAL_FALSE');
    // A non-empty signature that fails ends the script (NULLFAIL is built in).
    assert.equal(run(flip(s3!, 3), none, s1!), 'SCHNORR_SIG');
    assert.equal(run(s1!, none, s3!), 'SCHNORR_SIG'); // right signatures, wrong keys
  });

  it('an OP_SUCCESSx leaf succeeds under consensus, is refused by policy, and skips every limit', () => {
    const { tx, spent } = fixture();
    const leaf = leafOf(TREE_OUTPUT, LEAF_SUCCESS);
    const control = taprootControlBlock(TREE_OUTPUT, leaf);
    assert.equal(verifyInput(withWitness(tx, 0, [LEAF_SUCCESS, control]), 0, spent), 'OK');
    assert.equal(
      verifyInput(withWitness(tx, 0, [LEAF_SUCCESS, control]), 0, spent, POLICY),
      'DISCOURAGE_OP_SUCCESS',
    );
    const crowded = [...Array.from({ length: 1001 }, () => new Uint8Array(600)), LEAF_SUCCESS, control];
    assert.equal(verifyInput(withWitness(tx, 0, crowded), 0, spent), 'OK');
  });

  it('commits to the annex in a leaf signature too', () => {
    const { tx, spent } = fixture();
    const annex = Uint8Array.of(0x50);
    const sig = leafSig(tx, spent, A.priv, leafA, { annex });
    assert.equal(verifyInput(withWitness(tx, 0, [sig, LEAF_A, controlA, annex]), 0, spent), 'OK');
    assert.equal(verifyInput(withWitness(tx, 0, [sig, LEAF_A, controlA]), 0, spent), 'SCHNORR_SIG');
  });

  it('treats unknown leaf versions as anyone-can-spend, refused by policy', () => {
    const script = Uint8Array.of(Op.OP_RETURN);
    const output = taprootOutput(INTERNAL.xonly, [{ script: LEAF_A }, { script, leafVersion: 0xc2 }]);
    const control = taprootControlBlock(output, leafOf(output, script));
    const { tx, spent } = fixture(output);
    const witness = [Uint8Array.of(1, 2, 3), script, control];
    assert.equal(verifyInput(withWitness(tx, 0, witness), 0, spent), 'OK');
    assert.equal(
      verifyInput(withWitness(tx, 0, witness), 0, spent, POLICY),
      'DISCOURAGE_UPGRADABLE_TAPROOT_VERSION',
    );
  });
});

describe('tapscript rules in real spends', () => {
  /** A single-leaf output; returns a function building a witness-verified spend of it. */
  function singleLeaf(script: Uint8Array) {
    const output = taprootOutput(INTERNAL.xonly, { script });
    const leaf = leafOf(output, script);
    const control = taprootControlBlock(output, leaf);
    const { tx, spent } = fixture(output);
    const sign = (options: SignOptions = {}) => leafSig(tx, spent, A.priv, leaf, options);
    const verify = (stack: Uint8Array[], annex?: Uint8Array, flags = CONSENSUS) => {
      const witness = [...stack, script, control, ...(annex === undefined ? [] : [annex])];
      return verifyInput(withWitness(tx, 0, witness), 0, spent, flags);
    };
    return { sign, verify };
  }

  it('the validation weight budget is 50 + witness size, and each signature costs 50', () => {
    // <A> then n × (2DUP CHECKSIGVERIFY) then CHECKSIG: n + 1 checks of the same signature.
    const checks = (n: number) => {
      const b = new ScriptBuilder().push(A.xonly);
      for (let i = 0; i < n; i++) b.op(Op.OP_2DUP, Op.OP_CHECKSIGVERIFY);
      return b.op(Op.OP_CHECKSIG).build();
    };
    // Witness: sig (1 + 64) + script (1 + 34 + 2n) + control (1 + 33) + count (1) = 135 + 2n.
    const two = singleLeaf(checks(2)); // 3 checks = 150 <= 50 + 139
    assert.equal(two.verify([two.sign()]), 'OK');
    const three = singleLeaf(checks(3)); // 4 checks = 200 > 50 + 141
    assert.equal(three.verify([three.sign()]), 'TAPSCRIPT_VALIDATION_WEIGHT');
    // The annex counts as witness: 11 more bytes lift the budget to 202.
    const annex = new Uint8Array(10).fill(0x50);
    assert.equal(three.verify([three.sign({ annex })], annex), 'OK');
  });

  it('OP_CHECKMULTISIG is not available (TAPSCRIPT_CHECKMULTISIG)', () => {
    const script = new ScriptBuilder().op(Op.OP_1).push(A.xonly).op(Op.OP_1, Op.OP_CHECKMULTISIG).build();
    const leaf = singleLeaf(script);
    assert.equal(leaf.verify([new Uint8Array(0), leaf.sign()]), 'TAPSCRIPT_CHECKMULTISIG');
  });

  it('IF arguments must be minimal, as consensus (TAPSCRIPT_MINIMALIF)', () => {
    const script = new ScriptBuilder()
      .op(Op.OP_IF)
      .push(A.xonly)
      .op(Op.OP_CHECKSIG, Op.OP_ELSE, Op.OP_RETURN, Op.OP_ENDIF)
      .build();
    const leaf = singleLeaf(script);
    const sig = leaf.sign();
    assert.equal(leaf.verify([sig, Uint8Array.of(1)]), 'OK');
    assert.equal(leaf.verify([sig, Uint8Array.of(2)]), 'TAPSCRIPT_MINIMALIF');
    assert.equal(leaf.verify([sig, Uint8Array.of(1, 0)]), 'TAPSCRIPT_MINIMALIF');
  });

  it('signatures commit to the position of the last executed OP_CODESEPARATOR', () => {
    // Instructions: 0 push, 1 CODESEPARATOR, 2 CHECKSIG.
    const script = new ScriptBuilder().push(A.xonly).op(Op.OP_CODESEPARATOR, Op.OP_CHECKSIG).build();
    const leaf = singleLeaf(script);
    assert.equal(leaf.verify([leaf.sign({ codeSeparatorPos: 1 })]), 'OK');
    assert.equal(leaf.verify([leaf.sign()]), 'SCHNORR_SIG');
    assert.equal(leaf.verify([leaf.sign({ codeSeparatorPos: 0 })]), 'SCHNORR_SIG');
  });

  it('an empty key fails even with an empty signature (TAPSCRIPT_EMPTY_PUBKEY)', () => {
    const leaf = singleLeaf(Uint8Array.of(Op.OP_0, Op.OP_CHECKSIG));
    assert.equal(leaf.verify([leaf.sign()]), 'TAPSCRIPT_EMPTY_PUBKEY');
    assert.equal(leaf.verify([new Uint8Array(0)]), 'TAPSCRIPT_EMPTY_PUBKEY');
  });

  it('keys of other sizes are unknown key types: valid by consensus, refused by policy', () => {
    const script = new ScriptBuilder().push(new Uint8Array(33).fill(2)).op(Op.OP_CHECKSIG).build();
    const leaf = singleLeaf(script);
    const junk = Uint8Array.of(1, 2, 3);
    assert.equal(leaf.verify([junk]), 'OK');
    assert.equal(leaf.verify([junk], undefined, POLICY), 'DISCOURAGE_UPGRADABLE_PUBKEYTYPE');
  });

  it('a BIP340 signature over the right hash with the wrong key fails', () => {
    const leaf = singleLeaf(LEAF_A);
    const sig = leaf.sign();
    const other = schnorrSign(new Uint8Array(32).fill(9), K1.priv, new Uint8Array(32));
    assert.equal(leaf.verify([sig]), 'OK');
    assert.equal(leaf.verify([other]), 'SCHNORR_SIG');
  });
});
