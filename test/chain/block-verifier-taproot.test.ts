import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BlockVerifier } from '../../src/chain/block-verifier.js';
import { MapCoinView } from '../../src/consensus/coin-view.js';
import type { ConnectContext } from '../../src/consensus/connect-block.js';
import type { BlockCheck } from '../../src/consensus/errors.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { blockScriptFlags } from '../../src/consensus/script-flags.js';
import { sha256 } from '../../src/crypto/hash.js';
import { ecdsaSignDer } from '../../src/crypto/secp256k1.js';
import { SignatureVerifyPool, VerifyBatch } from '../../src/crypto/verify-pool.js';
import { concatBytes, utf8 } from '../../src/encoding/index.js';
import type { Block } from '../../src/primitives/block.js';
import { Coin } from '../../src/primitives/coin.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { TxOut } from '../../src/primitives/txout.js';
import {
  Op,
  PrecomputedTransactionData,
  pushData,
  ScriptBuilder,
  SighashType,
  signatureHashLegacy,
  taprootControlBlock,
  taprootOutput,
} from '../../src/script/index.js';
import { TestChain, TestKey } from '../support/test-chain.js';
import { signTaproot, spendingTx, testKey, tweakPrivateKey } from '../script/taproot-support.js';

/**
 * Blocks with taproot spends through BlockVerifier: with a pool, BIP340 checks are deferred to the
 * workers like ECDSA ones, and the result must be exactly the sequential one, valid or not.
 */

const INTERNAL = testKey('pipeline internal');
const LEAF_KEY = testKey('pipeline leaf');
const KEY_ONLY = testKey('pipeline key only');
const LEGACY = TestKey.fromSeed('pipeline legacy');
const LEAF = new ScriptBuilder().push(LEAF_KEY.xonly).op(Op.OP_CHECKSIG).build();
const TREE = taprootOutput(INTERNAL.xonly, { script: LEAF });
const KEY_PATH = taprootOutput(KEY_ONLY.xonly);
/** Succeeds only with a signature that does NOT verify: the optimistic run fails, the real one passes. */
const NOT_CHECKSIG = new ScriptBuilder().push(LEGACY.publicKey).op(Op.OP_CHECKSIG, Op.OP_NOT).build();

const SPENT = [
  new TxOut(50_000, TREE.scriptPubKey), // 0: script path, BIP340 in tapscript
  new TxOut(40_000, KEY_PATH.scriptPubKey), // 1: key path, BIP340
  new TxOut(30_000, LEGACY.p2pkh()), // 2: P2PKH, ECDSA
  new TxOut(20_000, NOT_CHECKSIG), // 3: bare script, a failing ECDSA check makes it pass
];

/** A transaction spending SPENT (its inputs are made-up outpoints the view will hold), signed. */
function signedSpend(): Transaction {
  const tx = spendingTx(SPENT.length, [new TxOut(130_000, LEGACY.p2wpkh())]);
  const leaf = TREE.leaves[0]!;
  const leafSig = signTaproot(tx, 0, SPENT, LEAF_KEY.priv, { leafHash: leaf.leafHash });
  tx.inputs[0]!.witness = [leafSig, LEAF, taprootControlBlock(TREE, leaf)];
  tx.inputs[1]!.witness = [signTaproot(tx, 1, SPENT, tweakPrivateKey(KEY_ONLY.priv))];
  const txdata = new PrecomputedTransactionData(tx, SPENT);
  const all = Uint8Array.of(SighashType.ALL);
  const digest = signatureHashLegacy(LEGACY.p2pkh(), tx, 2, SighashType.ALL, txdata);
  const p2pkhSig = concatBytes(ecdsaSignDer(digest, LEGACY.privateKey), all);
  tx.inputs[2]!.scriptSig = concatBytes(pushData(p2pkhSig), pushData(LEGACY.publicKey));
  // A well-formed DER signature of another message: valid encoding, fails verification.
  const wrong = concatBytes(ecdsaSignDer(sha256(utf8('not this transaction')), LEGACY.privateKey), all);
  tx.inputs[3]!.scriptSig = pushData(wrong);
  tx.invalidate();
  return tx;
}

