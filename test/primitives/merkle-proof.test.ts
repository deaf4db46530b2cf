import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hash256 } from '../../src/crypto/hash.js';
import { toHex } from '../../src/encoding/index.js';
import {
  buildMerkleBranch,
  computeMerkleRoot,
  computeRootFromBranch,
  merkleParent,
  verifyMerkleBranch,
} from '../../src/primitives/index.js';

/** Distinct pseudo-txids, cheap to make: hash256(seed || i). */
function leavesOf(count: number, seed: number): Uint8Array[] {
  const buf = new Uint8Array(8);
  const view = new DataView(buf.buffer);
  return Array.from({ length: count }, (_, i) => {
    view.setUint32(0, seed);
    view.setUint32(4, i);
    return hash256(buf);
  });
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const i = (bit >>> 3) % out.length;
  out[i]! ^= 1 << (bit & 7);
  return out;
}

/** Every way of tampering with a valid proof that must make it fail. */
function assertTamperingFails(
  leaf: Uint8Array,
  branch: Uint8Array[],
  index: number,
  root: Uint8Array,
  bit: number,
): void {
  const ok = (l: Uint8Array, b: Uint8Array[], i: number) => verifyMerkleBranch(l, b, i, root);
  assert.equal(ok(flipBit(leaf, bit), branch, index), false, 'flipped leaf bit');
  for (let k = 0; k < branch.length; k++) {
    const tampered = branch.slice();
    tampered[k] = flipBit(branch[k]!, bit + k);
    assert.equal(ok(leaf, tampered, index), false, `flipped bit in branch[${k}]`);
  }
  for (let k = 0; k < branch.length; k++)
    assert.equal(ok(leaf, branch, index ^ (1 << k)), false, `index ^ ${1 << k}`);
  assert.equal(ok(leaf, branch, index + 2 ** branch.length), false, 'index past the branch');
  assert.equal(ok(leaf, branch, -1), false, 'negative index');
  assert.equal(ok(leaf, branch, index + 0.5), false, 'fractional index');
  if (branch.length > 0) assert.equal(ok(leaf, branch.slice(0, -1), index), false, 'truncated branch');
  assert.equal(ok(leaf, [...branch, hash256(leaf)], index), false, 'extended branch');
  assert.equal(ok(leaf, [...branch, root], index), false, 'branch extended by the root');
  assert.equal(verifyMerkleBranch(leaf, branch, index, flipBit(root, bit)), false, 'other root');
}

