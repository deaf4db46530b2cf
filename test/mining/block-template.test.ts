import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBlock, checkMerkleRoot } from '../../src/consensus/check-block.js';
import { contextualCheckBlock } from '../../src/consensus/contextual.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { hash256 } from '../../src/crypto/hash.js';
import { toDisplayHex, toHex } from '../../src/encoding/hex.js';
import { coinbaseMerkleBranch, foldMerkleBranch } from '../../src/mining/merkle-branch.js';
import { computeMerkleRoot } from '../../src/primitives/merkle.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { TxOut } from '../../src/primitives/txout.js';
import { fakeOutpoint, fakeTx, makeTemplate, OP_TRUE, templateTx } from './helpers.js';

describe('coinbase Merkle branch', () => {
  it('folds to computeMerkleRoot for 1..40 transactions', () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = Array.from({ length: n }, (_, i) => hash256(Uint8Array.of(i, n)));
      const branch = coinbaseMerkleBranch(leaves.slice(1));
      assert.equal(branch.length, Math.ceil(Math.log2(n)));
      assert.deepEqual(foldMerkleBranch(leaves[0]!, branch), computeMerkleRoot(leaves).root, `n=${n}`);
    }
  });
});

describe('BlockTemplate', () => {
  const parent = fakeTx([fakeOutpoint(1)], 50_000, true);
  parent.outputs.push(new TxOut(1000, OP_TRUE));
  parent.invalidate();
  const child = fakeTx([new OutPoint(parent.txid(), 0), new OutPoint(parent.txid(), 1)], 40_000);
  const other = fakeTx([fakeOutpoint(2)], 30_000);
  const template = makeTemplate({
    height: 300,
    subsidy: 1_250_000_000,
    transactions: [templateTx(parent, 700), templateTx(child, 500, [1, 1]), templateTx(other, 300)],
  });

  it('sums the fees into the coinbase value', () => {
    assert.equal(template.fees, 1500);
    assert.equal(template.coinbaseValue, 1_250_001_500);
    assert.equal(template.toBlock().txs[0]!.outputs[0]!.value, 1_250_001_500);
  });

  it('builds blocks that pass checkBlock and contextualCheckBlock for every extraNonce', () => {
    const roots = new Set<string>();
    for (const extraNonce of [0, 1, 2, 1000, 2 ** 32 - 1]) {
      const block = template.toBlock(extraNonce, 0);
      assert.equal(checkMerkleRoot(block).ok, true);
      assert.equal(checkBlock(block, regtest.consensus, { checkPoW: false }).ok, true);
      const ctx = contextualCheckBlock(
        block,
        { height: 300, prevMedianTimePast: template.minTime - 1 },
        regtest.consensus,
      );
      assert.equal(ctx.ok, true, ctx.ok ? '' : ctx.reason);
      roots.add(toHex(block.header.merkleRoot));
    }
    assert.equal(roots.size, 5); // each extraNonce changes the coinbase txid, so the root
  });

  it('keeps header fields and transaction order', () => {
    const block = template.toBlock(0, 0xdeadbeef);
    assert.equal(block.header.nonce, 0xdeadbeef);
    assert.equal(block.header.version, 0x20000000);
    assert.equal(block.header.time, 1_700_000_000);
    assert.equal(block.header.bits, 0x207fffff);
    assert.deepEqual(block.header.prevBlock, new Uint8Array(32).fill(7));
    assert.deepEqual(
      block.txs.slice(1).map((tx) => tx.txidHex()),
      [parent, child, other].map((tx) => tx.txidHex()),
    );
  });

  it('reports getblocktemplate fields as bitcoind does', () => {
    const json = template.toGetBlockTemplateJson();
    assert.deepEqual(Object.keys(json), [
      'capabilities',
      'version',
      'rules',
      'vbavailable',
      'vbrequired',
      'previousblockhash',
      'transactions',
      'coinbaseaux',
      'coinbasevalue',
      'longpollid',
      'target',
      'mintime',
      'mutable',
      'noncerange',
      'sigoplimit',
      'sizelimit',
      'weightlimit',
      'curtime',
      'bits',
      'height',
      'default_witness_commitment',
    ]);
    assert.equal(json.version, 0x20000000);
    assert.deepEqual(json.rules, ['csv', '!segwit', 'taproot']);
    assert.equal(json.previousblockhash, '07'.repeat(32));
    assert.equal(json.coinbasevalue, 1_250_001_500);
    assert.equal(json.target, `7fffff${'0'.repeat(58)}`);
    assert.equal(json.bits, '207fffff');
    assert.equal(json.mintime, 1_600_000_001);
    assert.equal(json.curtime, 1_700_000_000);
    assert.equal(json.height, 300);
    assert.equal(json.sigoplimit, 80_000);
    assert.equal(json.sizelimit, 4_000_000);
    assert.equal(json.weightlimit, 4_000_000);
    assert.equal(json.noncerange, '00000000ffffffff');
    assert.equal(json.transactions.length, 3);
    const [t1, t2] = json.transactions;
    assert.equal(t1!.txid, parent.txidHex());
    assert.equal(t1!.hash, toDisplayHex(parent.wtxid()));
    assert.notEqual(t1!.hash, t1!.txid); // it has a witness
    assert.equal(t1!.data, toHex(parent.encode(true)));
    assert.equal(t1!.fee, 700);
    assert.equal(t1!.weight, parent.weight());
    assert.deepEqual(t1!.depends, []);
    // Core lists a parent once per input spending it.
    assert.deepEqual(t2!.depends, [1, 1]);
    assert.equal(json.default_witness_commitment!.slice(0, 12), '6a24aa21a9ed');
  });

  it('shows legacy limits and no weight limit before segwit', () => {
    const json = makeTemplate({
      segwit: false,
      rules: ['csv', 'taproot'],
      transactions: [{ ...templateTx(other, 300), sigOpCost: 8 }],
    }).toGetBlockTemplateJson();
    assert.equal(json.sigoplimit, 20_000);
    assert.equal(json.sizelimit, 1_000_000);
    assert.equal('weightlimit' in json, false);
    assert.equal(json.transactions[0]!.sigops, 2);
  });
});
