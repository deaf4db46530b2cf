import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkInputScripts,
  checkTxInputs,
  getTransactionSigOpCost,
} from '../../src/consensus/check-inputs.js';
import { MapCoinView } from '../../src/consensus/coin-view.js';
import {
  BIP34_IMPLIES_BIP30_LIMIT,
  type ConnectContext,
  connectBlock,
  connectBlockChecks,
  runScriptChecks,
  shouldEnforceBIP30,
} from '../../src/consensus/connect-block.js';
import type { BlockCheck, TxCheck } from '../../src/consensus/errors.js';
import { buildGenesisBlock } from '../../src/consensus/genesis.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { blockScriptFlags } from '../../src/consensus/script-flags.js';
import { MAX_MONEY } from '../../src/consensus/subsidy.js';
import { fromDisplayHex, fromHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import { Coin } from '../../src/primitives/coin.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { TxOut } from '../../src/primitives/txout.js';
import { ScriptFlags } from '../../src/script/flags.js';
import { readShared, readSharedJson } from '../support/shared.js';
import { coinbase, makeBlock, OP_TRUE_SCRIPT, outpoint, spend } from './helpers.js';

interface PrevoutsFile {
  height: number;
  prevouts: { txid: string; vout: number; value: number; scriptPubKey: string }[];
}

function rejects(result: BlockCheck | TxCheck, reason: string | RegExp, kind: string): void {
  assert.equal(result.ok, false, `expected ${reason}`);
  if (!result.ok) {
    if (typeof reason === 'string') assert.equal(result.reason, reason);
    else assert.match(result.reason, reason);
    assert.equal(result.result, kind);
  }
}

/** Block 300025 and the UTXO set it was connected to (coins created inside the block excluded). */
function load300025() {
  const block = Block.decode(readShared('blocks', 'mainnet', 'block300025.raw'));
  const file = readSharedJson<PrevoutsFile>('blocks', 'mainnet', 'block300025-prevouts.json');
  const inBlock = new Set(block.txs.map((tx) => tx.txidHex()));
  const view = new MapCoinView();
  let created = 0;
  for (const p of file.prevouts) {
    if (inBlock.has(p.txid)) {
      created++;
      continue;
    }
    view.add(
      new OutPoint(fromDisplayHex(p.txid), p.vout),
      new Coin(p.value, fromHex(p.scriptPubKey), 0, false),
    );
  }
  const ctx: ConnectContext = {
    height: 300025,
    flags: blockScriptFlags(300025, block.hash(), mainnet.consensus),
    enforceBIP30: false,
    prevMedianTimePast: 0,
    medianTimePastAt: () => 0,
  };
  return { block, view, ctx, created, prevouts: file.prevouts };
}

describe('connectBlock on mainnet block 300025', () => {
  it('connects with its real prevouts: fees, sigops, and every signature verifies', () => {
    const { block, view, ctx, created } = load300025();
    assert.ok(created > 0, 'the block spends outputs created inside it');
    const result = connectBlockChecks(block, view, ctx, mainnet.consensus);
    assert.ok(result.ok, result.ok ? '' : `${result.reason} ${result.debug}`);
    const inputs = block.txs.slice(1).reduce((n, tx) => n + tx.inputs.length, 0);
    assert.equal(result.scriptChecks.length, inputs);
    assert.equal(result.spentCoins.length, block.txs.length - 1);
    // The coinbase claims exactly the subsidy (25 BTC) plus the fees.
    assert.equal(result.fees, 2_507_773_345 - 2_500_000_000);
    assert.ok(result.sigOpsCost > 0 && result.sigOpsCost <= 80_000);
    assert.deepEqual(runScriptChecks(result.scriptChecks), { ok: true });
  });

  it('a coinbase paying one satoshi more: bad-cb-amount', () => {
    const { block, view, ctx } = load300025();
    block.txs[0]!.outputs[0]!.value += 1;
    block.txs[0]!.invalidate();
    rejects(connectBlockChecks(block, view, ctx, mainnet.consensus), 'bad-cb-amount', 'BLOCK_CONSENSUS');
  });

  it('a missing coin: bad-txns-inputs-missingorspent', () => {
    const { block, view, ctx, prevouts } = load300025();
    const p = prevouts[prevouts.length - 1]!;
    assert.ok(view.spend(new OutPoint(fromDisplayHex(p.txid), p.vout)));
    rejects(
      connectBlockChecks(block, view, ctx, mainnet.consensus),
      'bad-txns-inputs-missingorspent',
      'BLOCK_CONSENSUS',
    );
  });

  it('an existing unspent output with a txid of the block: bad-txns-BIP30', () => {
    const { block, view, ctx } = load300025();
    view.add(new OutPoint(block.txs[3]!.txid(), 0), new Coin(1, OP_TRUE_SCRIPT, 1, false));
    rejects(
      connectBlockChecks(block, view, { ...ctx, enforceBIP30: true }, mainnet.consensus),
      'bad-txns-BIP30',
      'BLOCK_CONSENSUS',
    );
    // Without BIP30 enforcement the overwrite goes unnoticed, as in Core after BIP34.
    assert.equal(connectBlockChecks(block, view, ctx, mainnet.consensus).ok, true);
  });

  it('a tampered signature: mandatory-script-verify-flag-failed (...)', () => {
    const { block, view, ctx } = load300025();
    const input = block.txs[5]!.inputs[0]!;
    const sig = input.scriptSig.slice();
    sig[10]! ^= 0x01; // inside the DER signature's r value
    input.scriptSig = sig;
    block.txs[5]!.invalidate();
    const result = connectBlock(block, view, ctx, mainnet.consensus);
    rejects(result, /^mandatory-script-verify-flag-failed \(.+\)$/, 'BLOCK_CONSENSUS');
    // The same failure at transaction level, in CheckInputScripts' wording.
    const tx = checkInputScripts(block.txs[5]!, view, ctx.flags);
    rejects(tx, /^mandatory-script-verify-flag-failed \(.+\)$/, 'TX_CONSENSUS');
  });
});

describe('checkTxInputs (Consensus::CheckTxInputs)', () => {
  const coinAt = (value: number, height = 1, isCoinbase = false) =>
    new Coin(value, OP_TRUE_SCRIPT, height, isCoinbase);
  const viewOf = (...coins: Coin[]) => new MapCoinView(coins.map((c, i) => [outpoint(i + 1), c] as const));

  it('returns the fee', () => {
    const result = checkTxInputs(
      spend([outpoint(1), outpoint(2)], [150]),
      viewOf(coinAt(100), coinAt(70)),
      200,
    );
    assert.deepEqual(result, { ok: true, fee: 20 });
  });

  it('bad-txns-inputs-missingorspent is TX_MISSING_INPUTS', () => {
    rejects(
      checkTxInputs(spend([outpoint(9)], [1]), viewOf(coinAt(5)), 200),
      'bad-txns-inputs-missingorspent',
      'TX_MISSING_INPUTS',
    );
  });

  it('bad-txns-premature-spend-of-coinbase below 100 confirmations', () => {
    const view = viewOf(coinAt(100, 1000, true));
    rejects(
      checkTxInputs(spend([outpoint(1)], [1]), view, 1099),
      'bad-txns-premature-spend-of-coinbase',
      'TX_PREMATURE_SPEND',
    );
    assert.equal(checkTxInputs(spend([outpoint(1)], [1]), view, 1100).ok, true);
    // Ordinary coins have no maturity.
    assert.equal(checkTxInputs(spend([outpoint(1)], [1]), viewOf(coinAt(100, 1000)), 1000).ok, true);
  });

  it('bad-txns-inputvalues-outofrange', () => {
    rejects(
      checkTxInputs(spend([outpoint(1)], [1]), viewOf(coinAt(MAX_MONEY + 1)), 5),
      'bad-txns-inputvalues-outofrange',
      'TX_CONSENSUS',
    );
    rejects(
      checkTxInputs(spend([outpoint(1), outpoint(2)], [1]), viewOf(coinAt(MAX_MONEY), coinAt(1)), 5),
      'bad-txns-inputvalues-outofrange',
      'TX_CONSENSUS',
    );
  });

  it('bad-txns-in-belowout', () => {
    const result = checkTxInputs(spend([outpoint(1)], [101]), viewOf(coinAt(100)), 5);
    rejects(result, 'bad-txns-in-belowout', 'TX_CONSENSUS');
    assert.equal(result.ok ? '' : result.debug, 'value in (0.000001) < value out (0.00000101)');
  });

  it('bad-txns-fee-outofrange (only reachable with outputs CheckTransaction refuses)', () => {
    rejects(
      checkTxInputs(spend([outpoint(1)], [-1]), viewOf(coinAt(MAX_MONEY)), 5),
      'bad-txns-fee-outofrange',
      'TX_CONSENSUS',
    );
  });
});

describe('connectBlockChecks on synthetic regtest blocks', () => {
  const params = regtest.consensus;
  const ctx = (height: number): ConnectContext => ({
    height,
    flags: blockScriptFlags(height, new Uint8Array(32), params),
    enforceBIP30: true,
    prevMedianTimePast: 1_600_000_000,
    medianTimePastAt: () => 1_600_000_000,
  });
  const funded = () => new MapCoinView([[outpoint(1), new Coin(1000, OP_TRUE_SCRIPT, 1, false)]]);

  it('coins created earlier in the block are spendable, later ones are not', () => {
    const a = spend([outpoint(1)], [900]);
    const b = spend([new OutPoint(a.txid(), 0)], [800]);
    const ok = connectBlock(makeBlock([coinbase(200, 25e8 + 200), a, b]), funded(), ctx(200), params);
    assert.ok(ok.ok);
    assert.equal(ok.fees, 200);
    assert.equal(ok.scriptChecks.length, 2);
    rejects(
      connectBlockChecks(makeBlock([coinbase(200, 1), b, a]), funded(), ctx(200), params),
      'bad-txns-inputs-missingorspent',
      'BLOCK_CONSENSUS',
    );
  });

  it('a coin spent twice in one block: the second spend is missingorspent', () => {
    const a = spend([outpoint(1)], [900]);
    const b = spend([outpoint(1)], [800]);
    rejects(
      connectBlockChecks(makeBlock([coinbase(200, 1), a, b]), funded(), ctx(200), params),
      'bad-txns-inputs-missingorspent',
      'BLOCK_CONSENSUS',
    );
  });

  it('OP_RETURN outputs never become coins', () => {
    const a = spend([outpoint(1)], [900]);
    a.outputs[0] = new TxOut(900, Uint8Array.of(0x6a));
    const b = spend([new OutPoint(a.txid(), 0)], [1]);
    rejects(
      connectBlockChecks(makeBlock([coinbase(200, 1), a, b]), funded(), ctx(200), params),
      'bad-txns-inputs-missingorspent',
      'BLOCK_CONSENSUS',
    );
  });

  it('BIP68: a relative height lock not yet reached is bad-txns-nonfinal', () => {
    const locked = spend([outpoint(1)], [900]);
    locked.inputs[0]!.sequence = 10; // coin at height 1: valid from height 11
    rejects(
      connectBlockChecks(makeBlock([coinbase(10, 1), locked]), funded(), ctx(10), params),
      'bad-txns-nonfinal',
      'BLOCK_CONSENSUS',
    );
    assert.equal(
      connectBlockChecks(makeBlock([coinbase(11, 1), locked]), funded(), ctx(11), params).ok,
      true,
    );
  });

  it('bad-blk-sigops counts sigop cost across the block', () => {
    const heavy = spend([outpoint(1)], [900]);
    heavy.outputs[0] = new TxOut(900, new Uint8Array(20_001).fill(0xac));
    rejects(
      connectBlockChecks(makeBlock([coinbase(200, 1), heavy]), funded(), ctx(200), params),
      'bad-blk-sigops',
      'BLOCK_CONSENSUS',
    );
    assert.equal(getTransactionSigOpCost(heavy, funded(), ScriptFlags.P2SH), 80_004);
  });

  it('a script failure is reported by runScriptChecks', () => {
    const view = new MapCoinView([[outpoint(1), new Coin(1000, Uint8Array.of(0x00), 1, false)]]); // OP_0: always false
    const result = connectBlock(
      makeBlock([coinbase(200, 1), spend([outpoint(1)], [1])]),
      view,
      ctx(200),
      params,
    );
    rejects(
      result,
      'mandatory-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)',
      'BLOCK_CONSENSUS',
    );
  });

  it('the genesis block is not connected', () => {
    const genesis = buildGenesisBlock(mainnet);
    const result = connectBlockChecks(
      genesis,
      new MapCoinView(),
      { ...ctx(0), height: 0 },
      mainnet.consensus,
    );
    assert.ok(result.ok && result.scriptChecks.length === 0);
  });
});

describe('shouldEnforceBIP30', () => {
  const main = mainnet.consensus;
  const bip34Hash = fromDisplayHex(main.bip34Hash!);
  it('skips the two grandfathered blocks', () => {
    assert.ok(
      !shouldEnforceBIP30(
        91842,
        fromDisplayHex('00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec'),
        undefined,
        main,
      ),
    );
    assert.ok(
      !shouldEnforceBIP30(
        91880,
        fromDisplayHex('00000000000743f190a18c5577a3c2d2a1f610ae9601ac046a38084ccb7cd721'),
        undefined,
        main,
      ),
    );
    assert.ok(shouldEnforceBIP30(91880, new Uint8Array(32), undefined, main));
  });
  it('is implied by BIP34 on the known chain, until the limit', () => {
    assert.ok(!shouldEnforceBIP30(300000, new Uint8Array(32), bip34Hash, main));
    assert.ok(shouldEnforceBIP30(300000, new Uint8Array(32), new Uint8Array(32), main));
    assert.ok(shouldEnforceBIP30(BIP34_IMPLIES_BIP30_LIMIT, new Uint8Array(32), bip34Hash, main));
    assert.ok(shouldEnforceBIP30(100, new Uint8Array(32), undefined, main));
  });
});
