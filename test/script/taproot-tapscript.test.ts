import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sha256 } from '../../src/crypto/hash.js';
import { toHex } from '../../src/encoding/index.js';
import {
  evalScript,
  isOpSuccess,
  isScriptError,
  NO_CODESEPARATOR,
  Op,
  parseAsm,
  ScriptExecutionData,
  type ScriptError,
  ScriptFlags,
  type SignatureChecker,
  SigVersion,
  taprootControlBlock,
  taprootOutput,
  tapleafHash,
  verifyScript,
} from '../../src/script/index.js';
import { CONSENSUS, POLICY, testKey } from './taproot-support.js';

/**
 * Tapscript (BIP342) and the taproot witness rules at the interpreter level: a checker with fixed
 * answers that records what it was asked, so each rule is pinned without signing anything.
 */

interface SchnorrCall {
  sig: string;
  pubkey: string;
  sigversion: SigVersion;
  codeSeparatorPos: number;
  weightLeft: number;
  leafHash: string | undefined;
  annexHash: string | undefined;
}

class RecordingChecker implements SignatureChecker {
  readonly calls: SchnorrCall[] = [];
  constructor(private readonly answer: ScriptError = 'OK') {}
  checkEcdsaSignature(): boolean {
    throw new Error('no ECDSA in taproot');
  }
  checkSchnorrSignature(
    sig: Uint8Array,
    pubkey: Uint8Array,
    sigversion: SigVersion,
    execdata: ScriptExecutionData,
  ): ScriptError {
    this.calls.push({
      sig: toHex(sig),
      pubkey: toHex(pubkey),
      sigversion,
      codeSeparatorPos: execdata.codeSeparatorPos,
      weightLeft: execdata.validationWeightLeft,
      leafHash: execdata.tapleafHash && toHex(execdata.tapleafHash),
      annexHash: execdata.annexHash && toHex(execdata.annexHash),
    });
    return this.answer;
  }
  checkLockTime(): boolean {
    return true;
  }
  checkSequence(): boolean {
    return true;
  }
}

const KEY = `0x20 0x${'11'.repeat(32)}`;
const SIG = `0x40 0x${'22'.repeat(64)}`;

function execdata(weight = 1000): ScriptExecutionData {
  const data = new ScriptExecutionData();
  data.tapleafHash = new Uint8Array(32).fill(7);
  data.validationWeightLeft = weight;
  return data;
}

/** Runs `asm` as tapscript; returns the result, the final stack as hex and the checker. */
function tap(
  asm: string,
  options: { flags?: number; weight?: number; answer?: ScriptError; stack?: Uint8Array[] } = {},
) {
  const checker = new RecordingChecker(options.answer);
  const stack = options.stack ?? [];
  const data = execdata(options.weight);
  const result = evalScript(stack, parseAsm(asm), options.flags ?? 0, checker, SigVersion.TAPSCRIPT, data);
  return { result, stack: stack.map(toHex), checker, data };
}

