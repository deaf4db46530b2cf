import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../../src/encoding/index.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../src/primitives/index.js';
import {
  evalScript,
  Op,
  p2shOfScript,
  p2tr,
  parseAsm,
  pushData,
  ScriptFlags,
  type SignatureChecker,
  SigVersion,
  TransactionSignatureChecker,
  verifyScript,
} from '../../src/script/index.js';
import { OPCODE_TABLE } from '../../src/script/ops/index.js';
import { FixedChecker } from './support.js';

/** Records the scriptCode of every signature check. */
class RecordingChecker implements SignatureChecker {
  readonly scriptCodes: string[] = [];
  checkEcdsaSignature(_sig: Uint8Array, _key: Uint8Array, scriptCode: Uint8Array): boolean {
    this.scriptCodes.push(toHex(scriptCode));
    return true;
  }
  checkSchnorrSignature(): 'OK' {
    return 'OK';
  }
  checkLockTime(): boolean {
    return true;
  }
  checkSequence(): boolean {
    return true;
  }
}

const SIG = fromHex('300602010102010101'); // strict DER (r = s = 1) + SIGHASH_ALL
const KEY = fromHex(`02${'11'.repeat(32)}`);

function run(asm: string, flags = 0, sigversion: SigVersion = SigVersion.BASE, stack: Uint8Array[] = []) {
  return evalScript(stack, parseAsm(asm), flags, new FixedChecker(true), sigversion);
}

describe('evalScript: scriptCode for signatures', () => {
  it('starts after the last executed OP_CODESEPARATOR', () => {
    const checker = new RecordingChecker();
    const script = parseAsm('NOP CODESEPARATOR 2DUP CHECKSIGVERIFY CODESEPARATOR CHECKSIG');
    assert.equal(evalScript([SIG, KEY], script, 0, checker, SigVersion.BASE), 'OK');
    assert.deepEqual(checker.scriptCodes, ['6eadabac', 'ac']);
  });

  it('ignores separators in unexecuted branches', () => {
    const checker = new RecordingChecker();
    const script = parseAsm('0 IF CODESEPARATOR ENDIF CHECKSIG');
    assert.equal(evalScript([SIG, KEY], script, 0, checker, SigVersion.BASE), 'OK');
    assert.deepEqual(checker.scriptCodes, [toHex(script)]);
  });

  it('deletes pushes of the signature in legacy scripts only (FindAndDelete)', () => {
    const script = Uint8Array.from([...pushData(SIG), Op.OP_DROP, Op.OP_CHECKSIG]);
    const legacy = new RecordingChecker();
    assert.equal(evalScript([SIG, KEY], script, 0, legacy, SigVersion.BASE), 'OK');
    assert.deepEqual(legacy.scriptCodes, ['75ac']);
    const segwit = new RecordingChecker();
    assert.equal(evalScript([SIG, KEY], script, 0, segwit, SigVersion.WITNESS_V0), 'OK');
    assert.deepEqual(segwit.scriptCodes, [toHex(script)]);
  });

  it('CONST_SCRIPTCODE refuses separators (even unexecuted) and FindAndDelete matches in legacy', () => {
    const flags = ScriptFlags.CONST_SCRIPTCODE;
    assert.equal(run('0 IF CODESEPARATOR ENDIF 1', flags), 'OP_CODESEPARATOR');
    assert.equal(run('0 IF CODESEPARATOR ENDIF 1', flags, SigVersion.WITNESS_V0), 'OK');
    const script = Uint8Array.from([...pushData(SIG), Op.OP_DROP, Op.OP_CHECKSIG]);
    assert.equal(
      evalScript([SIG, KEY], script, flags, new FixedChecker(true), SigVersion.BASE),
      'SIG_FINDANDDELETE',
    );
  });
});

