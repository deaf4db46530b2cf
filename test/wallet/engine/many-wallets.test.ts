import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Block } from '../../../src/primitives/block.js';
import { EngineHarness } from './harness.js';

const COIN = 100_000_000;

describe('many loaded wallets', () => {
  let h: EngineHarness;
  let blocks: Block[];
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w);
  };
  before(async () => {
    h = await EngineHarness.create();
    blocks = await h.mine(101, []);
    process.on('warning', onWarning);
  });
  after(async () => {
    process.off('warning', onWarning);
    await h.destroy();
  });

  it('share one chain and mempool subscription, and each still follows its own payments', async () => {
    const base = {
      connected: h.chain.listenerCount('block-connected'),
      disconnected: h.chain.listenerCount('block-disconnected'),
      tx: h.mempool.listenerCount('tx'),
    };
    const wallets = [];
    for (let i = 0; i < 15; i++) wallets.push(await h.wallets.create({ name: `w${i}` }));
    assert.equal(h.chain.listenerCount('block-connected'), base.connected, 'no listener per wallet');
    assert.equal(h.chain.listenerCount('block-disconnected'), base.disconnected);
    assert.equal(h.mempool.listenerCount('tx'), base.tx);
    const last = wallets.at(-1)!;
    await h.accept(h.payTo(await last.getNewAddress(), COIN, blocks[0]!));
    assert.equal(last.balances().untrustedPending, COIN);
    assert.equal(wallets[0]!.balances().untrustedPending, 0);
    await h.mine(1);
    assert.equal(last.balances().trusted, COIN);
    await h.wallets.unload('w3');
    await h.mine(1);
    assert.equal(last.info().lastProcessedBlock.height, h.chain.height);
    // Let the event loop deliver any process warning before looking.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
      [],
    );
  });

  it('getwalletinfo reports whether a wallet was created blank', async () => {
    const blank = await h.wallets.create({ name: 'blank', blank: true });
    assert.equal(blank.info().blank, true);
    assert.equal((await h.wallets.create({ name: 'seeded' })).info().blank, false);
  });
});
