import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mainnet } from '../../src/consensus/networks/main.js';
import {
  blockProof,
  checkProofOfWork,
  compactToTarget,
  deriveTarget,
  hashToBigInt,
  targetToCompact,
} from '../../src/consensus/pow.js';

const hex64 = (n: bigint) => n.toString(16).padStart(64, '0');
/** A uint256 as a hash in internal (little-endian) byte order. */
function bigIntToHash(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

describe('compact bits <-> target (arith_uint256 SetCompact/GetCompact)', () => {
  // Core's arith_uint256_tests bignum_SetCompact: [compact, hex, GetCompact(negative), negative, overflow]
  const cases: [number, string, number, boolean, boolean][] = [
    [0x00000000, '0', 0, false, false],
    [0x00123456, '0', 0, false, false],
    [0x01003456, '0', 0, false, false],
    [0x02000056, '0', 0, false, false],
    [0x03000000, '0', 0, false, false],
    [0x04000000, '0', 0, false, false],
    [0x00923456, '0', 0, false, false],
    [0x01803456, '0', 0, false, false],
    [0x02800056, '0', 0, false, false],
    [0x03800000, '0', 0, false, false],
    [0x04800000, '0', 0, false, false],
    [0x01123456, '12', 0x01120000, false, false],
    [0x01fedcba, '7e', 0x01fe0000, true, false],
    [0x02123456, '1234', 0x02123400, false, false],
    [0x03123456, '123456', 0x03123456, false, false],
    [0x04123456, '12345600', 0x04123456, false, false],
    [0x04923456, '12345600', 0x04923456, true, false],
    [0x05009234, '92340000', 0x05009234, false, false],
    [0x20123456, `123456${'0'.repeat(58)}`, 0x20123456, false, false],
  ];
  for (const [bits, hex, compact, negative, overflow] of cases) {
    it(`0x${bits.toString(16).padStart(8, '0')}`, () => {
      const d = compactToTarget(bits);
      assert.equal(d.target, BigInt(`0x${hex}`));
      assert.equal(d.negative, negative);
      assert.equal(d.overflow, overflow);
      assert.equal(targetToCompact(d.target, d.negative), compact);
    });
  }

  it('setcompact_test: overflow truncates to 256 bits as arith_uint256 does', () => {
    for (const [bits, negative] of [
      [0x21123456, false],
      [0x21923456, true],
    ] as const) {
      const d = compactToTarget(bits);
      assert.equal(hex64(d.target), `3456${'0'.repeat(60)}`);
      assert.equal(d.negative, negative);
      assert.equal(d.overflow, true);
    }
    assert.equal(compactToTarget(0xff123456).overflow, true);
    assert.equal(compactToTarget(0xff123456).negative, false);
  });

  it('never produces a compact with the sign bit set', () => {
    assert.equal(targetToCompact(0x80n), 0x02008000);
  });

  it('round-trips every valid compact (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const d = compactToTarget(bits);
        if (d.overflow) return;
        // Re-encoding the decoded value is a fixed point of decode.
        const again = compactToTarget(targetToCompact(d.target));
        assert.equal(again.target, d.target);
      }),
    );
  });

  it('GetCompact rounds down to three significant bytes (property)', () => {
    fc.assert(
      fc.property(fc.bigInt(1n, (1n << 256n) - 1n), (n) => {
        const back = compactToTarget(targetToCompact(n)).target;
        assert.ok(back <= n);
        assert.ok(back * 0x10000n > n || n < 0x800000n);
      }),
    );
  });
});

describe('checkProofOfWork (pow_tests)', () => {
  const params = mainnet.consensus;
  const one = bigIntToHash(1n);

  it('rejects a negative target', () => {
    assert.equal(checkProofOfWork(one, targetToCompact(params.powLimit, true), params), false);
  });
  it('rejects an overflowing target', () => {
    assert.equal(checkProofOfWork(one, ~0x00800000 >>> 0, params), false);
  });
  it('rejects a target easier than powLimit', () => {
    assert.equal(checkProofOfWork(one, targetToCompact(params.powLimit * 2n), params), false);
  });
  it('rejects a hash above the target', () => {
    const bits = targetToCompact(params.powLimit);
    assert.equal(checkProofOfWork(bigIntToHash(params.powLimit * 2n), bits, params), false);
  });
  it('rejects a zero target', () => {
    assert.equal(checkProofOfWork(bigIntToHash(0n), targetToCompact(0n), params), false);
  });
  it('accepts a hash equal to the target', () => {
    const target = compactToTarget(0x1d00ffff).target;
    assert.equal(checkProofOfWork(bigIntToHash(target), 0x1d00ffff, params), true);
    assert.equal(checkProofOfWork(bigIntToHash(target + 1n), 0x1d00ffff, params), false);
  });
  it('reads hashes little-endian', () => {
    const h = new Uint8Array(32);
    h[31] = 0x01;
    assert.equal(hashToBigInt(h), 1n << 248n);
    assert.equal(deriveTarget(0x1d00ffff, params.powLimit), 0xffffn << 208n);
    assert.equal(deriveTarget(0x1d00ffff, 0n), undefined);
  });
});

describe('blockProof (chain work)', () => {
  it('is 2^256 / (target + 1)', () => {
    assert.equal(blockProof(0x1d00ffff), 0x100010001n); // difficulty 1: 4295032833 hashes
    assert.equal(blockProof(0x207fffff), 2n); // regtest
    fc.assert(
      fc.property(fc.integer({ min: 0x03000001, max: 0x1d7fffff }), (bits) => {
        const { target, negative } = compactToTarget(bits);
        if (negative || target === 0n) return;
        assert.equal(blockProof(bits), (1n << 256n) / (target + 1n));
      }),
    );
  });
  it('is zero for invalid bits', () => {
    assert.equal(blockProof(0), 0n);
    assert.equal(blockProof(0x04923456), 0n);
    assert.equal(blockProof(0xff123456), 0n);
  });
});
