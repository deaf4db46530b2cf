import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../src/consensus/networks/main.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { blockSubsidy, COIN, MAX_MONEY, moneyRange } from '../../src/consensus/subsidy.js';

describe('block subsidy', () => {
  const main = mainnet.consensus;

  it('halves every 210,000 blocks (Core validation_tests block_subsidy_test)', () => {
    let previous = 100 * COIN;
    for (let halvings = 0; halvings < 64; halvings++) {
      const subsidy = blockSubsidy(halvings * 210_000, main);
      assert.ok(subsidy <= 50 * COIN);
      assert.equal(subsidy, Math.floor(previous / 2));
      previous = subsidy;
    }
    assert.equal(blockSubsidy(64 * 210_000, main), 0);
  });

  it('known values', () => {
    assert.equal(blockSubsidy(0, main), 50 * COIN);
    assert.equal(blockSubsidy(209_999, main), 50 * COIN);
    assert.equal(blockSubsidy(210_000, main), 25 * COIN);
    assert.equal(blockSubsidy(840_000, main), 3.125 * COIN);
    assert.equal(blockSubsidy(33 * 210_000, main), 0); // 5e9 >> 33 == 0
    assert.equal(blockSubsidy(32 * 210_000, main), 1);
    assert.equal(blockSubsidy(150, regtest.consensus), 25 * COIN);
  });

  it('the total supply stays below 21 million (subsidy_limit_test)', () => {
    let sum = 0;
    for (let height = 0; height < 14_000_000; height += 1000) {
      const subsidy = blockSubsidy(height, main);
      assert.ok(subsidy <= 50 * COIN);
      sum += subsidy * 1000;
      assert.ok(moneyRange(sum));
    }
    assert.equal(sum, 2_099_999_997_690_000);
    assert.ok(sum < MAX_MONEY);
  });

  it('moneyRange', () => {
    assert.ok(moneyRange(0));
    assert.ok(moneyRange(MAX_MONEY));
    assert.ok(!moneyRange(MAX_MONEY + 1));
    assert.ok(!moneyRange(-1));
    assert.ok(!moneyRange(0.5));
    assert.ok(!moneyRange(Number.NaN));
  });
});
