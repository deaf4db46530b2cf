import { sha256 } from '../crypto/hash.js';
import { equalBytes } from '../encoding/bytes.js';
import type { SignatureChecker } from './checker.js';
import type { ScriptError } from './errors.js';
import { ScriptFlags } from './flags.js';
import { DISABLED_OPCODES, Op } from './opcodes.js';
import { OPCODE_TABLE } from './ops/index.js';
import {
  checkMinimalPush,
  isPayToScriptHash,
  isPushOnly,
  isWitnessProgram,
  MAX_OPS_PER_SCRIPT,
  MAX_SCRIPT_ELEMENT_SIZE,
  MAX_SCRIPT_SIZE,
  MAX_STACK_SIZE,
  pushData,
  ScriptCursor,
} from './script.js';
import { castToBool } from './script-num.js';
import { SigVersion } from './sigversion.js';
import { ScriptVM } from './vm.js';

const DISABLED: readonly boolean[] = Array.from({ length: 256 }, (_, op) => DISABLED_OPCODES.has(op));

/**
 * Core's EvalScript: runs `script` on `stack` (modified in place) and returns 'OK' or the first
 * error. Never throws: anything unexpected becomes UNKNOWN_ERROR, as Core's catch-all reports it.
 */
export function evalScript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  sigversion: SigVersion,
): ScriptError {
  try {
    return executeScript(stack, script, flags, checker, sigversion);
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
): ScriptError {
  if (script.length > MAX_SCRIPT_SIZE) return 'SCRIPT_SIZE';
  const vm = new ScriptVM(stack, script, flags, checker, sigversion);
  const cursor = new ScriptCursor(script);
  const constScriptCode = sigversion === SigVersion.BASE && (flags & ScriptFlags.CONST_SCRIPTCODE) !== 0;
  while (!cursor.done) {
    const executing = vm.cond.allTrue;
    if (!cursor.next()) return 'BAD_OPCODE';
    const op = cursor.op;
    vm.pc = cursor.pos;
    if (cursor.dataLength > MAX_SCRIPT_ELEMENT_SIZE) return 'PUSH_SIZE';
    // OP_RESERVED (0x50) and the small numbers do not count; everything above OP_16 does,
    // executed or not.
    if (op > Op.OP_16 && ++vm.opCount > MAX_OPS_PER_SCRIPT) return 'OP_COUNT';
    // Disabled opcodes fail even in an unexecuted branch (the 2010 disabling, CVE-2010-5137 era).
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
      const error = handler(vm, op);
      if (error !== null) return error;
    }
    if (stack.length + vm.altstack.length > MAX_STACK_SIZE) return 'STACK_SIZE';
  }
  return vm.cond.empty ? 'OK' : 'UNBALANCED_CONDITIONAL';
}

/** Runs a witness script on the witness stack: BIP141's rules after the program check. */
function executeWitnessScript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
): ScriptError {
  // Witness items skip the push-size check of scriptSig pushes, so it is applied here.
  for (const item of stack) if (item.length > MAX_SCRIPT_ELEMENT_SIZE) return 'PUSH_SIZE';
  const result = evalScript(stack, script, flags, checker, SigVersion.WITNESS_V0);
  if (result !== 'OK') return result;
  // Segwit scripts must leave exactly one true element: CLEANSTACK is consensus here.
  if (stack.length !== 1) return 'CLEANSTACK';
  if (!castToBool(stack[0]!)) return 'EVAL_FALSE';
  return 'OK';
}

/** Core's VerifyWitnessProgram for the program found in scriptPubKey or a P2SH redeem script. */
function verifyWitnessProgram(
  witness: readonly Uint8Array[],
  version: number,
  program: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  isP2sh: boolean,
): ScriptError {
  if (version === 0) {
    if (program.length === 32) {
      // P2WSH: the last witness item is the script, committed to by its single SHA256.
      if (witness.length === 0) return 'WITNESS_PROGRAM_WITNESS_EMPTY';
      const script = witness[witness.length - 1]!;
      if (!equalBytes(sha256(script), program)) return 'WITNESS_PROGRAM_MISMATCH';
      return executeWitnessScript(witness.slice(0, -1), script, flags, checker);
    }
    if (program.length === 20) {
      // P2WPKH: exactly [sig pubkey], run against the implied P2PKH script.
      if (witness.length !== 2) return 'WITNESS_PROGRAM_MISMATCH';
      const script = new Uint8Array(25);
      script.set([Op.OP_DUP, Op.OP_HASH160, 20], 0);
      script.set(program, 3);
      script.set([Op.OP_EQUALVERIFY, Op.OP_CHECKSIG], 23);
      return executeWitnessScript(witness.slice(), script, flags, checker);
    }
    return 'WITNESS_PROGRAM_WRONG_LENGTH';
  }
  if (version === 1 && program.length === 32 && !isP2sh && flags & ScriptFlags.TAPROOT) {
    // BIP341/342 are not implemented. Refusing (rather than accepting, which is what a node
    // without the TAPROOT flag does) keeps a caller that asked for taproot rules from accepting
    // spends it cannot check.
    return 'UNKNOWN_ERROR';
  }
  // Unknown versions (and taproot before activation) are anyone-can-spend: room for soft forks.
  if (flags & ScriptFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM)
    return 'DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM';
  return 'OK';
}