describe('evalScript: limits', () => {
  it('520-byte pushes, even unexecuted', () => {
    assert.equal(run(`0 IF 0x4d0802 0x${'00'.repeat(520)} ENDIF 1`), 'OK');
    assert.equal(run(`0 IF 0x4d0902 0x${'00'.repeat(521)} ENDIF 1`), 'PUSH_SIZE');
  });

  it('201 non-push operations, counting CHECKMULTISIG keys', () => {
    assert.equal(run(`1 ${'NOP '.repeat(201)}`), 'OK');
    assert.equal(run(`1 ${'NOP '.repeat(202)}`), 'OP_COUNT');
    // 1 for CHECKMULTISIG plus 20 keys: 180 NOPs is the most that fits.
    const multisig = `0 0 ${'1 '.repeat(20)} 20 CHECKMULTISIG`;
    assert.equal(run(`${'NOP '.repeat(180)} ${multisig}`), 'OK');
    assert.equal(run(`${'NOP '.repeat(181)} ${multisig}`), 'OP_COUNT');
  });

  it('1,000 items on stack and altstack together', () => {
    assert.equal(run('1 '.repeat(1000)), 'OK');
    assert.equal(run('1 '.repeat(1001)), 'STACK_SIZE');
    assert.equal(run(`${'1 '.repeat(999)} TOALTSTACK 1 1`), 'STACK_SIZE');
  });

  it('10,000-byte scripts', () => {
    const ok = new Uint8Array(10_000).fill(Op.OP_1);
    assert.equal(evalScript([], ok, 0, new FixedChecker(true), SigVersion.BASE), 'STACK_SIZE');
    const big = new Uint8Array(10_001).fill(Op.OP_NOP);
    assert.equal(evalScript([], big, 0, new FixedChecker(true), SigVersion.BASE), 'SCRIPT_SIZE');
  });
});

describe('evalScript: opcodes that fail wherever they appear', () => {
  it('disabled opcodes fail in unexecuted branches', () => {
    for (const op of [
      'CAT',
      'SUBSTR',
      'LEFT',
      'RIGHT',
      'INVERT',
      'AND',
      'OR',
      'XOR',
      '2MUL',
      '2DIV',
      'MUL',
      'DIV',
      'MOD',
      'LSHIFT',
      'RSHIFT',
    ]) {
      assert.equal(run(`0 IF ${op} ENDIF 1`), 'DISABLED_OPCODE', op);
    }
  });

  it('VERIF/VERNOTIF fail unexecuted; VER, RESERVED and unknown bytes only when executed', () => {
    assert.equal(run('0 IF VERIF ENDIF 1'), 'BAD_OPCODE');
    assert.equal(run('0 IF VERNOTIF ENDIF 1'), 'BAD_OPCODE');
    assert.equal(run('0 IF VER RESERVED RESERVED1 0xba 0xbb 0xff ENDIF 1'), 'OK');
    for (const op of ['VER', 'RESERVED', 'RESERVED1', 'RESERVED2', '0xba', '0xbb', '0xff']) {
      assert.equal(run(`1 ${op}`), 'BAD_OPCODE', op);
    }
  });

  it('conditionals must balance', () => {
    assert.equal(run('1 ENDIF'), 'UNBALANCED_CONDITIONAL');
    assert.equal(run('1 ELSE'), 'UNBALANCED_CONDITIONAL');
    assert.equal(run('1 IF'), 'UNBALANCED_CONDITIONAL');
    assert.equal(run('IF ENDIF'), 'UNBALANCED_CONDITIONAL'); // IF with an empty stack
    assert.equal(run('1 IF 0 ELSE 1 ELSE 0 ENDIF'), 'OK');
  });

  it('MINIMALIF applies to segwit v0 only', () => {
    assert.equal(run('2 IF ENDIF 1', ScriptFlags.MINIMALIF), 'OK');
    assert.equal(run('2 IF ENDIF 1', ScriptFlags.MINIMALIF, SigVersion.WITNESS_V0), 'MINIMALIF');
    assert.equal(run('0x01 0x01 IF ENDIF 1', ScriptFlags.MINIMALIF, SigVersion.WITNESS_V0), 'OK');
  });
});

describe('the opcode table', () => {
  it('has a handler for every defined opcode that executes, and none for the rest', () => {
    const withoutHandler = new Set<number>([
      Op.OP_RESERVED,
      Op.OP_VER,
      Op.OP_VERIF,
      Op.OP_VERNOTIF,
      Op.OP_RESERVED1,
      Op.OP_RESERVED2,
      Op.OP_INVALIDOPCODE,
      ...[0x7e, 0x7f, 0x80, 0x81, 0x83, 0x84, 0x85, 0x86, 0x8d, 0x8e, 0x95, 0x96, 0x97, 0x98, 0x99], // disabled
    ]);
    for (let op = Op.OP_1NEGATE; op <= 0xff; op++) {
      const expected = op <= Op.OP_CHECKSIGADD && !withoutHandler.has(op);
      assert.equal(OPCODE_TABLE[op] !== undefined, expected, `0x${op.toString(16)}`);
    }
    for (let op = 0; op <= Op.OP_PUSHDATA4; op++) assert.equal(OPCODE_TABLE[op], undefined);
  });
});

