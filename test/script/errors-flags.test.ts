import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseScriptFlags,
  SCRIPT_ERRORS,
  ScriptFlags,
  ScriptFlagsError,
  scriptErrorMessage,
  scriptFlagNames,
} from '../../src/script/index.js';
import { readSharedJson } from '../support/shared.js';

describe('ScriptError', () => {
  it('has unique codes with non-empty, unique messages (UNKNOWN_ERROR aside)', () => {
    assert.equal(new Set(SCRIPT_ERRORS).size, SCRIPT_ERRORS.length);
    const messages = SCRIPT_ERRORS.map(scriptErrorMessage);
    assert.ok(messages.every((m) => m.length > 0));
    assert.equal(new Set(messages).size, messages.length);
    assert.equal(
      scriptErrorMessage('EVAL_FALSE'),
      'Script evaluated without error but finished with a false/empty top stack element',
    );
    assert.equal(
      scriptErrorMessage('NULLFAIL'),
      'Signature must be zero for failed CHECK(MULTI)SIG operation',
    );
  });

  it('covers every error name the pinned vectors use', () => {
    const rows = readSharedJson<unknown[][]>('vectors', 'bitcoin-core', 'script_tests.json');
    const known = new Set<string>(SCRIPT_ERRORS);
    for (const row of rows) {
      if (row.length < 4) continue;
      const expected = row[Array.isArray(row[0]) ? 4 : 3] as string;
      assert.ok(known.has(expected), expected);
    }
  });
});

describe('ScriptFlags', () => {
  it("uses Core's bit positions", () => {
    assert.equal(ScriptFlags.P2SH, 1);
    assert.equal(ScriptFlags.WITNESS, 1 << 11);
    assert.equal(ScriptFlags.CONST_SCRIPTCODE, 1 << 16);
    assert.equal(ScriptFlags.TAPROOT, 1 << 17);
  });

  it('parses and names flag lists, refusing unknown names', () => {
    const flags = parseScriptFlags('P2SH,STRICTENC,WITNESS');
    assert.equal(flags, ScriptFlags.P2SH | ScriptFlags.STRICTENC | ScriptFlags.WITNESS);
    assert.deepEqual(scriptFlagNames(flags), ['P2SH', 'STRICTENC', 'WITNESS']);
    assert.equal(parseScriptFlags(''), 0);
    assert.equal(parseScriptFlags('NONE'), 0);
    for (const bad of ['P2SH,BOGUS', 'p2sh', 'toString', 'P2SH,']) {
      assert.throws(() => parseScriptFlags(bad), ScriptFlagsError, bad);
    }
  });
});
