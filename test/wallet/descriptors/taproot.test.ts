/**
 * tr() against BIP341's wallet vectors (../shared/vectors/bip/bip341-wallet.json): every
 * scriptPubKey case whose leaves are all pk() tapscripts is written as a descriptor, and its
 * output key, address, Merkle root and control blocks must match.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { toHex } from '../../../src/encoding/hex.js';
import { addressFromScript } from '../../../src/script/address.js';
import { taprootControlBlock } from '../../../src/script/taproot-tree.js';
import { addChecksum, parseDescriptor } from '../../../src/wallet/descriptors/index.js';
import { readSharedJson } from '../../support/shared.js';

interface Leaf {
  readonly script: string;
  readonly leafVersion: number;
}
type Tree = Leaf | readonly [Tree, Tree];
interface Vector {
  given: { internalPubkey: string; scriptTree: Tree | null };
  intermediary: { merkleRoot: string | null; tweakedPubkey: string };
  expected: { scriptPubKey: string; bip350Address: string; scriptPathControlBlocks?: string[] };
}

const vectors = readSharedJson<{ scriptPubKey: Vector[] }>(
  'vectors',
  'bip',
  'bip341-wallet.json',
).scriptPubKey;

/** The TREE expression of a BIP341 script tree, or undefined when a leaf is not pk(X). */
function treeText(tree: Tree): string | undefined {
  if (Array.isArray(tree)) {
    const [a, b] = (tree as readonly [Tree, Tree]).map(treeText);
    return a === undefined || b === undefined ? undefined : `{${a},${b}}`;
  }
  const leaf = tree as Leaf;
  const m = /^20([0-9a-f]{64})ac$/.exec(leaf.script);
  return m !== null && leaf.leafVersion === 0xc0 ? `pk(${m[1]})` : undefined;
}

describe('tr() and BIP341 wallet vectors', () => {
  let covered = 0;
  for (const [i, v] of vectors.entries()) {
    const tree = v.given.scriptTree === null ? '' : treeText(v.given.scriptTree);
    if (tree === undefined) continue;
    covered++;
    it(`matches scriptPubKey vector ${i}`, () => {
      const text = `tr(${v.given.internalPubkey}${tree === '' ? '' : `,${tree}`})`;
      const desc = parseDescriptor(text, { network: mainnet });
      // Printing gives the same text back (Core's brace reconstruction from depths).
      assert.equal(desc.toString(), addChecksum(text));
      const out = desc.expand();
      assert.equal(toHex(out.scriptPubKey), v.expected.scriptPubKey);
      assert.equal(addressFromScript(out.scriptPubKey, mainnet.addressPrefixes), v.expected.bip350Address);
      const tr = out.taproot!;
      assert.equal(toHex(tr.internalKey), v.given.internalPubkey);
      assert.equal(toHex(tr.outputKey), v.intermediary.tweakedPubkey);
      assert.equal(tr.merkleRoot === undefined ? null : toHex(tr.merkleRoot), v.intermediary.merkleRoot);
      assert.deepEqual(
        tr.leaves.map((leaf) => toHex(taprootControlBlock(tr, leaf))),
        v.expected.scriptPathControlBlocks ?? [],
      );
      assert.equal(out.outputType, 'bech32m');
    });
  }
  it('covers the key-path and pk()-leaf vectors', () => assert.ok(covered >= 3, `covered ${covered}`));

  it('derives tr() keys as x-only and keeps multi_a leaves', () => {
    const xprv =
      'xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc';
    const x1 = 'a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd';
    const x2 = 'df12b7035bdac8e3bab862a3a83d06ea6b17b6753d52edecba9be46f5d09e076';
    const d = parseDescriptor(`tr(${xprv}/0/*,sortedmulti_a(1,${x2},${x1}))`, { network: mainnet });
    const out = d.expand(3);
    const [leaf] = out.taproot!.leaves;
    // sortedmulti_a: keys in order, CHECKSIG then CHECKSIGADD, then <k> NUMEQUAL.
    assert.equal(toHex(leaf!.script), `20${x1}ac20${x2}ba519c`);
    assert.equal(out.taproot!.internalKey.length, 32);
    assert.equal(out.keys.length, 3);
  });
});