/**
 * Core's VerifyScript: scriptSig, then scriptPubKey on the resulting stack, then BIP16 P2SH and
 * BIP141 witness programs (native or P2SH-nested). Returns 'OK' or Core's error, never throws.
 *
 * Core asserts that CLEANSTACK comes with P2SH and WITNESS, and WITNESS with P2SH; callers must
 * pass such combinations (this function does not crash on others, it just applies the flags).
 */
export function verifyScript(
  scriptSig: Uint8Array,
  scriptPubKey: Uint8Array,
  witness: readonly Uint8Array[],
  flags: number,
  checker: SignatureChecker,
): ScriptError {
  if (flags & ScriptFlags.SIGPUSHONLY && !isPushOnly(scriptSig)) return 'SIG_PUSHONLY';

  const stack: Uint8Array[] = [];
  let result = evalScript(stack, scriptSig, flags, checker, SigVersion.BASE);
  if (result !== 'OK') return result;
  const stackCopy = flags & ScriptFlags.P2SH ? stack.slice() : [];
  result = evalScript(stack, scriptPubKey, flags, checker, SigVersion.BASE);
  if (result !== 'OK') return result;
  if (stack.length === 0 || !castToBool(stack[stack.length - 1]!)) return 'EVAL_FALSE';

  let finalStack = stack;
  let hadWitness = false;
  if (flags & ScriptFlags.WITNESS) {
    const wp = isWitnessProgram(scriptPubKey);
    if (wp !== null) {
      hadWitness = true;
      // A native witness spend with a scriptSig could be malleated by changing the scriptSig.
      if (scriptSig.length !== 0) return 'WITNESS_MALLEATED';
      result = verifyWitnessProgram(witness, wp.version, wp.program, flags, checker, false);
      if (result !== 'OK') return result;
      // Keep one element so CLEANSTACK below sees a clean stack.
      finalStack.length = 1;
    }
  }

  if (flags & ScriptFlags.P2SH && isPayToScriptHash(scriptPubKey)) {
    // BIP16: the scriptSig must be pushes only, and the last push is the redeem script.
    if (!isPushOnly(scriptSig)) return 'SIG_PUSHONLY';
    finalStack = stackCopy;
    // Cannot be empty: the P2SH script's HASH160 needed an element, which came from scriptSig.
    const redeemScript = finalStack.pop()!;
    result = evalScript(finalStack, redeemScript, flags, checker, SigVersion.BASE);
    if (result !== 'OK') return result;
    if (finalStack.length === 0 || !castToBool(finalStack[finalStack.length - 1]!)) return 'EVAL_FALSE';

    if (flags & ScriptFlags.WITNESS) {
      const wp = isWitnessProgram(redeemScript);
      if (wp !== null) {
        hadWitness = true;
        // The scriptSig must be exactly the one push of the redeem script (no malleable extras).
        if (!equalBytes(scriptSig, pushData(redeemScript))) return 'WITNESS_MALLEATED_P2SH';
        result = verifyWitnessProgram(witness, wp.version, wp.program, flags, checker, true);
        if (result !== 'OK') return result;
        finalStack.length = 1;
      }
    }
  }

  // Policy: nothing may be left beside the result, so spends cannot be padded (malleability).
  if (flags & ScriptFlags.CLEANSTACK && finalStack.length !== 1) return 'CLEANSTACK';

  // A witness on an input that did not use it could be stripped or changed freely.
  if (flags & ScriptFlags.WITNESS && !hadWitness && witness.length > 0) return 'WITNESS_UNEXPECTED';
  return 'OK';
}
