/**
 * The explorer UI's in-browser proof checker (ui/src/proof, WebCrypto SHA-256) against the node's
 * own proofs (src/web/tx-proof.ts over src/primitives' Merkle code): every position of blocks with
 * odd and even tree levels verifies; any one changed byte fails with the right check named; the
 * duplicated-last-node forgery (CVE-2012-2459) and chain facts that disagree are refused; and on
 * random tampering the UI agrees with the node's offline verifier.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compactToTarget } from '../../src/consensus/pow.js';
import { toDisplayHex } from '../../src/encoding/hex.js';
import type { Block } from '../../src/primitives/block.js';
import { buildTxProof, verifyTxProof } from '../../src/web/tx-proof.js';
import { targetFromBits } from '../../ui/src/proof/header.js';
import { type ChainFacts, parseProofJson, verifyProof } from '../../ui/src/proof/verify.js';
import type { TxProof } from '../../ui/src/api/types.js';
import { TestChain } from '../support/test-chain.js';

/** A chain whose last blocks hold 1, 2, 6 and 7 transactions (7: two odd levels). */
function blocks(): { tc: TestChain; targets: Block[] } {
  const tc = new TestChain();
  const mined = tc.mine(110);
  const targets: Block[] = [];
  let coin = 0;
  for (const extra of [0, 1, 5, 6]) {
    const txs = Array.from({ length: extra }, () => tc.spend([tc.coinbaseOutput(mined[coin++]!)]));
    targets.push(tc.block({ txs }));
  }
  return { tc, targets };
}

function proofOf(tc: TestChain, block: Block, index: number): TxProof {
  const txids = block.txs.map((tx) => tx.txid());
  const p = buildTxProof(block.header, tc.heightOf(block), txids, index);
  return { ...p, branch: [...p.branch] };
}

function factsOf(block: Block): ChainFacts {
  return { hashAtHeight: block.hashHex(), hashBelow: toDisplayHex(block.header.prevBlock) };
}

/** The hex string with the byte at `byteIndex` XORed by `mask` (non-zero). */
function flipByte(hex: string, byteIndex: number, mask = 0x01): string {
  const b = Number.parseInt(hex.slice(byteIndex * 2, byteIndex * 2 + 2), 16) ^ mask;
  return hex.slice(0, byteIndex * 2) + b.toString(16).padStart(2, '0') + hex.slice(byteIndex * 2 + 2);
}

const failed = (checks: { id: string; ok: boolean }[]) => checks.filter((c) => !c.ok).map((c) => c.id);

