import type { SignatureChecker } from './checker.js';
import type { ScriptError } from './errors.js';
import { NO_CODESEPARATOR, type ScriptExecutionData } from './execdata.js';
import { ScriptFlags } from './flags.js';
import { DISABLED_OPCODES, Op } from './opcodes.js';
import { OPCODE_TABLE } from './ops/index.js';
import {
  checkMinimalPush,
  MAX_OPS_PER_SCRIPT,
  MAX_SCRIPT_ELEMENT_SIZE,
  MAX_SCRIPT_SIZE,
  MAX_STACK_SIZE,
  ScriptCursor,
} from './script.js';
import { castToBool } from './script-num.js';
import { SigVersion } from './sigversion.js';
import { ScriptVM } from './vm.js';

const DISABLED: readonly boolean[] = Array.from({ length: 256 }, (_, op) => DISABLED_OPCODES.has(op));

/**
 * Core's EvalScript: runs `script` on `stack` (modified in place) and returns 'OK' or the first
 * error. Never throws: anything unexpected becomes UNKNOWN_ERROR, as Core's catch-all reports it.
 * TAPSCRIPT needs `execdata` (the leaf hash and the BIP342 budget); the other versions ignore it.
 */
export function evalScript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  sigversion: SigVersion,
  execdata?: ScriptExecutionData,
): ScriptError {
  try {
    return executeScript(stack, script, flags, checker, sigversion, execdata);
  } catch {
    return 'UNKNOWN_ERROR';
  }
}

/**
 * evalScript without the catch-all. Exported for the fuzz tests, which assert that no input makes
 * it throw: every failure must be a deliberate ScriptError, not an exception that happens to be
 * caught.
 * @internal
 */
export function executeScript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  sigversion: SigVersion,
  execdata?: ScriptExecutionData,
): ScriptError {
  const tapscript = sigversion === SigVersion.TAPSCRIPT;
  if (tapscript) {
    // Core asserts these are set; a caller without them has no leaf to sign for.
    if (execdata === undefined) return 'UNKNOWN_ERROR';
    execdata.codeSeparatorPos = NO_CODESEPARATOR;
  } else if (sigversion !== SigVersion.BASE && sigversion !== SigVersion.WITNESS_V0) {
    return 'UNKNOWN_ERROR'; // TAPROOT is the key path: it has no script to run
  } else if (script.length > MAX_SCRIPT_SIZE) {
    // BIP342 drops the 10,000-byte limit for tapscript: the block weight bounds it.
    return 'SCRIPT_SIZE';
  }
  const vm = new ScriptVM(stack, script, flags, checker, sigversion, tapscript ? execdata : undefined);
  const cursor = new ScriptCursor(script);
  const constScriptCode = sigversion === SigVersion.BASE && (flags & ScriptFlags.CONST_SCRIPTCODE) !== 0;
  // Index of the instruction being run, pushes included: what BIP342 codesep_pos counts.
  let opcodePos = 0;
  while (!cursor.done) {
    const executing = vm.cond.allTrue;
    if (!cursor.next()) return 'BAD_OPCODE';
    const op = cursor.op;
    vm.pc = cursor.pos;
    if (cursor.dataLength > MAX_SCRIPT_ELEMENT_SIZE) return 'PUSH_SIZE';
    // OP_RESERVED (0x50) and the small numbers do not count; everything above OP_16 does,
    // executed or not. Tapscript has no 201-op limit (BIP342: the signature budget replaces it).
    if (op > Op.OP_16 && !tapscript && ++vm.opCount > MAX_OPS_PER_SCRIPT) return 'OP_COUNT';
    // Disabled opcodes fail even in an unexecuted branch (the 2010 disabling, CVE-2010-5137 era).
    // (In tapscript they are all OP_SUCCESSx, so the leaf never gets here with one.)
    if (DISABLED[op]) return 'DISABLED_OPCODE';
    if (op === Op.OP_CODESEPARATOR && constScriptCode) return 'OP_CODESEPARATOR';

    if (executing && op <= Op.OP_PUSHDATA4) {
      const data = cursor.data();
      if (vm.requireMinimal && !checkMinimalPush(data, op)) return 'MINIMALDATA';
      stack.push(data);
    } else if (executing || (op >= Op.OP_IF && op <= Op.OP_ENDIF)) {
      // Conditionals run even in dead branches to track nesting; so do VERIF/VERNOTIF, which
      // is why those two fail wherever they appear.
      const handler = OPCODE_TABLE[op];
      if (handler === undefined) return 'BAD_OPCODE';
      vm.executing = executing;
      vm.opcodePos = opcodePos;
      const error = handler(vm, op);
      if (error !== null) return error;
    }
    if (stack.length + vm.altstack.length > MAX_STACK_SIZE) return 'STACK_SIZE';
    opcodePos++;
  }
  return vm.cond.empty ? 'OK' : 'UNBALANCED_CONDITIONAL';
}

/**
 * Core's ExecuteWitnessScript after its tapscript-only prelude: runs a witness script (P2WSH,
 * P2WPKH's implied script, or a tapscript leaf) on the witness stack, which it consumes.
 */
export function executeWitnessScript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  sigversion: SigVersion,
  execdata?: ScriptExecutionData,
): ScriptError {
  // Witness items skip the push-size check of scriptSig pushes, so it is applied here.
  for (const item of stack) if (item.length > MAX_SCRIPT_ELEMENT_SIZE) return 'PUSH_SIZE';
  const result = evalScript(stack, script, flags, checker, sigversion, execdata);
  if (result !== 'OK') return result;
  // Segwit scripts must leave exactly one true element: CLEANSTACK is consensus here.
  if (stack.length !== 1) return 'CLEANSTACK';
  if (!castToBool(stack[0]!)) return 'EVAL_FALSE';
  return 'OK';
}
