import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hash256 } from '../../src/crypto/hash.js';
import { DecodeError, toHex } from '../../src/encoding/index.js';
import {
  Block,
  computeMerkleRoot,
  MAX_PARTIAL_TREE_TRANSACTIONS,
  MerkleBlock,
  type MerkleMatch,
  PartialMerkleTree,
  type PartialMerkleTreeResult,
} from '../../src/primitives/index.js';
import { readShared } from '../support/shared.js';

function leavesOf(count: number, seed: number): Uint8Array[] {
  const buf = new Uint8Array(8);
  const view = new DataView(buf.buffer);
  return Array.from({ length: count }, (_, i) => {
    view.setUint32(0, seed);
    view.setUint32(4, i);
    return hash256(buf);
  });
}

const errorOf = (result: PartialMerkleTreeResult): string | undefined =>
  result.ok ? undefined : result.error;

const describeMatches = (matches: readonly MerkleMatch[]): string[] =>
  matches.map((m) => `${m.index}:${toHex(m.hash)}`);
const matchList = (result: PartialMerkleTreeResult): string[] =>
  result.ok ? describeMatches(result.matches) : [];

/** Random trees and match sets: sparse, dense, none and all matched. */
const arbTree = fc
  .record({
    n: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 600 })),
    seed: fc.nat(),
    density: fc.constantFrom(0, 0.01, 0.1, 0.5, 1),
    coin: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 600, maxLength: 600 }),
  })
  .map(({ n, seed, density, coin }) => ({
    leaves: leavesOf(n, seed),
    matches: Array.from({ length: n }, (_, i) => density === 1 || coin[i]! < density),
  }));

describe('merkleblock for mainnet block 300025', () => {
  const raw = readShared('blocks', 'mainnet', 'merkle300025.raw');
  const block = Block.decode(readShared('blocks', 'mainnet', 'block300025.raw'));
  const mb = MerkleBlock.decode(raw);

  it('decodes, carries the block header and re-encodes byte for byte', () => {
    assert.equal(toHex(mb.header.encode()), toHex(block.header.encode()));
    assert.equal(mb.header.hashHex(), '0000000000000000821c4e0acc40f88bedbce3b73ba2358b5ade58a9022cc78c');
    assert.equal(mb.tree.totalTransactions, block.txs.length);
    assert.equal(toHex(mb.encode()), toHex(raw));
  });

  it("extracts the header's Merkle root and matches that sit in the block at their positions", () => {
    const extracted = mb.tree.extractMatches();
    assert.ok(extracted.ok);
    assert.equal(toHex(extracted.root), toHex(block.header.merkleRoot));
    const result = mb.verify();
    assert.ok(result.ok);
    assert.ok(result.matches.length > 0);
    for (const m of result.matches) assert.equal(toHex(block.txs[m.index]!.txid()), toHex(m.hash));
    assert.deepEqual(
      result.matches.map((m) => m.index),
      [396, 397],
    );
  });

  it('is exactly the tree we build from the block for the same matches', () => {
    const wanted = new Set(mb.verify().matches.map((m) => m.index));
    const rebuilt = MerkleBlock.fromBlock(block, (_txid, i) => wanted.has(i));
    assert.equal(toHex(rebuilt.encode()), toHex(raw));
  });

  it('detects a flipped hash byte, a flipped flag bit and truncation', () => {
    const hashesStart = 80 + 4 + 1;
    for (let i = hashesStart; i < hashesStart + mb.tree.hashes.length * 32; i += 7) {
      const bad = Uint8Array.from(raw);
      bad[i]! ^= 0x01;
      assert.equal(MerkleBlock.decode(bad).verify().ok, false, `hash byte ${i}`);
    }
    const before = matchList(mb.tree.extractMatches());
    const flagsStart = raw.length - mb.tree.flags.length;
    const used = bitsUsed(mb.tree);
    for (let bit = 0; bit < used; bit++) {
      const bad = Uint8Array.from(raw);
      bad[flagsStart + (bit >>> 3)]! ^= 1 << (bit & 7);
      const result = MerkleBlock.decode(bad).verify();
      // A flipped bit either breaks the proof or changes what it claims (a leaf bit only marks a match).
      assert.ok(!result.ok || describeMatches(result.matches).join() !== before.join(), `flag bit ${bit}`);
    }
    for (let n = 0; n < raw.length; n++)
      assert.throws(() => MerkleBlock.decode(raw.subarray(0, n)), DecodeError);
    assert.throws(() => MerkleBlock.decode(Uint8Array.of(...raw, 0)), DecodeError);
  });

  it('refuses a tree whose root is not the header’s', () => {
    const other = MerkleBlock.decode(Uint8Array.from(raw));
    other.header = Block.decode(readShared('blocks', 'mainnet', 'block1.raw')).header;
    assert.deepEqual(other.verify(), { ok: false, matches: [], reason: 'merkle-root-mismatch' });
  });
});

/** Flag bits a well-formed tree uses: one per node visited, recounted by walking the tree shape. */
function bitsUsed(tree: PartialMerkleTree): number {
  const width = (h: number) => Math.ceil(tree.totalTransactions / 2 ** h);
  let height = 0;
  while (width(height) > 1) height++;
  let bits = 0;
  const walk = (h: number, pos: number): void => {
    const parent = tree.bit(bits++);
    if (h === 0 || !parent) return;
    walk(h - 1, pos * 2);
    if (pos * 2 + 1 < width(h - 1)) walk(h - 1, pos * 2 + 1);
  };
  walk(height, 0);
  return bits;
}

