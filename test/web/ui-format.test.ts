/** The explorer UI's number formatting (ui/src/format.ts): exact BTC from satoshis, units. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ago, btc, difficulty, hashRate, short, signedBtc } from '../../ui/src/format.js';

describe('ui formatting', () => {
  it('writes satoshis as exact BTC with eight decimals', () => {
    assert.equal(btc(0), '0.00000000 BTC');
    assert.equal(btc(1), '0.00000001 BTC');
    assert.equal(btc(1_234_567_890), '12.34567890 BTC');
    assert.equal(btc(2_099_999_997_690_000), '20,999,999.97690000 BTC');
    assert.equal(btc(-150_000_000), '-1.50000000 BTC');
    assert.equal(signedBtc(5), '+0.00000005 BTC');
    assert.equal(signedBtc(-5), '-0.00000005 BTC');
    // Every amount up to MAX_MONEY reads back as the same number of satoshis.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_100_000_000_000_000 }), (sats) => {
        const [whole, frac] = btc(sats).replace(' BTC', '').replaceAll(',', '').split('.');
        assert.equal(BigInt(whole!) * 100_000_000n + BigInt(frac!), BigInt(sats));
      }),
    );
  });

  it('scales hash rates and difficulties', () => {
    assert.equal(hashRate(12.5), '12.5 H/s');
    assert.equal(hashRate(3_400_000), '3.40 MH/s');
    assert.equal(hashRate(650e18), '650.0 EH/s');
    assert.equal(difficulty(4.656542373906925e-10), '4.657e-10');
    assert.equal(difficulty(1), '1');
    assert.equal(difficulty(102_289_407_543_323.8), '102,289,407,543,324');
  });

  it('says how long ago, with blocks slightly ahead of the clock as just now', () => {
    const now = 1_700_000_000_000;
    assert.equal(ago(1_700_000_030, now), 'just now');
    assert.equal(ago(1_699_999_990, now), '10 s ago');
    assert.equal(ago(1_699_999_000, now), '16 min ago');
    assert.equal(ago(1_699_990_000, now), '2 h ago');
    assert.equal(ago(1_699_000_000, now), '11 d ago');
  });

  it('shortens hashes keeping both ends', () => {
    const h = 'ab'.repeat(32);
    assert.equal(short(h, 4), 'abab…abab');
    assert.equal(short('abc', 4), 'abc');
  });
});
