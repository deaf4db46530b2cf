import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInputScripts } from '../../src/consensus/check-inputs.js';
import { checkTransaction } from '../../src/consensus/check-transaction.js';
import { MapCoinView } from '../../src/consensus/coin-view.js';
import { fromDisplayHex, fromHex } from '../../src/encoding/hex.js';
import { Coin } from '../../src/primitives/coin.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { parseAsm } from '../../src/script/asm.js';
import { parseScriptFlags } from '../../src/script/flags.js';
import { readSharedJson } from '../support/shared.js';

/**
 * Bitcoin Core's tx_valid.json / tx_invalid.json, in the older format these copies use (their header
 * rows): `[[[prevout hash, prevout index, prevout scriptPubKey, amount?], ...], serializedTransaction,
 * verifyFlags]`, where verifyFlags are the script flags to *apply* ("NONE" for none). Newer Core files
 * list flags to *exclude*; the counts below and the all-pass/all-fail checks confirm the reading.
 * As in Core's transaction_tests of that era: a case is valid when CheckTransaction passes and every
 * input's script verifies; a missing amount is 0; prevout index -1 is 0xffffffff.
 */
type Prevout = [string, number, string, number?];
type Case = [Prevout[], string, string];
type Row = Case | [string];

function loadCases(file: string): { cases: Case[]; header: string[] } {
  const rows = readSharedJson<Row[]>('vectors', 'bitcoin-core', file);
  const cases: Case[] = [];
  const header: string[] = [];
  for (const row of rows) {
    if (Array.isArray(row[0])) {
      assert.equal(row.length, 3, `bad test row: ${JSON.stringify(row)}`);
      cases.push(row as Case);
    } else if (cases.length === 0) {
      header.push(String(row[0]));
    }
  }
  return { cases, header };
}

/** Runs one case: undefined when valid, else why it was rejected. */
function evaluate([prevouts, hex, flagText]: Case): string | undefined {
  const tx = Transaction.decode(fromHex(hex));
  const view = new MapCoinView();
  for (const [hash, index, asm, amount] of prevouts) {
    const outpoint = new OutPoint(fromDisplayHex(hash), index === -1 ? 0xffffffff : index);
    view.add(outpoint, new Coin(amount ?? 0, parseAsm(asm), 0, false));
  }
  for (const input of tx.inputs) {
    if (view.getCoin(input.prevout) === undefined)
      throw new Error(`bad test: no prevout for ${input.prevout}`);
  }
  const basic = checkTransaction(tx);
  if (!basic.ok) return basic.reason;
  const scripts = checkInputScripts(tx, view, parseScriptFlags(flagText));
  return scripts.ok ? undefined : scripts.reason;
}

describe('Bitcoin Core tx_valid.json / tx_invalid.json', () => {
  it('the files are the format that applies the listed flags', () => {
    for (const file of ['tx_valid.json', 'tx_invalid.json']) {
      const { header } = loadCases(file);
      assert.ok(
        header.includes('[[[prevout hash, prevout index, prevout scriptPubKey, amount?], [input 2], ...],'),
      );
      assert.ok(header.includes('serializedTransaction, verifyFlags]'));
      assert.ok(!header.some((line) => /excluded/i.test(line)), 'newer "excluded flags" format');
    }
  });

  it('all 120 valid transactions pass with their flags', () => {
    const { cases } = loadCases('tx_valid.json');
    assert.equal(cases.length, 120);
    const failures: string[] = [];
    let passed = 0;
    for (const c of cases) {
      const why = evaluate(c);
      if (why === undefined) passed++;
      else failures.push(`${why}: ${c[1].slice(0, 64)}... [${c[2]}]`);
    }
    assert.deepEqual(failures, []);
    assert.equal(passed, 120);
  });

  it('all 92 invalid transactions are rejected', () => {
    const { cases } = loadCases('tx_invalid.json');
    assert.equal(cases.length, 92);
    const accepted: string[] = [];
    const byCheckTransaction: string[] = [];
    let rejected = 0;
    for (const c of cases) {
      const why = evaluate(c);
      if (why === undefined) accepted.push(`${c[1].slice(0, 64)}... [${c[2]}]`);
      else {
        rejected++;
        if (!why.includes('script-verify-flag')) byCheckTransaction.push(why);
      }
    }
    assert.deepEqual(accepted, []);
    assert.equal(rejected, 92);
    // The "Tests for CheckTransaction()" section is rejected before any script runs.
    assert.deepEqual(
      new Set(byCheckTransaction),
      new Set([
        'bad-txns-vout-empty',
        'bad-txns-vout-negative',
        'bad-txns-vout-toolarge',
        'bad-txns-txouttotal-toolarge',
        'bad-txns-inputs-duplicate',
        'bad-cb-length',
        'bad-txns-prevout-null',
      ]),
    );
  });
});