/** The block at height 1 holding `tx`, with the coins it spends and its connect context. */
function blockWith(tx: Transaction): { block: Block; view: MapCoinView; ctx: ConnectContext } {
  const chain = new TestChain();
  const block = chain.block({ parent: chain.genesis, txs: [tx] });
  const view = new MapCoinView();
  tx.inputs.forEach((input, i) => {
    view.add(input.prevout, new Coin(SPENT[i]!.value, SPENT[i]!.scriptPubKey, 0, false));
  });
  const genesisTime = chain.genesis.header.time;
  const ctx: ConnectContext = {
    height: 1,
    flags: blockScriptFlags(1, block.hash(), regtest.consensus),
    enforceBIP30: false,
    prevMedianTimePast: genesisTime,
    medianTimePastAt: () => genesisTime,
  };
  return { block, view, ctx };
}

/** Flips a bit in the s half of a BIP340 signature: a well-formed signature that does not verify. */
function corrupt(tx: Transaction, input: number): Transaction {
  const copy = tx.clone();
  const sig = Uint8Array.from(copy.inputs[input]!.witness[0]!);
  sig[40]! ^= 0x01;
  copy.inputs[input]!.witness[0] = sig;
  copy.invalidate();
  return copy;
}

describe('BlockVerifier with taproot spends', () => {
  let pool: SignatureVerifyPool;
  const tx = signedSpend();
  const sequential = new BlockVerifier();
  let parallel: BlockVerifier;
  let deferredSchnorr = 0;
  const pushSchnorr = VerifyBatch.prototype.pushSchnorr;

  before(async () => {
    pool = await SignatureVerifyPool.create({ threads: 2 });
    parallel = new BlockVerifier({ pool });
    VerifyBatch.prototype.pushSchnorr = function (this: VerifyBatch, sig64, msg32, xonly32) {
      deferredSchnorr++;
      return pushSchnorr.call(this, sig64, msg32, xonly32);
    };
  });
  after(async () => {
    VerifyBatch.prototype.pushSchnorr = pushSchnorr;
    await pool.close();
  });

  async function both(block: () => ReturnType<typeof blockWith>): Promise<[BlockCheck, BlockCheck]> {
    const a = block();
    const b = block();
    return [
      await sequential.verify(a.block, a.view, a.ctx, regtest),
      await parallel.verify(b.block, b.view, b.ctx, regtest),
    ];
  }

  it('accepts the block, deferring both BIP340 checks to the pool', async () => {
    deferredSchnorr = 0;
    const [seq, par] = await both(() => blockWith(tx));
    assert.ok(seq.ok, seq.ok ? '' : `${seq.reason}: ${seq.debug}`);
    assert.ok(par.ok, par.ok ? '' : `${par.reason}: ${par.debug}`);
    assert.equal(deferredSchnorr, 2, 'the key-path and the script-path signature');
  });

  for (const [input, what] of [
    [1, 'key path'],
    [0, 'script path (tapscript CHECKSIG)'],
  ] as const) {
    it(`rejects a bad ${what} signature exactly as the sequential verifier does`, async () => {
      const [seq, par] = await both(() => blockWith(corrupt(tx, input)));
      assert.equal(seq.ok, false);
      assert.deepEqual(par, seq);
      if (seq.ok) return;
      assert.equal(seq.reason, 'mandatory-script-verify-flag-failed (Invalid Schnorr signature)');
      assert.match(seq.debug, new RegExp(`^input ${input} of `));
    });
  }

  it('with two bad BIP340 signatures reports the first input in block order, as sequentially', async () => {
    const bad = corrupt(corrupt(tx, 0), 1);
    const [seq, par] = await both(() => blockWith(bad));
    assert.deepEqual(par, seq);
    assert.equal(seq.ok, false);
    // The first failing input in block order decides, whichever check the pool finished first.
    if (!seq.ok) assert.match(seq.debug, /^input 0 of /);
  });
});