describe('tapscript evaluation (BIP342)', () => {
  it('needs execdata, and TAPROOT (the key path) runs no script', () => {
    const checker = new RecordingChecker();
    assert.equal(evalScript([], parseAsm('1'), 0, checker, SigVersion.TAPSCRIPT), 'UNKNOWN_ERROR');
    assert.equal(evalScript([], parseAsm('1'), 0, checker, SigVersion.TAPROOT, execdata()), 'UNKNOWN_ERROR');
  });

  it('has no 10,000-byte script limit and no 201-opcode limit', () => {
    const nops = `${'NOP '.repeat(10_001)}1`;
    assert.equal(tap(nops).result, 'OK');
    const base = evalScript([], parseAsm(nops), 0, new RecordingChecker(), SigVersion.BASE);
    assert.equal(base, 'SCRIPT_SIZE');
    const manyOps = `${'NOP '.repeat(202)}1`;
    assert.equal(tap(manyOps).result, 'OK');
    assert.equal(
      evalScript([], parseAsm(manyOps), 0, new RecordingChecker(), SigVersion.WITNESS_V0),
      'OP_COUNT',
    );
  });

  it('keeps the 1000-item stack limit and the 520-byte push limit', () => {
    const stack = Array.from({ length: 999 }, () => new Uint8Array(0));
    assert.equal(tap('1', { stack: stack.slice() }).result, 'OK');
    assert.equal(tap('1 1', { stack: stack.slice() }).result, 'STACK_SIZE');
    assert.equal(tap(`0x4d 0x0902 0x${'00'.repeat(521)} DROP 1`).result, 'PUSH_SIZE');
  });

  it('CHECKSIG: valid, empty (false, free) and failing signatures', () => {
    const ok = tap(`${SIG} ${KEY} CHECKSIG`, { weight: 60 });
    assert.deepEqual([ok.result, ok.stack, ok.data.validationWeightLeft], ['OK', ['01'], 10]);
    assert.equal(ok.checker.calls[0]?.sigversion, SigVersion.TAPSCRIPT);
    const empty = tap(`0 ${KEY} CHECKSIG`, { weight: 0 });
    assert.deepEqual([empty.result, empty.stack, empty.checker.calls.length], ['OK', [''], 0]);
    assert.equal(tap(`${SIG} ${KEY} CHECKSIG`, { answer: 'SCHNORR_SIG' }).result, 'SCHNORR_SIG');
    assert.equal(tap(`0 ${KEY} CHECKSIGVERIFY 1`).result, 'CHECKSIGVERIFY');
    assert.equal(tap(`${SIG} ${KEY} CHECKSIGVERIFY 1`).result, 'OK');
    assert.equal(tap(`${KEY} CHECKSIG`).result, 'INVALID_STACK_OPERATION');
  });

  it('charges 50 per non-empty signature, unknown key types included (TAPSCRIPT_VALIDATION_WEIGHT)', () => {
    const three = `${SIG} ${KEY} CHECKSIGVERIFY ${SIG} ${KEY} CHECKSIGVERIFY ${SIG} ${KEY} CHECKSIG`;
    assert.equal(tap(three, { weight: 150 }).result, 'OK');
    const short = tap(three, { weight: 149 });
    assert.deepEqual([short.result, short.checker.calls.length], ['TAPSCRIPT_VALIDATION_WEIGHT', 2]);
    assert.equal(tap(`${SIG} 0x01 0x02 CHECKSIG`, { weight: 49 }).result, 'TAPSCRIPT_VALIDATION_WEIGHT');
    // The budget is charged before the key is looked at.
    assert.equal(tap(`${SIG} 0 CHECKSIG`, { weight: 0 }).result, 'TAPSCRIPT_VALIDATION_WEIGHT');
  });

  it('empty keys fail; other sizes succeed unless policy discourages them', () => {
    assert.equal(tap('0 0 CHECKSIG').result, 'TAPSCRIPT_EMPTY_PUBKEY');
    assert.equal(tap(`${SIG} 0 CHECKSIG`).result, 'TAPSCRIPT_EMPTY_PUBKEY');
    const unknown = tap(`${SIG} 0x21 0x${'02'.repeat(33)} CHECKSIG`);
    assert.deepEqual([unknown.result, unknown.stack, unknown.checker.calls.length], ['OK', ['01'], 0]);
    const flags = ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE;
    assert.equal(tap(`${SIG} 0x01 0x02 CHECKSIG`, { flags }).result, 'DISCOURAGE_UPGRADABLE_PUBKEYTYPE');
    // The key type is judged before the signature: policy refuses it even with an empty one.
    assert.deepEqual(tap('0 0x01 0x02 CHECKSIG').stack, ['']);
    assert.equal(tap('0 0x01 0x02 CHECKSIG', { flags }).result, 'DISCOURAGE_UPGRADABLE_PUBKEYTYPE');
  });

  it('CHECKSIGADD adds 1 for a valid signature and 0 for an empty one', () => {
    assert.deepEqual(tap(`${SIG} 5 ${KEY} CHECKSIGADD`).stack, ['06']);
    assert.deepEqual(tap(`0 5 ${KEY} CHECKSIGADD`).stack, ['05']);
    assert.deepEqual(tap(`${SIG} -1 ${KEY} CHECKSIGADD`).stack, ['']);
    // n is a 4-byte number; the sum may need 5 bytes (usable only as data afterwards).
    assert.deepEqual(tap(`${SIG} 0x04 0xffffff7f ${KEY} CHECKSIGADD`).stack, ['0000008000']);
    assert.equal(tap(`${SIG} 0x05 0x0000008000 ${KEY} CHECKSIGADD`).result, 'UNKNOWN_ERROR');
    assert.equal(
      tap(`${SIG} 0x02 0x0500 ${KEY} CHECKSIGADD`, { flags: ScriptFlags.MINIMALDATA }).result,
      'UNKNOWN_ERROR',
    );
    assert.equal(tap(`5 ${KEY} CHECKSIGADD`).result, 'INVALID_STACK_OPERATION');
    assert.equal(tap(`${SIG} 5 0 CHECKSIGADD`).result, 'TAPSCRIPT_EMPTY_PUBKEY');
    assert.equal(tap(`${SIG} 5 ${KEY} CHECKSIGADD`, { answer: 'SCHNORR_SIG' }).result, 'SCHNORR_SIG');
    // A bad n fails before the budget is touched.
    assert.equal(tap(`${SIG} 0x05 0x0000008000 ${KEY} CHECKSIGADD`, { weight: 0 }).result, 'UNKNOWN_ERROR');
  });

  it('CHECKSIGADD is BAD_OPCODE outside tapscript', () => {
    for (const sigversion of [SigVersion.BASE, SigVersion.WITNESS_V0]) {
      const result = evalScript(
        [],
        parseAsm(`${SIG} 5 ${KEY} CHECKSIGADD`),
        0,
        new RecordingChecker(),
        sigversion,
      );
      assert.equal(result, 'BAD_OPCODE');
    }
  });

  it('CHECKMULTISIG(VERIFY) fails when executed, and only then', () => {
    assert.equal(tap('0 0 0 CHECKMULTISIG').result, 'TAPSCRIPT_CHECKMULTISIG');
    assert.equal(tap('0 0 0 CHECKMULTISIGVERIFY 1').result, 'TAPSCRIPT_CHECKMULTISIG');
    assert.equal(tap('0 IF CHECKMULTISIG ENDIF 1').result, 'OK');
  });

  it('IF/NOTIF arguments must be empty or 0x01, whatever the flags', () => {
    assert.equal(tap('1 IF 1 ENDIF').result, 'OK');
    assert.equal(tap('0 NOTIF 1 ENDIF').result, 'OK');
    assert.equal(tap('2 IF 1 ENDIF').result, 'TAPSCRIPT_MINIMALIF');
    assert.equal(tap('0x01 0x00 NOTIF 1 ENDIF').result, 'TAPSCRIPT_MINIMALIF');
    assert.equal(tap('0x02 0x0100 IF 1 ENDIF').result, 'TAPSCRIPT_MINIMALIF');
    assert.equal(tap('0 IF 2 IF ENDIF ENDIF 1').result, 'OK'); // not read in a dead branch
  });

  it('records the opcode position of the last executed OP_CODESEPARATOR, pushes counted', () => {
    const check = `${SIG} ${KEY} CHECKSIGVERIFY`;
    const positions = (asm: string) => tap(asm).checker.calls.map((c) => c.codeSeparatorPos);
    assert.deepEqual(positions(`${check} 1`), [NO_CODESEPARATOR]);
    // 0: 1, 1: IF, 2: CODESEPARATOR, 3: ENDIF, then the check.
    assert.deepEqual(positions(`1 IF CODESEPARATOR ENDIF ${check} 1`), [2]);
    assert.deepEqual(positions(`0 IF CODESEPARATOR ENDIF ${check} 1`), [NO_CODESEPARATOR]);
    // 0..2 first check, 3: CODESEPARATOR, 4..6 second check.
    assert.deepEqual(positions(`${check} CODESEPARATOR ${check} 1`), [NO_CODESEPARATOR, 3]);
  });
});