describe('PartialMerkleTree', () => {
  it('build -> encode -> decode -> extract returns the root and exactly the matches (property)', () => {
    fc.assert(
      fc.property(arbTree, ({ leaves, matches }) => {
        const tree = PartialMerkleTree.build(leaves, matches);
        const bytes = tree.encode();
        const decoded = PartialMerkleTree.decode(bytes);
        assert.equal(toHex(decoded.encode()), toHex(bytes));
        const result = decoded.extractMatches();
        assert.ok(result.ok, errorOf(result));
        assert.equal(toHex(result.root), toHex(computeMerkleRoot(leaves).root));
        const expected = leaves.flatMap((h, i) => (matches[i] ? [`${i}:${toHex(h)}`] : []));
        assert.deepEqual(matchList(result), expected);
        assert.ok(decoded.hashes.length <= leaves.length);
        assert.equal((bitsUsed(decoded) + 7) >>> 3, decoded.flags.length);
      }),
      { numRuns: 150 },
    );
  });

  it('a tree with no match is the root alone', () => {
    const leaves = leavesOf(100, 1);
    const tree = PartialMerkleTree.build(leaves, new Array(100).fill(false));
    assert.equal(tree.hashes.length, 1);
    assert.equal(toHex(tree.hashes[0]!), toHex(computeMerkleRoot(leaves).root));
    assert.equal(toHex(tree.flags), '00');
  });

  it('refuses to build from nothing or from mismatched lengths', () => {
    assert.throws(() => PartialMerkleTree.build([], []), RangeError);
    assert.throws(() => PartialMerkleTree.build(leavesOf(2, 0), [true]), RangeError);
  });

  it("applies each of Core's sanity checks", () => {
    const h = leavesOf(20, 3);
    const check = (tree: PartialMerkleTree) => errorOf(tree.extractMatches());
    assert.equal(check(new PartialMerkleTree(0, [], new Uint8Array(0))), 'no-transactions');
    assert.equal(
      check(new PartialMerkleTree(MAX_PARTIAL_TREE_TRANSACTIONS + 1, [h[0]!], Uint8Array.of(0))),
      'too-many-transactions',
    );
    assert.equal(check(new PartialMerkleTree(2, h.slice(0, 3), Uint8Array.of(0xff))), 'too-many-hashes');
    assert.equal(check(new PartialMerkleTree(4, h.slice(0, 3), new Uint8Array(0))), 'too-few-bits');

    // 16 leaves all matched: 31 bits in 4 bytes and 16 hashes. Dropping a byte starves the walk of bits.
    const full = PartialMerkleTree.build(h.slice(0, 16), new Array(16).fill(true));
    assert.equal(full.flags.length, 4);
    assert.equal(check(new PartialMerkleTree(16, full.hashes, full.flags.subarray(0, 3))), 'bits-overflow');
    assert.equal(check(new PartialMerkleTree(16, full.hashes.slice(0, 15), full.flags)), 'hashes-overflow');
    assert.equal(
      check(new PartialMerkleTree(16, full.hashes, Uint8Array.of(...full.flags, 0))),
      'bits-not-consumed',
    );

    // 4 leaves, only the first matched: bits 1,1,1,0,0 and hashes a, b, H(c,d); a 4th hash is left over.
    const one = PartialMerkleTree.build(h.slice(0, 4), [true, false, false, false]);
    assert.equal(one.hashes.length, 3);
    assert.equal(check(new PartialMerkleTree(4, [...one.hashes, h[9]!], one.flags)), 'hashes-not-consumed');
  });

  it('accepts the largest transaction count a block can hold', () => {
    const n = MAX_PARTIAL_TREE_TRANSACTIONS;
    const leaves = leavesOf(n, 8);
    const matches = leaves.map((_, i) => i === n - 1);
    const result = PartialMerkleTree.decode(
      PartialMerkleTree.build(leaves, matches).encode(),
    ).extractMatches();
    assert.ok(result.ok);
    assert.equal(toHex(result.root), toHex(computeMerkleRoot(leaves).root));
    assert.deepEqual(
      result.matches.map((m) => m.index),
      [n - 1],
    );
  });

  it('refuses duplicated subtrees (CVE-2012-2459), which hash to the honest root', () => {
    // Txids 1..10 then 9, 10 again: the same root as 1..10, but equal siblings inside the tree.
    const ten = leavesOf(10, 4);
    const twelve = [...ten, ten[8]!, ten[9]!];
    assert.equal(toHex(computeMerkleRoot(twelve).root), toHex(computeMerkleRoot(ten).root));
    const matches = twelve.map((_, i) => i === 9 || i === 10);
    assert.equal(errorOf(PartialMerkleTree.build(twelve, matches).extractMatches()), 'duplicate-child');
    // A duplicated last leaf, claimed as a match.
    const three = leavesOf(3, 5);
    const four = [...three, three[2]!];
    assert.equal(
      errorOf(PartialMerkleTree.build(four, [false, false, false, true]).extractMatches()),
      'duplicate-child',
    );
    // The honest trees extract.
    assert.ok(
      PartialMerkleTree.build(
        ten,
        ten.map((_, i) => i === 9),
      ).extractMatches().ok,
    );
  });

  it('MerkleBlock.fromBlock proves chosen transactions of a real block', () => {
    const block = Block.decode(readShared('blocks', 'mainnet', 'block300025.raw'));
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: block.txs.length - 1 }), { maxLength: 20 }), (chosen) => {
        const set = new Set(chosen);
        const mb = MerkleBlock.decode(MerkleBlock.fromBlock(block, (_t, i) => set.has(i)).encode());
        const result = mb.verify();
        assert.ok(result.ok);
        assert.deepEqual(
          result.matches.map((m) => m.index),
          [...set].sort((a, b) => a - b),
        );
        for (const m of result.matches) assert.equal(toHex(m.hash), toHex(block.txs[m.index]!.txid()));
      }),
      { numRuns: 20 },
    );
  });
});
