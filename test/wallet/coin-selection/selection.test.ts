import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  automaticSelection,
  chooseSelection,
  type SelectionParams,
  selectCoins,
} from '../../../src/wallet/coin-selection/choose.js';
import {
  DEFAULT_ELIGIBILITY_OPTIONS,
  eligibilityFilters,
  isEligible,
} from '../../../src/wallet/coin-selection/eligibility.js';
import { CoinSelectionError, InsufficientFundsError } from '../../../src/wallet/coin-selection/errors.js';
import { priceCoin, sortPool } from '../../../src/wallet/coin-selection/pool.js';
import { seededRandom } from '../../../src/wallet/coin-selection/random.js';
import type { CoinCandidate, SortedPool } from '../../../src/wallet/coin-selection/types.js';
import { CENT, candidate, csParams } from './support.js';

const params: SelectionParams = csParams(1000);
const rng = seededRandom(42);

function poolOf(coins: CoinCandidate[], p: SelectionParams = params): SortedPool {
  return sortPool(
    coins.map((c) => priceCoin(c, p.effectiveFeeRate, p.longTermFeeRate, p.subtractFeeOutputs)),
  );
}

function values(coins: readonly { coin: CoinCandidate }[]): number[] {
  return coins.map((c) => c.coin.value).sort((a, b) => a - b);
}

function throwsCode(f: () => unknown, code: string, message?: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof CoinSelectionError, String(e));
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

describe('eligibility filters (Core AutomaticCoinSelection)', () => {
  it('are tried in Core’s order with Core’s limits for 25/25 mempool limits', () => {
    const rows = eligibilityFilters().map((f) => [
      f.confMine,
      f.confTheirs,
      f.maxAncestors,
      f.maxDescendants,
    ]);
    assert.deepEqual(rows, [
      [1, 6, 0, 0],
      [1, 1, 0, 0],
      [0, 1, 2, 2],
      [0, 1, 4, 4],
      [0, 1, 12, 12],
      [0, 1, 24, 24],
    ]);
    assert.equal(eligibilityFilters()[0]!.allowMixedOutputTypes, false);
    const all = eligibilityFilters({
      ...DEFAULT_ELIGIBILITY_OPTIONS,
      includeUnsafe: true,
      rejectLongChains: false,
    });
    assert.equal(all.length, 8);
    assert.deepEqual([all[6]!.confTheirs, all[7]!.maxAncestors], [0, Number.POSITIVE_INFINITY]);
    assert.equal(
      eligibilityFilters({ ...DEFAULT_ELIGIBILITY_OPTIONS, spendZeroConfChange: false }).length,
      2,
    );
  });

  it('judge our coins and others’ by different confirmation counts', () => {
    const [strict, relaxed] = eligibilityFilters();
    const ours = candidate(CENT, { confirmations: 1, fromMe: true });
    const theirs = candidate(CENT, { confirmations: 5, fromMe: false });
    assert.equal(isEligible(ours, strict!), true);
    assert.equal(isEligible(theirs, strict!), false);
    assert.equal(isEligible(theirs, relaxed!), true);
  });
});

