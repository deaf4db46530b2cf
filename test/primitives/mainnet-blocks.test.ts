import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash256 } from '../../src/crypto/hash.js';
import { toDisplayHex, toHex } from '../../src/encoding/index.js';
import { Block, BlockHeader, computeMerkleRoot, HEADER_SIZE } from '../../src/primitives/index.js';
import { readShared } from '../support/shared.js';

const BLOCKS = [
  {
    file: 'block1.raw',
    hash: '00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048',
    prev: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f', // genesis
    txCount: 1,
  },
  {
    file: 'block300025.raw',
    hash: '0000000000000000821c4e0acc40f88bedbce3b73ba2358b5ade58a9022cc78c',
    prev: undefined,
    txCount: undefined,
  },
];

describe('mainnet blocks', () => {
  for (const spec of BLOCKS) {
    describe(spec.file, () => {
      const raw = readShared('blocks', 'mainnet', spec.file);
      const block = Block.decode(raw);

      it('decodes and re-encodes byte for byte', () => {
        assert.equal(toHex(block.encode()), toHex(raw));
        // Pre-segwit: the stripped serialization is the same bytes.
        assert.equal(toHex(block.encode(false)), toHex(raw));
        if (spec.txCount !== undefined) assert.equal(block.txs.length, spec.txCount);
        assert.ok(block.txs[0]!.isCoinbase());
        for (const tx of block.txs.slice(1)) assert.ok(!tx.isCoinbase());
      });

      it('has the known block hash, and the header decodes alone to the same hash', () => {
        assert.equal(block.hashHex(), spec.hash);
        assert.equal(toDisplayHex(hash256(raw.subarray(0, HEADER_SIZE))), spec.hash);
        const header = BlockHeader.decode(raw.subarray(0, HEADER_SIZE));
        assert.equal(header.hashHex(), spec.hash);
        assert.equal(toHex(header.encode()), toHex(raw.subarray(0, HEADER_SIZE)));
        if (spec.prev !== undefined) assert.equal(toDisplayHex(header.prevBlock), spec.prev);
        // The hash meets the target the header claims (bits), as every mainnet block's must.
        const exponent = header.bits >>> 24;
        const target = BigInt(header.bits & 0x7fffff) << (8n * BigInt(exponent - 3));
        assert.ok(BigInt(`0x${spec.hash}`) <= target);
      });

      it("recomputes the header's Merkle root from the txids, unmutated", () => {
        const { root, mutated } = computeMerkleRoot(block.txs.map((tx) => tx.txid()));
        assert.equal(toHex(root), toHex(block.header.merkleRoot));
        assert.equal(mutated, false);
      });

      it('gives every transaction the txid hash256 of its own legacy serialization', () => {
        let offset = HEADER_SIZE + (block.txs.length < 0xfd ? 1 : 3);
        for (const tx of block.txs) {
          const legacy = tx.encode(false);
          // The bytes in the block are exactly the transaction's serialization, in order.
          assert.equal(toHex(raw.subarray(offset, offset + legacy.length)), toHex(legacy));
          offset += legacy.length;
          assert.equal(toHex(tx.txid()), toHex(hash256(legacy)));
          assert.equal(toHex(tx.wtxid()), toHex(tx.txid()));
          assert.equal(tx.hasWitness(), false);
        }
        assert.equal(offset, raw.length);
      });

      it('has weight 4 x size and vsize = size, having no witness', () => {
        assert.equal(block.baseSize(), raw.length);
        assert.equal(block.totalSize(), raw.length);
        assert.equal(block.weight(), 4 * raw.length);
        assert.ok(block.weight() <= 4_000_000);
        for (const tx of block.txs) {
          assert.equal(tx.baseSize(), tx.totalSize());
          assert.equal(tx.weight(), 4 * tx.totalSize());
          assert.equal(tx.vsize(), tx.totalSize());
        }
      });
    });
  }

  it('block 300025: decoding a copy gives the same transactions as decoding in place', () => {
    const raw = readShared('blocks', 'mainnet', 'block300025.raw');
    const a = Block.decode(raw);
    const b = Block.decode(Uint8Array.from(a.encode()));
    assert.equal(a.txs.length, b.txs.length);
    for (let i = 0; i < a.txs.length; i++) assert.equal(a.txs[i]!.txidHex(), b.txs[i]!.txidHex());
  });
});
