import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTransaction } from '../../src/consensus/check-transaction.js';
import type { TxCheck } from '../../src/consensus/errors.js';
import { MAX_MONEY } from '../../src/consensus/subsidy.js';
import { fromHex } from '../../src/encoding/hex.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import { OP_TRUE_SCRIPT, outpoint, spend } from './helpers.js';

function rejects(result: TxCheck, reason: string): void {
  assert.equal(result.ok, false, `expected ${reason}`);
  if (!result.ok) {
    assert.equal(result.reason, reason);
    assert.equal(result.result, 'TX_CONSENSUS');
  }
}

function coinbaseWithScriptSig(length: number): Transaction {
  return new Transaction(
    1,
    [new TxIn(OutPoint.null(), new Uint8Array(length))],
    [new TxOut(1, OP_TRUE_SCRIPT)],
  );
}

describe('checkTransaction (CheckTransaction)', () => {
  it('accepts a plain transaction and MAX_MONEY outputs', () => {
    assert.equal(checkTransaction(spend([outpoint(1)], [1000])).ok, true);
    assert.equal(checkTransaction(spend([outpoint(1)], [MAX_MONEY])).ok, true);
    assert.equal(checkTransaction(spend([outpoint(1)], [MAX_MONEY, 0])).ok, true);
  });

  it('bad-txns-vin-empty', () => {
    rejects(checkTransaction(spend([], [1])), 'bad-txns-vin-empty');
  });

  it('bad-txns-vout-empty', () => {
    rejects(checkTransaction(spend([outpoint(1)], [])), 'bad-txns-vout-empty');
  });

  it('bad-txns-oversize: stripped size * 4 above the block weight limit', () => {
    const tx = spend([outpoint(1)], [1]);
    // 65 bytes besides the scriptSig: exactly 1,000,000 stripped bytes is the largest allowed.
    tx.inputs[0]!.scriptSig = new Uint8Array(1_000_000 - 65);
    tx.invalidate();
    assert.equal(tx.baseSize(), 1_000_000);
    assert.equal(checkTransaction(tx).ok, true);
    tx.inputs[0]!.scriptSig = new Uint8Array(1_000_000 - 64);
    tx.invalidate();
    rejects(checkTransaction(tx), 'bad-txns-oversize');
    // The witness does not count: it is not yet bound to anything.
    const witnessy = spend([outpoint(1)], [1]);
    witnessy.inputs[0]!.witness = [new Uint8Array(2_000_000)];
    assert.equal(checkTransaction(witnessy).ok, true);
  });

  it('bad-txns-vout-negative', () => {
    rejects(checkTransaction(spend([outpoint(1)], [-1])), 'bad-txns-vout-negative');
    // int64 -1 as it arrives from the wire.
    const hex = `0100000001${'11'.repeat(32)}0000000000ffffffff01ffffffffffffffff015100000000`;
    rejects(checkTransaction(Transaction.decode(fromHex(hex))), 'bad-txns-vout-negative');
  });

  it('bad-txns-vout-toolarge', () => {
    rejects(checkTransaction(spend([outpoint(1)], [MAX_MONEY + 1])), 'bad-txns-vout-toolarge');
    // 2^63 - 1 from the wire, far beyond 2^53.
    const hex = `0100000001${'11'.repeat(32)}0000000000ffffffff01ffffffffffffff7f015100000000`;
    rejects(checkTransaction(Transaction.decode(fromHex(hex))), 'bad-txns-vout-toolarge');
  });

  it('bad-txns-txouttotal-toolarge', () => {
    rejects(checkTransaction(spend([outpoint(1)], [MAX_MONEY, 1])), 'bad-txns-txouttotal-toolarge');
    rejects(
      checkTransaction(spend([outpoint(1)], [MAX_MONEY / 2, MAX_MONEY / 2, 1])),
      'bad-txns-txouttotal-toolarge',
    );
  });

  it('bad-txns-inputs-duplicate (CVE-2018-17144)', () => {
    rejects(
      checkTransaction(spend([outpoint(1), outpoint(2), outpoint(1)], [1])),
      'bad-txns-inputs-duplicate',
    );
    // Same txid, different index: not a duplicate.
    assert.equal(checkTransaction(spend([outpoint(1, 0), outpoint(1, 1)], [1])).ok, true);
  });

  it('bad-cb-length: coinbase scriptSig of 2..100 bytes', () => {
    rejects(checkTransaction(coinbaseWithScriptSig(1)), 'bad-cb-length');
    rejects(checkTransaction(coinbaseWithScriptSig(101)), 'bad-cb-length');
    assert.equal(checkTransaction(coinbaseWithScriptSig(2)).ok, true);
    assert.equal(checkTransaction(coinbaseWithScriptSig(100)).ok, true);
  });

  it('bad-txns-prevout-null outside a coinbase', () => {
    rejects(checkTransaction(spend([OutPoint.null(), outpoint(1)], [1])), 'bad-txns-prevout-null');
    rejects(checkTransaction(spend([outpoint(1), OutPoint.null()], [1])), 'bad-txns-prevout-null');
  });

  it('checks in Core order: the first failing rule is reported', () => {
    // Empty outputs and a duplicate input: vout-empty comes first.
    rejects(checkTransaction(spend([outpoint(1), outpoint(1)], [])), 'bad-txns-vout-empty');
    // A negative value before a duplicate input.
    rejects(checkTransaction(spend([outpoint(1), outpoint(1)], [-5])), 'bad-txns-vout-negative');
  });
});
