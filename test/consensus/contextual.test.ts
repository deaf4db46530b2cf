import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkBlockHeaderContextual,
  checkCoinbaseHeight,
  contextualCheckBlock,
  type HeaderContext,
  medianTimePast,
} from '../../src/consensus/contextual.js';
import type { BlockCheck } from '../../src/consensus/errors.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { isFinalTx } from '../../src/consensus/sequence-locks.js';
import {
  checkWitnessCommitment,
  computeWitnessMerkleRoot,
  witnessCommitment,
  witnessCommitmentIndex,
} from '../../src/consensus/witness-commitment.js';
import { concatBytes } from '../../src/encoding/bytes.js';
import { Block } from '../../src/primitives/block.js';
import { TxOut } from '../../src/primitives/txout.js';
import { readShared } from '../support/shared.js';
import { coinbase, makeBlock, outpoint, spend } from './helpers.js';

const main = mainnet.consensus;
const reg = regtest.consensus;
const block300025 = () => Block.decode(readShared('blocks', 'mainnet', 'block300025.raw'));

function rejects(result: BlockCheck, reason: string, kind: string): void {
  assert.equal(result.ok, false, `expected ${reason}`);
  if (!result.ok) {
    assert.equal(result.reason, reason);
    assert.equal(result.result, kind);
  }
}

