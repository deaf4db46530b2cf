import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toHex } from '../../src/encoding/index.js';
import {
  classifyScript,
  countWitnessSigOps,
  encodeScript,
  getSigOpCount,
  isScriptError,
  parseAsm,
  parseScript,
  ScriptExecutionData,
  SigVersion,
  toAsm,
  verifyScript,
} from '../../src/script/index.js';
import { executeScript } from '../../src/script/interpreter.js';
import { readSharedJson } from '../support/shared.js';
import { FixedChecker } from './support.js';

/** Real scripts to mutate: every scriptSig and scriptPubKey of the pinned script_tests.json. */
const corpus: Uint8Array[] = [];
for (const row of readSharedJson<unknown[][]>('vectors', 'bitcoin-core', 'script_tests.json')) {
  const pos = Array.isArray(row[0]) ? 1 : 0;
  if (row.length < 4 + pos) continue;
  corpus.push(parseAsm(row[pos] as string), parseAsm(row[pos + 1] as string));
}

/** Random bytes biased towards opcodes, and real scripts with bytes flipped, inserted or cut. */
const scriptArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .array(
      fc.constantFrom(
        0x00,
        0x4c,
        0x4d,
        0x4e,
        0x51,
        0x63,
        0x67,
        0x68,
        0x6b,
        0x76,
        0x7c,
        0x87,
        0xa9,
        0xac,
        0xae,
      ),
      {
        maxLength: 120,
      },
    )
    .map((a) => Uint8Array.from(a)),
  fc
    .tuple(
      fc.constantFrom(...corpus),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(2)), { maxLength: 6 }),
    )
    .map(([base, edits]) => {
      const bytes = [...base];
      for (const [at, value, kind] of edits) {
        const i = bytes.length === 0 ? 0 : at % bytes.length;
        if (kind === 0 && bytes.length > 0) bytes[i] = value;
        else if (kind === 1) bytes.splice(i, 0, value);
        else bytes.length = i;
      }
      return Uint8Array.from(bytes);
    }),
);

const flagsArb = fc.integer({ min: 0, max: (1 << 21) - 1 }); // every flag, taproot ones included
const RUNS = 3000;

describe('fuzz: random and mutated scripts', () => {
  it('parse/encode round-trips every byte string', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        assert.equal(toHex(encodeScript(parseScript(script))), toHex(script));
      }),
      { numRuns: RUNS },
    );
  });

  it('the interpreter returns a ScriptError and never throws, for any flags and sigversion', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 5 }),
        scriptArb,
        flagsArb,
        fc.boolean(),
        fc.constantFrom(SigVersion.BASE, SigVersion.WITNESS_V0, SigVersion.TAPSCRIPT),
        (stack, script, flags, answer, sigversion) => {
          const execdata = new ScriptExecutionData();
          execdata.tapleafHash = new Uint8Array(32);
          execdata.validationWeightLeft = 120;
          // executeScript has no catch-all: a throw here is a bug, not UNKNOWN_ERROR.
          const checker = new FixedChecker(answer);
          const result = executeScript(stack.slice(), script, flags, checker, sigversion, execdata);
          assert.ok(isScriptError(result), result);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('verifyScript, sigop counting, classification and asm never throw', () => {
    fc.assert(
      fc.property(
        scriptArb,
        scriptArb,
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 3 }),
        flagsArb,
        (scriptSig, scriptPubKey, witness, flags) => {
          const result = verifyScript(scriptSig, scriptPubKey, witness, flags, new FixedChecker(true));
          assert.ok(isScriptError(result));
          assert.ok(getSigOpCount(scriptPubKey, true) >= 0);
          assert.ok(countWitnessSigOps(scriptSig, scriptPubKey, witness, flags) >= 0);
          classifyScript(scriptPubKey);
          toAsm(scriptSig, true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
