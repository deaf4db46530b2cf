import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Block } from '../../../src/primitives/block.js';
import { addressFromScript } from '../../../src/script/address.js';
import type { CoinCandidate } from '../../../src/wallet/coin-selection/types.js';
import { toCandidate } from '../../../src/wallet/spend/build-tx.js';
import { forEachAvailable } from '../../../src/wallet/tracking/balances.js';
import type { Wallet } from '../../../src/wallet/wallet.js';
import { EngineHarness, MNEMONIC } from './harness.js';

const COIN = 100_000_000;

/** Coins as the send path sees them, in a comparable form. */
const view = (cs: readonly CoinCandidate[]): string[] =>
  cs
    .map(
      (c) =>
        `${c.outpoint.key()}|${c.value}|${c.confirmations}|${c.fromMe}|${c.inputWeight}|${c.ancestors ?? '-'}`,
    )
    .sort();

/** The maintained list against a full walk of the wallet's outputs (what it replaced). */
function assertListMatchesWalk(w: Wallet, h: EngineHarness, minConf = 0): void {
  const s = w.state;
  const ancestryOf = (txid: Uint8Array) => {
    const e = h.mempool.get(txid);
    return e === undefined ? undefined : { ancestors: e.ancestorCount, descendants: e.descendantCount };
  };
  const walked: CoinCandidate[] = [];
  forEachAvailable(
    s.book,
    { minConf, onlySpendable: true, locked: s.lockedCoins },
    (output, depth, _safe, fromMe) => {
      const c = toCandidate(output, depth, fromMe, depth === 0 ? ancestryOf(output.wtx.txid) : undefined);
      if (c !== undefined) walked.push(c);
    },
  );
  const listed = s.coinList.candidates({
    minConf,
    solvable: false,
    locked: s.lockedCoins,
    ancestryOf: (wtx) => ancestryOf(wtx.txid),
    make: (output, depth, fromMe, ancestry) => toCandidate(output, depth, fromMe, ancestry),
  });
  assert.deepEqual(view(listed), view(walked));
}

describe('the incrementally maintained coin list', () => {
  let h: EngineHarness;
  let w: Wallet;
  let coinBlocks: Block[];
  before(async () => {
    h = await EngineHarness.create();
    w = (await h.wallets.create({ name: 'w', mnemonic: MNEMONIC })) as Wallet;
    coinBlocks = await h.mine(110, []);
  });
  after(async () => {
    await h.destroy();
  });

  it('matches a full walk through receives, sends, blocks, locks and a reorg', async () => {
    for (let i = 0; i < 6; i++) await h.accept(h.payTo(await w.getNewAddress(), COIN + i, coinBlocks[i]!));
    assertListMatchesWalk(w, h); // unconfirmed foreign coins: none eligible (untrusted)
    await h.mine(1);
    assertListMatchesWalk(w, h);
    const dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
    for (let i = 0; i < 3; i++) {
      await w.send({ recipients: [{ address: dest, amount: COIN / 4 }], feeRate: 2 });
      assertListMatchesWalk(w, h); // spent coins gone, unconfirmed change in with its ancestry
    }
    assertListMatchesWalk(w, h, 1);
    const someCoin = w.listUnspent({ minConf: 1 })[0]!;
    const key = [...w.state.book.outputs.values()].find(
      (o) => o.wtx.txidHex === someCoin.txid && o.vout === someCoin.vout,
    )!.outpointKey;
    w.state.lockedCoins.add(key);
    assertListMatchesWalk(w, h);
    w.state.lockedCoins.clear();
    const fork = h.tc.last;
    await h.mine(1);
    assertListMatchesWalk(w, h);
    assertListMatchesWalk(w, h, 2);
    // Reorg the last block away: the sends are unconfirmed again.
    const f1 = h.tc.block({ parent: fork });
    await h.connect([f1, h.tc.block({ parent: f1 })]);
    assert.ok(w.state.book.depth([...w.state.book.txs.values()].at(-1)!) === 0);
    assertListMatchesWalk(w, h);
    await w.send({ recipients: [{ address: dest, amount: COIN / 8 }], feeRate: 2 });
    assertListMatchesWalk(w, h);
  });
});
