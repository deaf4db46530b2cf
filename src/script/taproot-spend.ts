import { compactSizeLength } from '../encoding/compact-size.js';
import type { SignatureChecker } from './checker.js';
import type { ScriptError } from './errors.js';
import { executeWitnessScript } from './eval.js';
import { ScriptExecutionData } from './execdata.js';
import { ScriptFlags } from './flags.js';
import { MAX_STACK_SIZE, ScriptCursor } from './script.js';
import { SigVersion } from './sigversion.js';
import {
  ANNEX_TAG,
  annexHash,
  isOpSuccess,
  TAPROOT_CONTROL_BASE_SIZE,
  TAPROOT_CONTROL_MAX_SIZE,
  TAPROOT_CONTROL_NODE_SIZE,
  TAPROOT_LEAF_MASK,
  TAPROOT_LEAF_TAPSCRIPT,
  tapleafHash,
  VALIDATION_WEIGHT_OFFSET,
  verifyTaprootCommitment,
} from './taproot.js';

/** The serialized size of a witness stack (Core's GetSerializeSize(witness.stack)). */
function witnessSize(witness: readonly Uint8Array[]): number {
  let size = compactSizeLength(witness.length);
  for (const item of witness) size += compactSizeLength(item.length) + item.length;
  return size;
}

/**
 * Core's ExecuteWitnessScript for a tapscript leaf: OP_SUCCESSx first (BIP342: one anywhere in
 * the script, even after an unexecuted branch, makes the spend valid before any other rule, size
 * limits included), then the 1000-item limit on the initial stack, then the common witness rules.
 */
function executeTapscript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  execdata: ScriptExecutionData,
): ScriptError {
  const cursor = new ScriptCursor(script);
  while (!cursor.done) {
    // A truncated push before any OP_SUCCESSx makes the script unparsable: it fails.
    if (!cursor.next()) return 'BAD_OPCODE';
    if (isOpSuccess(cursor.op)) {
      return flags & ScriptFlags.DISCOURAGE_OP_SUCCESS ? 'DISCOURAGE_OP_SUCCESS' : 'OK';
    }
  }
  if (stack.length > MAX_STACK_SIZE) return 'STACK_SIZE';
  return executeWitnessScript(stack, script, flags, checker, SigVersion.TAPSCRIPT, execdata);
}

/**
 * The taproot branch of Core's VerifyWitnessProgram (BIP341): a native (not P2SH-wrapped) witness
 * v1 program of 32 bytes, spent under the TAPROOT flag. The program is the output key Q.
 *
 * After an optional annex (last item starting 0x50, with at least two items), one item left is a
 * key-path signature for Q; otherwise the last two are the leaf script and the control block,
 * whose internal key and Merkle path must commit to the script in Q.
 */
export function verifyTaprootSpend(
  witness: readonly Uint8Array[],
  program: Uint8Array,
  flags: number,
  checker: SignatureChecker,
): ScriptError {
  let end = witness.length;
  if (end === 0) return 'WITNESS_PROGRAM_WITNESS_EMPTY';
  const execdata = new ScriptExecutionData();
  const last = witness[end - 1]!;
  if (end >= 2 && last.length > 0 && last[0] === ANNEX_TAG) {
    // The annex has no meaning yet (it is non-standard), but signatures commit to it.
    execdata.annexHash = annexHash(last);
    end--;
  }
  if (end === 1) return checker.checkSchnorrSignature(witness[0]!, program, SigVersion.TAPROOT, execdata);

  const control = witness[end - 1]!;
  const script = witness[end - 2]!;
  end -= 2;
  if (
    control.length < TAPROOT_CONTROL_BASE_SIZE ||
    control.length > TAPROOT_CONTROL_MAX_SIZE ||
    (control.length - TAPROOT_CONTROL_BASE_SIZE) % TAPROOT_CONTROL_NODE_SIZE !== 0
  ) {
    return 'TAPROOT_WRONG_CONTROL_SIZE';
  }
  const leafVersion = control[0]! & TAPROOT_LEAF_MASK;
  const leafHash = tapleafHash(leafVersion, script);
  if (!verifyTaprootCommitment(control, program, leafHash)) return 'WITNESS_PROGRAM_MISMATCH';
  execdata.tapleafHash = leafHash;
  if (leafVersion === TAPROOT_LEAF_TAPSCRIPT) {
    // The whole witness counts toward the budget: annex, script and control block included.
    execdata.validationWeightLeft = witnessSize(witness) + VALIDATION_WEIGHT_OFFSET;
    return executeTapscript(witness.slice(0, end), script, flags, checker, execdata);
  }
  // Unknown leaf versions are anyone-can-spend, reserved for soft forks.
  if (flags & ScriptFlags.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION)
    return 'DISCOURAGE_UPGRADABLE_TAPROOT_VERSION';
  return 'OK';
}
