import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex } from '../../src/encoding/index.js';
import {
  isScriptError,
  PrecomputedTransactionData,
  parseAsm,
  parseScriptFlags,
  type ScriptError,
  ScriptFlags,
  TransactionSignatureChecker,
  verifyScript,
} from '../../src/script/index.js';
import { readSharedJson } from '../support/shared.js';
import { buildCreditingTransaction, buildSpendingTransaction, xorshift32 } from './support.js';

type Row = unknown[];

/** The number of test rows in the pinned script_tests.json (comment rows excluded). */
const EXPECTED_CASES = 1203;

interface Case {
  row: Row;
  witness: Uint8Array[];
  amount: number;
  scriptSig: Uint8Array;
  scriptPubKey: Uint8Array;
  flags: number;
  expected: ScriptError;
}

/** Reads one row as Core's script_json_test does; null for a comment row. */
function parseRow(row: Row): Case | null {
  let pos = 0;
  const witness: Uint8Array[] = [];
  let amount = 0;
  if (Array.isArray(row[0])) {
    const items = row[0] as unknown[];
    for (let i = 0; i < items.length - 1; i++) witness.push(fromHex(items[i] as string));
    // Amounts are in BTC (Core's AmountFromValue); the vectors use at most 8 decimals.
    amount = Math.round((items[items.length - 1] as number) * 1e8);
    pos++;
  }
  if (row.length < 4 + pos) {
    assert.equal(row.length, 1, `bad test row: ${JSON.stringify(row)}`);
    return null;
  }
  const expected = row[pos + 3] as string;
  assert.ok(isScriptError(expected), `unknown script error ${expected}`);
  return {
    row,
    witness,
    amount,
    scriptSig: parseAsm(row[pos] as string),
    scriptPubKey: parseAsm(row[pos + 1] as string),
    flags: parseScriptFlags(row[pos + 2] as string),
    expected,
  };
}

function run(c: Case, flags: number): ScriptError {
  const credit = buildCreditingTransaction(c.scriptPubKey, c.amount);
  const spend = buildSpendingTransaction(c.scriptSig, c.witness, credit);
  const checker = new TransactionSignatureChecker(spend, 0, c.amount, new PrecomputedTransactionData(spend));
  return verifyScript(c.scriptSig, c.scriptPubKey, c.witness, flags, checker);
}

const rows = readSharedJson<Row[]>('vectors', 'bitcoin-core', 'script_tests.json');
const cases = rows.map(parseRow).filter((c): c is Case => c !== null);

describe('script_tests.json (Bitcoin Core)', () => {
  it(`has the ${EXPECTED_CASES} cases we pin (a skipped case is a failure)`, () => {
    assert.equal(cases.length, EXPECTED_CASES);
  });

  it('every case gives exactly the expected ScriptError', () => {
    const failures: string[] = [];
    let passed = 0;
    for (const c of cases) {
      let flags = c.flags;
      // Core's DoTest: CLEANSTACK is only defined together with P2SH and WITNESS.
      if (flags & ScriptFlags.CLEANSTACK) flags |= ScriptFlags.P2SH | ScriptFlags.WITNESS;
      const got = run(c, flags);
      if (got === c.expected) passed++;
      else failures.push(`got ${got}, expected ${c.expected}: ${JSON.stringify(c.row)}`);
    }
    assert.deepEqual(failures, [], `${failures.length} failing cases`);
    assert.equal(passed, EXPECTED_CASES);
  });

  it('removing flags from a passing case or adding flags to a failing one keeps the verdict', () => {
    // Core's DoTest checks 16 random 16-bit flag sets per case; this is the same with a fixed seed.
    const rand = xorshift32(0x5c1e7e57);
    const failures: string[] = [];
    for (const c of cases) {
      let flags = c.flags;
      if (flags & ScriptFlags.CLEANSTACK) flags |= ScriptFlags.P2SH | ScriptFlags.WITNESS;
      const expectOk = c.expected === 'OK';
      for (let i = 0; i < 16; i++) {
        const extra = rand() & 0xffff;
        const combined = expectOk ? flags & ~extra : flags | extra;
        const needs = ScriptFlags.P2SH | ScriptFlags.WITNESS;
        if (combined & ScriptFlags.CLEANSTACK && (combined & needs) !== needs) continue;
        if (combined & ScriptFlags.WITNESS && !(combined & ScriptFlags.P2SH)) continue;
        const got = run(c, combined);
        if ((got === 'OK') !== expectOk) {
          failures.push(`flags 0x${combined.toString(16)} gave ${got}: ${JSON.stringify(c.row)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });
});
