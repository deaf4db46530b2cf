import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mainnet } from '../../src/consensus/networks/main.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { testnet } from '../../src/consensus/networks/testnet.js';
import { compactToTarget, targetToCompact } from '../../src/consensus/pow.js';
import {
  calculateNextWorkRequired,
  type HeaderFacts,
  nextWorkRequired,
  permittedDifficultyTransition,
} from '../../src/consensus/retarget.js';

const main = mainnet.consensus;

describe("calculateNextWorkRequired (Core's pow_tests)", () => {
  it('get_next_work: normal retarget at 32255', () => {
    const bits = calculateNextWorkRequired(0x1d00ffff, 1262152739, 1261130161, main);
    assert.equal(bits, 0x1d00d86a);
    assert.ok(permittedDifficultyTransition(main, 32256, 0x1d00ffff, bits));
  });

  it('get_next_work_pow_limit: capped at powLimit', () => {
    const bits = calculateNextWorkRequired(0x1d00ffff, 1233061996, 1231006505, main);
    assert.equal(bits, 0x1d00ffff);
    assert.ok(permittedDifficultyTransition(main, 2016, 0x1d00ffff, bits));
  });

  it('get_next_work_lower_limit_actual: clamped to timespan / 4', () => {
    const bits = calculateNextWorkRequired(0x1c05a3f4, 1279297671, 1279008237, main);
    assert.equal(bits, 0x1c0168fd);
    assert.ok(permittedDifficultyTransition(main, 68544, 0x1c05a3f4, bits));
    assert.ok(!permittedDifficultyTransition(main, 68544, 0x1c05a3f4, bits - 1));
  });

  it('get_next_work_upper_limit_actual: clamped to timespan * 4', () => {
    const bits = calculateNextWorkRequired(0x1c387f6f, 1269211443, 1263163443, main);
    assert.equal(bits, 0x1d00e1fd);
    assert.ok(permittedDifficultyTransition(main, 46368, 0x1c387f6f, bits));
    assert.ok(!permittedDifficultyTransition(main, 46368, 0x1c387f6f, bits + 1));
  });

  it('between retargets only the same bits are a permitted transition', () => {
    assert.ok(permittedDifficultyTransition(main, 100, 0x1d00ffff, 0x1d00ffff));
    assert.ok(!permittedDifficultyTransition(main, 100, 0x1d00ffff, 0x1c00ffff));
    assert.ok(permittedDifficultyTransition(testnet.consensus, 100, 0x1d00ffff, 0x1c00ffff));
  });

  it('stays within a factor of 4 and under powLimit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0x03008000, max: 0x1d00ffff }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
        (bits, firstTime, span) => {
          const old = compactToTarget(bits);
          if (old.negative || old.target === 0n) return;
          const next = compactToTarget(
            calculateNextWorkRequired(bits, firstTime + span, firstTime, main),
          ).target;
          const lowest = compactToTarget(targetToCompact(old.target / 4n)).target;
          assert.ok(next >= lowest, 'more than 4x harder');
          assert.ok(next <= old.target * 4n, 'more than 4x easier');
          assert.ok(next <= main.powLimit, 'above powLimit');
          assert.ok(permittedDifficultyTransition(main, 2016, bits, targetToCompact(next)));
        },
      ),
    );
  });
});

/** A chain of header facts with constant spacing, for nextWorkRequired. */
function chain(length: number, bits: (h: number) => number, time: (h: number) => number): HeaderFacts[] {
  return Array.from({ length }, (_, height) => ({ height, bits: bits(height), time: time(height) }));
}

describe('nextWorkRequired', () => {
  it('measures the period from interval - 1 blocks back (the off-by-one)', () => {
    const facts = chain(
      2016,
      () => 0x1d00ffff,
      (h) => 1_000_000 + h * 300,
    ); // twice as fast
    const asked: number[] = [];
    const bits = nextWorkRequired(
      {
        last: facts[2015]!,
        blockTime: facts[2015]!.time + 300,
        ancestor: (h) => {
          asked.push(h);
          return facts[h]!;
        },
      },
      main,
    );
    assert.deepEqual(asked, [0]);
    // 2015 intervals of 300 s against a 1,209,600 s target.
    assert.equal(bits, calculateNextWorkRequired(0x1d00ffff, facts[2015]!.time, facts[0]!.time, main));
    assert.ok(compactToTarget(bits).target < compactToTarget(0x1d00ffff).target);
  });

  it('keeps the bits between retargets on mainnet, whatever the timestamps', () => {
    const last = { height: 1000, bits: 0x1b0404cb, time: 1_300_000_000 };
    const input = { last, blockTime: last.time + 100_000, ancestor: () => assert.fail('no ancestor needed') };
    assert.equal(nextWorkRequired(input, main), 0x1b0404cb);
  });

  it("testnet's 20-minute rule allows a min-difficulty block", () => {
    const t = testnet.consensus;
    const last = { height: 5000, bits: 0x1c00ffff, time: 1_400_000_000 };
    const limit = targetToCompact(t.powLimit);
    const at = (blockTime: number) => nextWorkRequired({ last, blockTime, ancestor: () => last }, t);
    assert.equal(at(last.time + 1201), limit);
    assert.equal(at(last.time + 1200), 0x1c00ffff);
  });

  it('testnet walks back past min-difficulty blocks, but not past a period start', () => {
    const t = testnet.consensus;
    const limit = targetToCompact(t.powLimit);
    // Blocks 4032..4040: 4032 starts a period; 4035 is the last real-difficulty block.
    const facts = chain(
      4041,
      (h) => (h === 4035 || h === 4032 ? 0x1c00ffff : limit),
      (h) => h * 600,
    );
    const ancestor = (h: number) => facts[h]!;
    const last = facts[4040]!;
    assert.equal(nextWorkRequired({ last, blockTime: last.time + 600, ancestor }, t), 0x1c00ffff);
    // With every block of the period at the limit, the walk stops at the period's first block.
    const allMin = chain(
      4041,
      (h) => (h === 4032 ? limit : h < 4032 ? 0x1c00ffff : limit),
      (h) => h * 600,
    );
    assert.equal(
      nextWorkRequired({ last: allMin[4040]!, blockTime: 4040 * 600 + 600, ancestor: (h) => allMin[h]! }, t),
      limit,
    );
  });

  it('regtest never retargets', () => {
    const r = regtest.consensus;
    const facts = chain(
      144,
      () => 0x207fffff,
      (h) => h,
    );
    const input = { last: facts[143]!, blockTime: 144, ancestor: (h: number) => facts[h]! };
    assert.equal(nextWorkRequired(input, r), 0x207fffff);
    assert.equal(calculateNextWorkRequired(0x1d00ffff, 10, 0, r), 0x1d00ffff);
  });
});