describe('ui proof checker', () => {
  const { tc, targets } = blocks();

  it('verifies every position of blocks of 1, 2, 6 and 7 transactions', async () => {
    for (const block of targets) {
      for (let i = 0; i < block.txs.length; i++) {
        const proof = proofOf(tc, block, i);
        const v = await verifyProof(proof, factsOf(block));
        assert.deepEqual(failed(v.checks), [], `block of ${block.txs.length}, position ${i}`);
        assert.equal(v.ok, true);
        assert.equal(v.headerHash, block.hashHex());
        assert.equal(v.computedRoot, v.headerRoot);
        assert.equal(v.steps.length, proof.branch.length);
      }
    }
  });

  it('names the failed check when one byte changes', async () => {
    const block = targets[3]!;
    const proof = proofOf(tc, block, 5);
    const facts = factsOf(block);
    const branch = [...proof.branch];
    branch[1] = flipByte(branch[1]!, 17);
    assert.deepEqual(failed((await verifyProof({ ...proof, branch }, facts)).checks), ['merkle-root']);
    assert.deepEqual(failed((await verifyProof({ ...proof, txid: flipByte(proof.txid, 0) }, facts)).checks), [
      'merkle-root',
    ]);
    // The Merkle root inside the header: the branch no longer meets it and the header is another block.
    const rootTampered = await verifyProof({ ...proof, header: flipByte(proof.header, 40) }, facts);
    assert.ok(failed(rootTampered.checks).includes('merkle-root'));
    assert.ok(failed(rootTampered.checks).includes('block-hash'));
    // The nonce: the Merkle branch still holds, but the header is not the block at that height.
    const nonceTampered = await verifyProof({ ...proof, header: flipByte(proof.header, 78) }, facts);
    assert.ok(failed(nonceTampered.checks).includes('block-hash'));
    assert.equal(nonceTampered.ok, false);
    // The previous-block hash: the header no longer links to the chain (and is another block).
    const prevTampered = await verifyProof({ ...proof, header: flipByte(proof.header, 10) }, facts);
    assert.ok(failed(prevTampered.checks).includes('chain-link'));
  });

  it('refuses chain facts that disagree with the header', async () => {
    const block = targets[2]!;
    const proof = proofOf(tc, block, 1);
    // targets[0] is two below: neither the block itself nor its parent.
    const other = targets[0]!.hashHex();
    assert.deepEqual(failed((await verifyProof(proof, { ...factsOf(block), hashAtHeight: other })).checks), [
      'block-hash',
    ]);
    assert.deepEqual(failed((await verifyProof(proof, { ...factsOf(block), hashBelow: other })).checks), [
      'chain-link',
    ]);
    assert.deepEqual(failed((await verifyProof(proof, { hashAtHeight: null, hashBelow: null })).checks), [
      'block-hash',
      'chain-link',
    ]);
  });

  it('refuses the duplicated last node posing as a real position (CVE-2012-2459)', async () => {
    // 7 leaves: leaf 6 is paired with a copy of itself; "position 7" would reach the same root.
    const block = targets[3]!;
    const proof = proofOf(tc, block, 6);
    assert.equal((await verifyProof(proof, factsOf(block))).ok, true);
    const phantom = await verifyProof({ ...proof, index: 7 }, factsOf(block));
    assert.deepEqual(failed(phantom.checks), ['merkle-root']);
    assert.match(phantom.checks.find((c) => c.id === 'merkle-root')!.detail, /CVE-2012-2459/);
  });

  it('reports malformed proofs as a failed format check, not an exception', async () => {
    const block = targets[2]!;
    const proof = proofOf(tc, block, 0);
    const facts = factsOf(block);
    for (const bad of [
      { ...proof, index: 2 ** proof.branch.length },
      { ...proof, header: proof.header.slice(2) },
      { ...proof, branch: [...proof.branch.slice(1), 'zz'.repeat(32)] },
      { ...proof, txid: 'ab' },
    ]) {
      const v = await verifyProof(bad, facts);
      assert.equal(v.ok, false);
      assert.equal(v.checks[0]!.id, 'format');
      assert.equal(v.checks[0]!.ok, false);
    }
    assert.equal(parseProofJson('{').ok, false);
    assert.equal(parseProofJson('[]').ok, false);
    assert.equal(parseProofJson(JSON.stringify({ ...proof, branch: 'x' })).ok, false);
    assert.deepEqual(parseProofJson(JSON.stringify(proof)), { ok: true, proof });
  });

  it('agrees with the node’s offline verifier on random one-byte tampering', async () => {
    const block = targets[3]!;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: block.txs.length - 1 }),
        fc.constantFrom('txid', 'header', 'branch'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (index, field, where, mask) => {
          const proof = proofOf(tc, block, index);
          let tampered: TxProof;
          if (field === 'txid') tampered = { ...proof, txid: flipByte(proof.txid, where % 32, mask) };
          else if (field === 'header')
            tampered = { ...proof, header: flipByte(proof.header, where % 80, mask) };
          else {
            const branch = [...proof.branch];
            const level = where % branch.length;
            branch[level] = flipByte(branch[level]!, (where >> 5) % 32, mask);
            tampered = { ...proof, branch };
          }
          const ui = await verifyProof(tampered, factsOf(block));
          const node = verifyTxProof(tampered);
          // With the chain facts any change at all is refused, and the checks that need no chain
          // (well formed, branch to root, PoW, header hashes to the proof's block) give the node's
          // offline verdict.
          assert.equal(ui.ok, false);
          const offline =
            ['format', 'merkle-root', 'proof-of-work'].every(
              (id) => ui.checks.find((c) => c.id === id)!.ok,
            ) && ui.headerHash === tampered.blockhash;
          assert.equal(offline, node.valid);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('decodes compact bits as Core does', () => {
    for (const bits of [0x207fffff, 0x1d00ffff, 0x1b0404cb, 0x01003456, 0x04923456, 0x05009234, 0x00000000]) {
      const core = compactToTarget(bits);
      const valid = !core.negative && !core.overflow && core.target !== 0n;
      assert.equal(targetFromBits(bits), valid ? core.target : null, `bits ${bits.toString(16)}`);
    }
    assert.equal(targetFromBits(0xff123456), null, 'overflow');
    assert.equal(targetFromBits(0x04923456), null, 'negative');
  });
});
