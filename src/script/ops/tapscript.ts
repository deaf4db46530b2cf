import type { ScriptError } from '../errors.js';
import { ScriptFlags } from '../flags.js';
import { Op } from '../opcodes.js';
import { EMPTY_BYTES, encodeScriptNum, TRUE_BYTES } from '../script-num.js';
import { SigVersion } from '../sigversion.js';
import { VALIDATION_WEIGHT_PER_SIGOP_PASSED } from '../taproot.js';
import type { ScriptVM } from '../vm.js';
import type { OpFamily, OpHandler } from './types.js';

/** BIP342's signature opcodes: CHECKSIG(VERIFY) in tapscript, and OP_CHECKSIGADD. */

/**
 * Core's EvalChecksigTapscript: true or false for whether the signature was valid (only the empty
 * signature may be invalid without failing the script), or the error that ends it. The order is
 * consensus: the budget is charged first (even for unknown key types), an empty key fails even
 * with an empty signature, and unknown key types succeed unless policy discourages them.
 */
function evalChecksigTapscript(vm: ScriptVM, sig: Uint8Array, pubkey: Uint8Array): boolean | ScriptError {
  const execdata = vm.execdata!; // the interpreter refuses TAPSCRIPT without it
  const success = sig.length > 0;
  if (success) {
    execdata.validationWeightLeft -= VALIDATION_WEIGHT_PER_SIGOP_PASSED;
    if (execdata.validationWeightLeft < 0) return 'TAPSCRIPT_VALIDATION_WEIGHT';
  }
  if (pubkey.length === 0) return 'TAPSCRIPT_EMPTY_PUBKEY';
  if (pubkey.length === 32) {
    if (success) {
      const error = vm.checker.checkSchnorrSignature(sig, pubkey, SigVersion.TAPSCRIPT, execdata);
      if (error !== 'OK') return error;
    }
  } else if (vm.flags & ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE) {
    // Other key lengths are reserved for soft forks: valid today whatever the signature.
    return 'DISCOURAGE_UPGRADABLE_PUBKEYTYPE';
  }
  return success;
}

/** [sig pubkey] -> [bool]   CHECKSIGVERIFY: [sig pubkey] -> [] or fail. Called by signature.ts. */
export const checkSigTapscript: OpHandler = (vm, op) => {
  if (vm.stack.length < 2) return 'INVALID_STACK_OPERATION';
  const result = evalChecksigTapscript(vm, vm.top(-2), vm.top(-1));
  if (typeof result !== 'boolean') return result;
  vm.stack.length -= 2;
  if (op === Op.OP_CHECKSIGVERIFY) return result ? null : 'CHECKSIGVERIFY';
  vm.push(result ? TRUE_BYTES : EMPTY_BYTES);
  return null;
};

/**
 * [sig n pubkey] -> [n + valid]   BIP342, tapscript only (BAD_OPCODE before it: 0xba was unused).
 * Replaces CHECKMULTISIG: `<k1> CHECKSIG <k2> CHECKSIGADD <k3> CHECKSIGADD 2 NUMEQUAL` is 2-of-3
 * with one signature check per key, which batch verification can handle.
 */
const checkSigAdd: OpHandler = (vm) => {
  if (vm.sigversion !== SigVersion.TAPSCRIPT) return 'BAD_OPCODE';
  if (vm.stack.length < 3) return 'INVALID_STACK_OPERATION';
  // n is read before the signature is looked at, so a bad n fails without charging the budget.
  const n = vm.num(-2);
  if (n === undefined) return 'UNKNOWN_ERROR';
  const result = evalChecksigTapscript(vm, vm.top(-3), vm.top(-1));
  if (typeof result !== 'boolean') return result;
  vm.stack.length -= 3;
  vm.push(encodeScriptNum(result ? n + 1 : n));
  return null;
};

export const tapscriptOps: OpFamily = [[Op.OP_CHECKSIGADD, checkSigAdd]];
