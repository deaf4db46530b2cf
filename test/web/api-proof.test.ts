import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { mainnet as main } from '../../src/consensus/networks/main.js';
import { Block } from '../../src/primitives/block.js';
import { buildTxProof, type TxProof, verifyTxProof } from '../../src/web/tx-proof.js';
import { readShared } from '../support/shared.js';
import { TestChain } from '../support/test-chain.js';

/** Flips one hex digit (one byte changes) at character `at` of `hex`. */
function flip(hex: string, at: number): string {
  const c = hex[at] === '0' ? '1' : '0';
  return hex.slice(0, at) + c + hex.slice(at + 1);
}

describe('tx proofs (src/web/tx-proof.ts)', () => {
  const tc = new TestChain();
  const blocks = tc.mine(101);
  const txs = Array.from({ length: 6 }, (_, i) => tc.spend([tc.coinbaseOutput(blocks[i]!)]));
  const block = tc.block({ txs });
  const txids = block.txs.map((t) => t.txid());

  it('every transaction of a 7-tx block (odd levels duplicated) proves at its index only', () => {
    for (let i = 0; i < txids.length; i++) {
      const proof = buildTxProof(block.header, 102, txids, i);
      assert.equal(verifyTxProof(proof, regtest.consensus.powLimit).valid, true, `index ${i}`);
      assert.equal(verifyTxProof({ ...proof, index: (i + 1) % 8 }).valid, false, `moved ${i}`);
    }
    // The last leaf is its own sibling's twin: it must not prove at the phantom index 7.
    const last = buildTxProof(block.header, 102, txids, 6);
    assert.equal(verifyTxProof({ ...last, index: 7 }).valid, false);
  });

  it('a one-byte change anywhere fails with the check named', () => {
    const proof = buildTxProof(block.header, 102, txids, 3);
    const branch = [...proof.branch];
    branch[1] = flip(branch[1]!, 10);
    const badBranch = verifyTxProof({ ...proof, branch });
    assert.equal(badBranch.valid, false);
    assert.match(badBranch.valid ? '' : badBranch.reason, /^merkle root mismatch/);
    const badTxid = verifyTxProof({ ...proof, txid: flip(proof.txid, 0) });
    assert.match(badTxid.valid ? '' : badTxid.reason, /^merkle root mismatch/);
    // Merkle root bytes are header bytes 36..68 (hex 72..136): the hash changes too.
    const badRoot = verifyTxProof({ ...proof, header: flip(proof.header, 80) });
    assert.match(badRoot.valid ? '' : badRoot.reason, /^block hash mismatch/);
    const badFormat = verifyTxProof({ ...proof, branch: ['xyz'] });
    assert.match(badFormat.valid ? '' : badFormat.reason, /^malformed proof/);
    assert.equal(verifyTxProof('{not json').valid, false);
  });

  it('a header whose hash is above its target fails "header hash above target"', () => {
    const weak = tc.withBadPoW(block);
    const proof: TxProof = { ...buildTxProof(weak.header, 102, txids, 2) };
    const verdict = verifyTxProof(proof, regtest.consensus.powLimit);
    assert.equal(verdict.valid, false);
    assert.match(verdict.valid ? '' : verdict.reason, /^header hash above target/);
    // A regtest header is no proof of work for mainnet's limit.
    const easy = verifyTxProof(buildTxProof(block.header, 102, txids, 2), main.consensus.powLimit);
    assert.equal(easy.valid, false);
  });

  it('proves a transaction of mainnet block 300025 (real proof of work)', () => {
    const real = Block.decode(readShared('blocks', 'mainnet', 'block300025.raw'));
    const ids = real.txs.map((t) => t.txid());
    const proof = buildTxProof(real.header, 300025, ids, 17);
    assert.equal(verifyTxProof(JSON.stringify(proof), main.consensus.powLimit).valid, true);
  });
});