describe('taproot witness rules (verifyScript with a recording checker)', () => {
  const internal = testKey('tapscript unit').xonly;
  const run = (
    script: Uint8Array,
    stack: Uint8Array[],
    options: { flags?: number; annex?: Uint8Array } = {},
  ) => {
    const output = taprootOutput(internal, { script });
    const control = taprootControlBlock(output, output.leaves[0]!);
    const witness = [...stack, script, control, ...(options.annex ? [options.annex] : [])];
    const checker = new RecordingChecker();
    const result = verifyScript(
      new Uint8Array(0),
      output.scriptPubKey,
      witness,
      options.flags ?? CONSENSUS,
      checker,
    );
    return { result, checker, witness, output };
  };

  it('hands the key path the program as key, with the annex hash when there is one', () => {
    const output = taprootOutput(internal);
    const checker = new RecordingChecker();
    const sig = new Uint8Array(64).fill(3);
    assert.equal(verifyScript(new Uint8Array(0), output.scriptPubKey, [sig], CONSENSUS, checker), 'OK');
    assert.equal(
      verifyScript(new Uint8Array(0), output.scriptPubKey, [sig, Uint8Array.of(0x50)], CONSENSUS, checker),
      'OK',
    );
    assert.deepEqual(
      checker.calls.map((c) => [c.pubkey, c.sigversion, c.annexHash]),
      [
        [toHex(output.outputKey), SigVersion.TAPROOT, undefined],
        // SHA256 of the annex with its compact-size length.
        [toHex(output.outputKey), SigVersion.TAPROOT, toHex(sha256(Uint8Array.of(1, 0x50)))],
      ],
    );
  });

  it('starts the budget at 50 + the serialized witness and passes the leaf hash', () => {
    const script = parseAsm(`${KEY} CHECKSIG`);
    const sig = new Uint8Array(64);
    const { result, checker, witness } = run(script, [sig]);
    assert.equal(result, 'OK');
    let size = 1;
    for (const item of witness) size += 1 + item.length;
    // The check itself was charged (50) before the checker saw the budget.
    assert.equal(checker.calls[0]?.weightLeft, 50 + size - 50);
    assert.equal(checker.calls[0]?.leafHash, toHex(tapleafHash(0xc0, script)));
  });

  it('OP_SUCCESSx: exactly BIP342s list, found anywhere, before any other rule', () => {
    const list = [
      80, 98, 126, 127, 128, 129, 131, 132, 133, 134, 137, 138, 141, 142, 149, 150, 151, 152, 153,
    ];
    for (let op = 187; op <= 254; op++) list.push(op);
    for (let op = 0; op < 256; op++) assert.equal(isOpSuccess(op), list.includes(op), `0x${op.toString(16)}`);

    assert.equal(run(Uint8Array.of(Op.OP_0, Op.OP_IF, 0x50, Op.OP_ENDIF, Op.OP_RETURN), []).result, 'OK');
    assert.equal(run(Uint8Array.of(0x62), [], { flags: POLICY }).result, 'DISCOURAGE_OP_SUCCESS');
    // Past the limits the leaf would otherwise fail on: 1001 items of 521 bytes.
    const big = Array.from({ length: 1001 }, () => new Uint8Array(521));
    assert.equal(run(Uint8Array.of(0xfe), big).result, 'OK');
    // Unparsable before the OP_SUCCESSx: the scan stops there.
    assert.equal(run(Uint8Array.of(Op.OP_PUSHDATA1, 5, 0xbb), []).result, 'BAD_OPCODE');
    assert.equal(run(Uint8Array.of(0xbb, Op.OP_PUSHDATA1, 5), []).result, 'OK');
    // The scan fails an unparsable script before anything runs (OP_RETURN never executes).
    assert.equal(run(Uint8Array.of(Op.OP_RETURN, Op.OP_PUSHDATA1, 5), []).result, 'BAD_OPCODE');
    // Not OP_SUCCESSx: VERIF (invalid everywhere) and OP_INVALIDOPCODE.
    assert.equal(
      run(Uint8Array.of(Op.OP_0, Op.OP_IF, Op.OP_VERIF, Op.OP_ENDIF, Op.OP_1), []).result,
      'BAD_OPCODE',
    );
    assert.equal(run(Uint8Array.of(Op.OP_1, Op.OP_INVALIDOPCODE), []).result, 'BAD_OPCODE');
  });

  it('limits the initial stack to 1000 items and witness items to 520 bytes', () => {
    const items = (n: number, size = 0) => Array.from({ length: n }, () => new Uint8Array(size));
    // Checked before the script runs: 1000 NIPs would bring 1001 items down to one.
    const drop1000 = new Uint8Array(1000).fill(Op.OP_NIP);
    assert.equal(run(drop1000, [...items(1000), Uint8Array.of(1)]).result, 'STACK_SIZE');
    assert.equal(run(Uint8Array.of(Op.OP_DROP, Op.OP_1), items(1, 520)).result, 'OK');
    assert.equal(run(Uint8Array.of(Op.OP_DROP, Op.OP_1), items(1, 521)).result, 'PUSH_SIZE');
    // 1000 is allowed: 999 NIPs leave the top item, 0x01.
    const nips = new Uint8Array(999).fill(Op.OP_NIP);
    assert.equal(run(nips, [...items(999), Uint8Array.of(1)]).result, 'OK');
  });

  it('needs a clean stack with one true item', () => {
    assert.equal(run(Uint8Array.of(Op.OP_1, Op.OP_1), []).result, 'CLEANSTACK');
    assert.equal(run(Uint8Array.of(Op.OP_0), []).result, 'EVAL_FALSE');
    assert.equal(run(Uint8Array.of(Op.OP_1), []).result, 'OK');
  });

  it('never throws on random leaf scripts and stacks, and always answers a ScriptError', () => {
    const opcodes = [
      0x00, 0x01, 0x20, 0x4c, 0x51, 0x63, 0x67, 0x68, 0x69, 0x6d, 0x76, 0x87, 0x9c, 0xab, 0xac, 0xad, 0xae,
      0xba, 0xbb,
    ];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...opcodes), fc.integer({ min: 0, max: 255 })), { maxLength: 60 }),
        fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: (1 << 21) - 1 }),
        (bytes, stack, flags) => {
          const result = run(Uint8Array.from(bytes), stack, {
            flags: flags | ScriptFlags.P2SH | ScriptFlags.WITNESS | ScriptFlags.TAPROOT,
          });
          assert.ok(isScriptError(result.result), result.result);
        },
      ),
      { numRuns: 300 },
    );
  });
});
