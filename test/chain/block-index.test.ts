import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockIndex, skipHeight } from '../../src/chain/block-index.js';
import { BlockStatus, type ChainEntry } from '../../src/chain/chain-entry.js';
import { buildGenesisBlock } from '../../src/consensus/genesis.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { blockProof } from '../../src/consensus/pow.js';
import { BlockHeader } from '../../src/primitives/block-header.js';

/** Headers that only need distinct hashes (the index does not check proof of work). */
function extend(index: BlockIndex, from: ChainEntry, n: number, tag: number): ChainEntry[] {
  const out: ChainEntry[] = [];
  let prev = from;
  for (let i = 0; i < n; i++) {
    const h = new BlockHeader(
      4,
      prev.hash,
      new Uint8Array(32),
      prev.time + 1,
      0x207fffff,
      tag * 1_000_000 + i,
    );
    prev = index.add(h, prev, BlockStatus.VALID_TREE);
    out.push(prev);
  }
  return out;
}

describe('BlockIndex', () => {
  const genesis = buildGenesisBlock(regtest);

  it('skip heights point below and never at the block itself', () => {
    for (let h = 2; h < 5000; h++) {
      assert.ok(skipHeight(h) < h);
      assert.ok(skipHeight(h) >= 0);
    }
    assert.equal(skipHeight(0), 0);
    assert.equal(skipHeight(1), 0);
  });

  it('ancestor, findFork and chainwork on a 30,000-block tree with a side branch', () => {
    const index = new BlockIndex(regtest.consensus);
    const g = index.add(genesis.header, undefined, BlockStatus.VALID_TREE | BlockStatus.HAVE_DATA);
    index.setTip(g);
    const main = extend(index, g, 30_000, 1);
    const side = extend(index, main[19_999]!, 5_000, 2); // heights 20,001..25,000
    index.setTip(main[main.length - 1]!);
    const leaf = side[side.length - 1]!;
    assert.equal(index.contains(leaf), false);
    // Against a plain walk, from a block off the active chain (the skip list does the work).
    const walk = (e: ChainEntry, h: number) => {
      let w = e;
      while (w.height > h) w = w.prev!;
      return w;
    };
    for (let i = 0; i < 2000; i++) {
      const h = Math.floor(Math.random() * (leaf.height + 1));
      assert.equal(index.ancestor(leaf, h), walk(leaf, h));
    }
    assert.equal(index.findFork(leaf, index.tip), main[19_999]);
    assert.equal(leaf.chainwork, blockProof(0x207fffff) * 25_001n);
    // Switching the active chain rewrites only the part after the fork.
    index.setTip(leaf);
    assert.equal(index.atHeight(25_000), leaf);
    assert.equal(index.atHeight(20_000), main[19_999]);
    assert.equal(index.atHeight(25_001), undefined);
    assert.equal(index.descendants(main[29_990]!).length, 9);
  });
});