describe('medianTimePast', () => {
  it('is the median of the last 11 timestamps, upper middle for even counts', () => {
    assert.equal(medianTimePast([5]), 5);
    assert.equal(medianTimePast([1, 2]), 2);
    assert.equal(medianTimePast([3, 1, 2]), 2);
    assert.equal(medianTimePast([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]), 5);
    // Only the last 11 count: the leading 1000 is outside the window.
    assert.equal(medianTimePast([1000, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 6);
    assert.equal(medianTimePast([]), 0);
  });
});

describe('checkBlockHeaderContextual', () => {
  const header = () => block300025().header;
  const ctx = (over: Partial<HeaderContext> = {}): HeaderContext => ({
    height: 300025,
    expectedBits: 0x1900896c,
    prevMedianTimePast: 1399713634 - 1,
    adjustedTime: 1399713634,
    ...over,
  });

  it('accepts block 300025 in its context', () => {
    assert.deepEqual(checkBlockHeaderContextual(header(), ctx(), main), { ok: true });
  });

  it('bad-diffbits when the bits differ from nextWorkRequired', () => {
    rejects(
      checkBlockHeaderContextual(header(), ctx({ expectedBits: 0x1900896d }), main),
      'bad-diffbits',
      'BLOCK_INVALID_HEADER',
    );
  });

  it('time-too-old at or before the median time past', () => {
    rejects(
      checkBlockHeaderContextual(header(), ctx({ prevMedianTimePast: 1399713634 }), main),
      'time-too-old',
      'BLOCK_INVALID_HEADER',
    );
  });

  it('time-too-new more than two hours past the caller-supplied time', () => {
    const t = 1399713634;
    assert.equal(checkBlockHeaderContextual(header(), ctx({ adjustedTime: t - 7200 }), main).ok, true);
    rejects(
      checkBlockHeaderContextual(header(), ctx({ adjustedTime: t - 7201 }), main),
      'time-too-new',
      'BLOCK_TIME_FUTURE',
    );
  });

  it('bad-version(0x...) once BIP34, BIP66 and BIP65 made versions 1, 2, 3 obsolete', () => {
    const h = header();
    h.version = 1;
    rejects(checkBlockHeaderContextual(h, ctx(), main), 'bad-version(0x00000001)', 'BLOCK_INVALID_HEADER');
    assert.equal(checkBlockHeaderContextual(h, ctx({ height: 227930 }), main).ok, true);
    h.version = 2;
    rejects(
      checkBlockHeaderContextual(h, ctx({ height: 363725 }), main),
      'bad-version(0x00000002)',
      'BLOCK_INVALID_HEADER',
    );
    h.version = 3;
    assert.equal(checkBlockHeaderContextual(h, ctx({ height: 388380 }), main).ok, true);
    rejects(
      checkBlockHeaderContextual(h, ctx({ height: 388381 }), main),
      'bad-version(0x00000003)',
      'BLOCK_INVALID_HEADER',
    );
    h.version = 4;
    assert.equal(checkBlockHeaderContextual(h, ctx({ height: 800000 }), main).ok, true);
    // A negative version (top bit set) is obsolete too, as Core compares signed.
    h.version = -1;
    rejects(checkBlockHeaderContextual(h, ctx(), main), 'bad-version(0xffffffff)', 'BLOCK_INVALID_HEADER');
  });
});

describe('isFinalTx', () => {
  const locked = (locktime: number, sequence = 0) => {
    const tx = spend([outpoint(1)], [1], { locktime });
    tx.inputs[0]!.sequence = sequence;
    return tx;
  };
  it('nLockTime 0 is always final', () => assert.ok(isFinalTx(locked(0), 0, 0)));
  it('height locks compare with the block height', () => {
    assert.ok(!isFinalTx(locked(100), 100, 0));
    assert.ok(isFinalTx(locked(100), 101, 0));
  });
  it('time locks compare with the cutoff (MTP under BIP113)', () => {
    assert.ok(!isFinalTx(locked(500_000_000), 1_000_000, 500_000_000));
    assert.ok(isFinalTx(locked(500_000_000), 0, 500_000_001));
  });
  it('all-final sequences disable the lock', () => {
    assert.ok(isFinalTx(locked(100, 0xffffffff), 1, 0));
    assert.ok(!isFinalTx(locked(100, 0xfffffffe), 1, 0));
  });
});

describe('checkCoinbaseHeight (BIP34)', () => {
  it('block 300025 carries its height', () => {
    assert.deepEqual(checkCoinbaseHeight(block300025(), 300025), { ok: true });
    rejects(checkCoinbaseHeight(block300025(), 300026), 'bad-cb-height', 'BLOCK_CONSENSUS');
  });
  it('heights 1..16 are OP_1..OP_16, larger ones minimal CScriptNum pushes', () => {
    for (const h of [1, 16, 17, 127, 128, 255, 256, 32767, 32768, 8388608]) {
      const block = makeBlock([coinbase(h, 1)]);
      assert.deepEqual(checkCoinbaseHeight(block, h), { ok: true });
      rejects(checkCoinbaseHeight(block, h + 1), 'bad-cb-height', 'BLOCK_CONSENSUS');
    }
    const cb = coinbase(1, 1);
    cb.inputs[0]!.scriptSig = Uint8Array.of(0x01, 0x01, 0x00); // 1 as a data push, not OP_1
    rejects(checkCoinbaseHeight(makeBlock([cb]), 1), 'bad-cb-height', 'BLOCK_CONSENSUS');
  });
});

/** A regtest block whose coinbase commits to its transactions' witnesses. */
function segwitBlock(height: number, reserved = new Uint8Array(32)) {
  const cb = coinbase(height, 50e8);
  const tx = spend([outpoint(height)], [1]);
  tx.inputs[0]!.witness = [Uint8Array.of(1, 2, 3)];
  cb.inputs[0]!.witness = [reserved];
  const draft = new Block(makeBlock([cb, tx], { mine: false }).header, [cb, tx]);
  const commitment = witnessCommitment(computeWitnessMerkleRoot(draft).root, reserved);
  cb.outputs.push(new TxOut(0, concatBytes(Uint8Array.of(0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed), commitment)));
  cb.invalidate();
  return makeBlock([cb, tx]);
}

describe('witness commitment (BIP141)', () => {
  it('accepts a correct commitment, found as the last matching output', () => {
    const block = segwitBlock(5);
    assert.equal(witnessCommitmentIndex(block), 1);
    assert.deepEqual(checkWitnessCommitment(block, true), { ok: true });
  });

  it('bad-witness-nonce-size: the coinbase witness must be one 32-byte item', () => {
    const block = segwitBlock(5);
    block.txs[0]!.inputs[0]!.witness = [new Uint8Array(31)];
    rejects(checkWitnessCommitment(block, true), 'bad-witness-nonce-size', 'BLOCK_MUTATED');
    block.txs[0]!.inputs[0]!.witness = [new Uint8Array(32), new Uint8Array(0)];
    rejects(checkWitnessCommitment(block, true), 'bad-witness-nonce-size', 'BLOCK_MUTATED');
  });

  it('bad-witness-merkle-match when a witness changes', () => {
    const block = segwitBlock(5);
    block.txs[1]!.inputs[0]!.witness = [Uint8Array.of(9)];
    block.txs[1]!.invalidate();
    rejects(checkWitnessCommitment(block, true), 'bad-witness-merkle-match', 'BLOCK_MUTATED');
    const other = segwitBlock(5);
    other.txs[0]!.inputs[0]!.witness = [new Uint8Array(32).fill(1)];
    rejects(checkWitnessCommitment(other, true), 'bad-witness-merkle-match', 'BLOCK_MUTATED');
  });

  it('unexpected-witness without a commitment, or before segwit', () => {
    const block = segwitBlock(5);
    rejects(checkWitnessCommitment(block, false), 'unexpected-witness', 'BLOCK_MUTATED');
    block.txs[0]!.outputs.pop();
    block.txs[0]!.invalidate();
    rejects(checkWitnessCommitment(block, true), 'unexpected-witness', 'BLOCK_MUTATED');
    // No witness anywhere: fine with or without a commitment.
    assert.deepEqual(checkWitnessCommitment(block300025(), true), { ok: true });
  });
});

describe('contextualCheckBlock', () => {
  it('accepts block 300025 at its height on mainnet', () => {
    assert.deepEqual(contextualCheckBlock(block300025(), { height: 300025, prevMedianTimePast: 0 }, main), {
      ok: true,
    });
  });

  it('rejects block 300025 at another height: bad-cb-height', () => {
    rejects(
      contextualCheckBlock(block300025(), { height: 300024, prevMedianTimePast: 0 }, main),
      'bad-cb-height',
      'BLOCK_CONSENSUS',
    );
  });

  it('bad-txns-nonfinal, judged against the MTP once CSV is active (BIP113)', () => {
    const tx = spend([outpoint(1)], [1], { locktime: 1_600_000_000 });
    tx.inputs[0]!.sequence = 0;
    const block = makeBlock([coinbase(10, 1), tx], { time: 1_600_000_100 });
    // regtest: CSV active from height 1, so the MTP is the cutoff, not the block time.
    rejects(
      contextualCheckBlock(block, { height: 10, prevMedianTimePast: 1_600_000_000 }, reg),
      'bad-txns-nonfinal',
      'BLOCK_CONSENSUS',
    );
    assert.deepEqual(contextualCheckBlock(block, { height: 10, prevMedianTimePast: 1_600_000_001 }, reg), {
      ok: true,
    });
    // Before CSV the block's own time is the cutoff.
    const preCsv = { ...reg, csvHeight: 1000 };
    assert.deepEqual(contextualCheckBlock(block, { height: 10, prevMedianTimePast: 0 }, preCsv), {
      ok: true,
    });
  });

  it('checks the witness commitment from the segwit height, then the weight', () => {
    const block = segwitBlock(7);
    assert.deepEqual(contextualCheckBlock(block, { height: 7, prevMedianTimePast: 0 }, reg), { ok: true });
    rejects(
      contextualCheckBlock(block, { height: 7, prevMedianTimePast: 0 }, { ...reg, segwitHeight: 8 }),
      'unexpected-witness',
      'BLOCK_MUTATED',
    );
    const heavy = segwitBlock(7, new Uint8Array(32));
    heavy.txs[1]!.inputs[0]!.witness = [new Uint8Array(4_000_000)];
    heavy.txs[1]!.invalidate();
    // Re-commit to the heavy witness so only the weight is wrong.
    const cb = heavy.txs[0]!;
    cb.outputs[1]!.scriptPubKey = concatBytes(
      Uint8Array.of(0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed),
      witnessCommitment(computeWitnessMerkleRoot(heavy).root, new Uint8Array(32)),
    );
    cb.invalidate();
    rejects(
      contextualCheckBlock(heavy, { height: 7, prevMedianTimePast: 0 }, reg),
      'bad-blk-weight',
      'BLOCK_CONSENSUS',
    );
  });
});