describe('Merkle branches', () => {
  it('builds the textbook branch for a 3-leaf tree (the last leaf is its own sibling)', () => {
    const [a, b, c] = leavesOf(3, 7) as [Uint8Array, Uint8Array, Uint8Array];
    const ab = merkleParent(a, b);
    const cc = merkleParent(c, c);
    const root = merkleParent(ab, cc);
    assert.equal(toHex(computeMerkleRoot([a, b, c]).root), toHex(root));
    assert.deepEqual(buildMerkleBranch([a, b, c], 0), [b, cc]);
    assert.deepEqual(buildMerkleBranch([a, b, c], 2), [c, ab]);
    assert.ok(verifyMerkleBranch(c, [c, ab], 2, root));
    // The duplicate at phantom index 3 hashes to the same root but names no leaf: refused.
    assert.equal(toHex(computeRootFromBranch(c, [c, ab], 3)), toHex(root));
    assert.equal(verifyMerkleBranch(c, [c, ab], 3, root), false);
  });

  it('a single leaf is its own root, with an empty branch', () => {
    const [a] = leavesOf(1, 1) as [Uint8Array];
    assert.deepEqual(buildMerkleBranch([a], 0), []);
    assert.ok(verifyMerkleBranch(a, [], 0, a));
    assert.equal(verifyMerkleBranch(a, [], 1, a), false);
  });

  it('refuses to build for an index outside the leaves', () => {
    const leaves = leavesOf(5, 2);
    for (const i of [-1, 5, 1.5, Number.NaN]) assert.throws(() => buildMerkleBranch(leaves, i), RangeError);
  });

  it('verifies at exactly one index, for every leaf of every tree of 1..33 leaves', () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = leavesOf(n, n);
      const { root } = computeMerkleRoot(leaves);
      for (let index = 0; index < n; index++) {
        const branch = buildMerkleBranch(leaves, index);
        assert.equal(branch.length, Math.ceil(Math.log2(n)));
        for (let other = 0; other < 2 ** branch.length; other++) {
          assert.equal(
            verifyMerkleBranch(leaves[index]!, branch, other, root),
            other === index,
            `${n}/${index}/${other}`,
          );
        }
      }
    }
  });

  it('random trees of 1 to 2,000 leaves: proofs verify and tampered proofs fail (property)', () => {
    const size = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 71, max: 2000 }));
    fc.assert(
      fc.property(
        size,
        fc.nat(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (n, seed, picks, bit) => {
          const leaves = leavesOf(n, seed);
          const { root, mutated } = computeMerkleRoot(leaves);
          assert.equal(mutated, false);
          // Every index of a small tree; the ends, the middle and random picks of a large one (each build is
          // O(n), so all 2,000 would be 4 million hashes per tree).
          const indices =
            n <= 70 ? Array.from({ length: n }, (_, i) => i) : [0, n - 1, n >> 1, ...picks.map((p) => p % n)];
          for (const index of indices) {
            const branch = buildMerkleBranch(leaves, index);
            assert.equal(toHex(computeRootFromBranch(leaves[index]!, branch, index)), toHex(root));
            assert.ok(verifyMerkleBranch(leaves[index]!, branch, index, root));
            assertTamperingFails(leaves[index]!, branch, index, root, bit);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects hashes of the wrong length', () => {
    const leaves = leavesOf(4, 3);
    const { root } = computeMerkleRoot(leaves);
    const branch = buildMerkleBranch(leaves, 1);
    assert.equal(verifyMerkleBranch(leaves[1]!.subarray(0, 31), branch, 1, root), false);
    assert.equal(verifyMerkleBranch(leaves[1]!, [branch[0]!, branch[1]!.subarray(1)], 1, root), false);
    assert.equal(verifyMerkleBranch(leaves[1]!, branch, 1, root.subarray(0, 20)), false);
  });
});

describe('computeMerkleRoot: CVE-2012-2459 mutation flag', () => {
  it('flags a list whose last two hashes are equal, which has the root of the shorter list', () => {
    const [a, b, c] = leavesOf(3, 9) as [Uint8Array, Uint8Array, Uint8Array];
    const honest = computeMerkleRoot([a, b, c]);
    const forged = computeMerkleRoot([a, b, c, c]);
    assert.equal(honest.mutated, false);
    assert.equal(forged.mutated, true);
    assert.equal(toHex(forged.root), toHex(honest.root));
  });

  it('flags a duplicated pair at a higher level: [1..6] vs [1..6, 5, 6]', () => {
    const six = leavesOf(6, 4);
    const eight = [...six, six[4]!, six[5]!];
    assert.equal(computeMerkleRoot(six).mutated, false);
    assert.equal(computeMerkleRoot(eight).mutated, true);
    assert.equal(toHex(computeMerkleRoot(eight).root), toHex(computeMerkleRoot(six).root));
  });

  it('duplicating the last 2^k leaves of an odd-width level keeps the root and is flagged (property)', () => {
    const arb = fc.record({
      half: fc.integer({ min: 1, max: 7 }),
      k: fc.integer({ min: 0, max: 4 }),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(arb, ({ half, k, seed }) => {
        // m * 2^k leaves with m odd and >= 3: level k has odd width m, so its last node is duplicated.
        const m = 2 * half + 1;
        const leaves = leavesOf(m * 2 ** k, seed);
        const forged = [...leaves, ...leaves.slice(-(2 ** k))];
        const honest = computeMerkleRoot(leaves);
        const result = computeMerkleRoot(forged);
        assert.equal(honest.mutated, false);
        assert.equal(result.mutated, true);
        assert.equal(toHex(result.root), toHex(honest.root));
      }),
      { numRuns: 50 },
    );
  });

  it('looks only at pairs: equal hashes that are not siblings do not flag', () => {
    const [a, b] = leavesOf(2, 5) as [Uint8Array, Uint8Array];
    assert.equal(computeMerkleRoot([a, b, a]).mutated, false);
    assert.equal(computeMerkleRoot([a, b, b]).mutated, false);
    assert.equal(computeMerkleRoot([a, a, b]).mutated, true);
    assert.equal(computeMerkleRoot([a]).mutated, false);
  });
});
