import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, resolveConfig } from '../../src/node/config.js';

const opts = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, [v]]));

describe('explorer options (-explorer, -addressindex)', () => {
  it('the address index defaults on with the explorer on regtest only', () => {
    assert.equal(resolveConfig(opts({ chain: 'regtest' }), '/tmp/x').addressindex, false);
    const regtest = resolveConfig(opts({ chain: 'regtest', explorer: '1' }), '/tmp/x');
    assert.equal(regtest.explorer, true);
    assert.equal(regtest.addressindex, true);
    assert.equal(resolveConfig(opts({ explorer: '1' }), '/tmp/x').addressindex, false);
    assert.equal(resolveConfig(opts({ explorer: '1', addressindex: '1' }), '/tmp/x').addressindex, true);
    assert.equal(
      resolveConfig(opts({ chain: 'regtest', explorer: '1', addressindex: '0' }), '/tmp/x').addressindex,
      false,
    );
    assert.throws(() => resolveConfig(opts({ addressindex: 'maybe' }), '/tmp/x'), ConfigError);
  });
});