describe('automatic selection', () => {
  it('spends well-confirmed coins first, even when a younger coin would match exactly', () => {
    const young = candidate(2 * CENT, { confirmations: 2 });
    const old = candidate(5 * CENT, { confirmations: 100 });
    const s = automaticSelection(poolOf([young, old]), 2 * CENT - 68, params, rng);
    assert.deepEqual(values(s.inputs), [5 * CENT]);
  });

  it('falls back to unconfirmed change only when confirmed coins fall short', () => {
    const confirmed = candidate(1 * CENT, { confirmations: 10 });
    const change = candidate(3 * CENT, { confirmations: 0, fromMe: true, ancestors: 1, descendants: 1 });
    assert.deepEqual(values(automaticSelection(poolOf([confirmed, change]), CENT / 2, params, rng).inputs), [
      CENT,
    ]);
    const s = automaticSelection(poolOf([confirmed, change]), 2 * CENT, params, rng);
    assert.ok(s.inputs.some((c) => c.coin === change));
  });

  it('never spends unconfirmed coins from others unless unsafe inputs are allowed', () => {
    const theirs = candidate(3 * CENT, { confirmations: 0, ancestors: 1 });
    assert.throws(() => automaticSelection(poolOf([theirs]), CENT, params, rng), InsufficientFundsError);
    const unsafe = { ...DEFAULT_ELIGIBILITY_OPTIONS, includeUnsafe: true };
    assert.deepEqual(values(automaticSelection(poolOf([theirs]), CENT, params, rng, unsafe).inputs), [
      3 * CENT,
    ]);
  });

  it('says so when only coins beyond the mempool chain limits would do', () => {
    const deep = candidate(3 * CENT, { confirmations: 0, fromMe: true, ancestors: 25, descendants: 1 });
    throwsCode(
      () => automaticSelection(poolOf([deep]), CENT, params, rng),
      'long-mempool-chain',
      'Unconfirmed UTXOs are available, but spending them creates a chain of transactions that will be rejected by the mempool',
    );
    const lax = { ...DEFAULT_ELIGIBILITY_OPTIONS, rejectLongChains: false };
    assert.equal(automaticSelection(poolOf([deep]), CENT, params, rng, lax).inputs.length, 1);
  });

  it('reports plain insufficiency with Core’s words', () => {
    throwsCode(
      () => automaticSelection(poolOf([candidate(CENT)]), 2 * CENT, params, rng),
      'insufficient-funds',
      'Insufficient funds',
    );
  });

  it('keeps to one output type when one suffices, mixes when none does', () => {
    const legacy = [candidate(3 * CENT, { outputType: 'legacy', inputWeight: 589 })];
    const bech32 = [
      candidate(2 * CENT, { outputType: 'bech32' }),
      candidate(2 * CENT, { outputType: 'bech32' }),
    ];
    const single = automaticSelection(poolOf([...legacy, ...bech32]), 2.5 * CENT, params, rng);
    assert.equal(new Set(single.inputs.map((c) => c.coin.outputType)).size, 1);
    const mixed = automaticSelection(poolOf([...legacy, ...bech32]), 6 * CENT, params, rng);
    assert.equal(new Set(mixed.inputs.map((c) => c.coin.outputType)).size, 2);
  });

  it('reports the maximum weight when only too many inputs would fund it', () => {
    const heavy = csParams(1000, { maxSelectionWeight: 3 * 272 + 124 });
    const coins = Array.from({ length: 10 }, () => candidate(CENT));
    throwsCode(
      () => automaticSelection(poolOf(coins, heavy), 5 * CENT, heavy, rng),
      'max-weight-exceeded',
      "The inputs size exceeds the maximum weight. Please try sending a smaller amount or manually consolidating your wallet's UTXOs",
    );
  });
});

describe('choosing by waste', () => {
  it('returns the least wasteful of the algorithms’ results', () => {
    const coins = Array.from({ length: 40 }, (_, i) => candidate(10_000 + i * 37_000, { confirmations: 10 }));
    for (const rate of [1000, 10_000, 50_000]) {
      const p = csParams(rate);
      const r = chooseSelection(poolOf(coins, p), 1_500_000, p, seededRandom(rate));
      assert.ok(r.ok);
      for (const other of r.candidates)
        assert.ok(r.selection.waste <= other.waste, `${r.selection.algorithm} vs ${other.algorithm}`);
      // CoinGrinder joins only above 3× the long-term rate.
      assert.equal(
        r.candidates.some((c) => c.algorithm === 'coingrinder'),
        rate > 30_000,
      );
    }
  });

  it('skips BnB when fees come from the outputs', () => {
    const p = csParams(1000, { subtractFeeOutputs: true });
    const r = chooseSelection(poolOf([candidate(CENT), candidate(2 * CENT)], p), CENT, p, rng);
    assert.ok(r.ok);
    assert.ok(r.candidates.every((c) => c.algorithm !== 'bnb'));
  });

  it('refuses a maximum weight below the transaction without inputs', () => {
    const p = csParams(1000, { maxSelectionWeight: 0 });
    const r = chooseSelection(poolOf([candidate(CENT)], p), CENT / 2, p, rng);
    assert.deepEqual(r, { ok: false, error: 'max-weight-below-overhead' });
  });
});

describe('preset inputs (coin control)', () => {
  const preset = (c: CoinCandidate) => priceCoin(c, params.effectiveFeeRate, params.longTermFeeRate, false);

  it('are spent alone when they cover the target', () => {
    const s = selectCoins(poolOf([candidate(5 * CENT)]), [preset(candidate(2 * CENT))], CENT, params, rng, {
      allowOtherInputs: true,
    });
    assert.equal(s.algorithm, 'manual');
    assert.deepEqual(values(s.inputs), [2 * CENT]);
  });

  it('are topped up from the wallet, or refused when other inputs are not allowed', () => {
    const mine = preset(candidate(CENT));
    const s = selectCoins(poolOf([candidate(5 * CENT)]), [mine], 3 * CENT, params, rng, {
      allowOtherInputs: true,
    });
    assert.ok(s.inputs.includes(mine));
    assert.ok(s.selectedEffectiveValue >= 3 * CENT);
    throwsCode(
      () =>
        selectCoins(poolOf([candidate(5 * CENT)]), [mine], 3 * CENT, params, rng, {
          allowOtherInputs: false,
        }),
      'preset-insufficient',
    );
  });
});