describe('verifyScript', () => {
  const WITNESS = ScriptFlags.P2SH | ScriptFlags.WITNESS;

  it('treats taproot outputs as anyone-can-spend without TAPROOT and checks them with it', () => {
    const spk = p2tr(new Uint8Array(32).fill(2));
    const witness = [new Uint8Array(64)];
    const TAPROOT = WITNESS | ScriptFlags.TAPROOT;
    assert.equal(verifyScript(new Uint8Array(0), spk, witness, WITNESS, new FixedChecker(false)), 'OK');
    // Core returns success for v1 before TAPROOT without looking at the discourage flag.
    const discourage = WITNESS | ScriptFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM;
    assert.equal(verifyScript(new Uint8Array(0), spk, witness, discourage, new FixedChecker(false)), 'OK');
    assert.equal(verifyScript(new Uint8Array(0), spk, witness, TAPROOT, new FixedChecker(true)), 'OK');
    assert.equal(
      verifyScript(new Uint8Array(0), spk, witness, TAPROOT, new FixedChecker(false)),
      'SCHNORR_SIG',
    );
    assert.equal(
      verifyScript(new Uint8Array(0), spk, [], TAPROOT, new FixedChecker(true)),
      'WITNESS_PROGRAM_WITNESS_EMPTY',
    );
  });

  it('P2SH needs a push-only scriptSig even without SIGPUSHONLY', () => {
    const redeem = parseAsm('1');
    const spk = p2shOfScript(redeem);
    const checker = new FixedChecker(true);
    const pushOnly = pushData(redeem);
    const withNop = Uint8Array.from([Op.OP_NOP, ...pushData(redeem)]);
    assert.equal(verifyScript(pushOnly, spk, [], ScriptFlags.P2SH, checker), 'OK');
    assert.equal(verifyScript(withNop, spk, [], ScriptFlags.P2SH, checker), 'SIG_PUSHONLY');
    // Without the P2SH rule the output is just a hash comparison.
    assert.equal(verifyScript(withNop, spk, [], 0, checker), 'OK');
  });
});

describe('TransactionSignatureChecker lock times', () => {
  function tx(version: number, locktime: number, sequence: number): Transaction {
    return new Transaction(
      version,
      [new TxIn(OutPoint.null(), new Uint8Array(0), sequence)],
      [new TxOut(0, new Uint8Array(0))],
      locktime,
    );
  }

  it('checkLockTime (BIP65): same kind, not later, input not final', () => {
    const c = new TransactionSignatureChecker(tx(1, 100, 0), 0, 0);
    assert.ok(c.checkLockTime(100));
    assert.ok(c.checkLockTime(0));
    assert.ok(!c.checkLockTime(101));
    assert.ok(!c.checkLockTime(500_000_000));
    assert.ok(!new TransactionSignatureChecker(tx(1, 100, 0xffffffff), 0, 0).checkLockTime(50));
    const byTime = new TransactionSignatureChecker(tx(1, 600_000_000, 0), 0, 0);
    assert.ok(byTime.checkLockTime(500_000_000));
    assert.ok(!byTime.checkLockTime(499_999_999));
  });

  it('checkSequence (BIP112): version 2, enabled, same kind, not later', () => {
    assert.ok(new TransactionSignatureChecker(tx(2, 0, 10), 0, 0).checkSequence(10));
    assert.ok(!new TransactionSignatureChecker(tx(2, 0, 10), 0, 0).checkSequence(11));
    assert.ok(!new TransactionSignatureChecker(tx(1, 0, 10), 0, 0).checkSequence(10));
    assert.ok(!new TransactionSignatureChecker(tx(2, 0, 0x80000000 | 10), 0, 0).checkSequence(10));
    assert.ok(!new TransactionSignatureChecker(tx(2, 0, 10), 0, 0).checkSequence((1 << 22) | 10));
    assert.ok(new TransactionSignatureChecker(tx(2, 0, (1 << 22) | 10), 0, 0).checkSequence((1 << 22) | 5));
    // Bits outside the type flag and the 16-bit value are ignored (BIP68 leaves them to soft forks).
    assert.ok(new TransactionSignatureChecker(tx(2, 0, 10), 0, 0).checkSequence(0x100000000 + 10));
  });
});
