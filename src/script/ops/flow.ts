import { SEQUENCE_LOCKTIME_DISABLE_FLAG } from '../checker.js';
import { ScriptFlags } from '../flags.js';
import { Op } from '../opcodes.js';
import { castToBool, LOCKTIME_MAX_NUM_SIZE } from '../script-num.js';
import { SigVersion } from '../sigversion.js';
import type { OpFamily, OpHandler } from './types.js';

/** Flow control, NOPs and the two lock-time opcodes. */

// [] -> []
const nop: OpHandler = () => null;

// [] -> []   NOP1, NOP4..NOP10: reserved for soft forks, so policy may refuse them
const upgradableNop: OpHandler = (vm) =>
  vm.flags & ScriptFlags.DISCOURAGE_UPGRADABLE_NOPS ? 'DISCOURAGE_UPGRADABLE_NOPS' : null;

// [cond] -> []   (nothing is read in a dead branch: the new branch is dead too)
const ifOrNotIf: OpHandler = (vm, op) => {
  let value = false;
  if (vm.executing) {
    if (vm.stack.length < 1) return 'UNBALANCED_CONDITIONAL';
    const top = vm.top(-1);
    // The argument must be empty or 0x01, so a third party cannot malleate the witness by
    // rewriting a true value: consensus in tapscript (BIP342), policy in segwit v0.
    const minimal = top.length === 0 || (top.length === 1 && top[0] === 1);
    if (!minimal) {
      if (vm.sigversion === SigVersion.TAPSCRIPT) return 'TAPSCRIPT_MINIMALIF';
      if (vm.sigversion === SigVersion.WITNESS_V0 && vm.flags & ScriptFlags.MINIMALIF) return 'MINIMALIF';
    }
    value = castToBool(top);
    if (op === Op.OP_NOTIF) value = !value;
    vm.pop();
  }
  vm.cond.push(value);
  return null;
};

// [] -> []
const opElse: OpHandler = (vm) => {
  if (vm.cond.empty) return 'UNBALANCED_CONDITIONAL';
  vm.cond.toggleTop();
  return null;
};

// [] -> []
const opEndIf: OpHandler = (vm) => {
  if (vm.cond.empty) return 'UNBALANCED_CONDITIONAL';
  vm.cond.pop();
  return null;
};

// [x] -> []   fails unless x is true
const opVerify: OpHandler = (vm) => {
  if (vm.stack.length < 1) return 'INVALID_STACK_OPERATION';
  if (!castToBool(vm.top(-1))) return 'VERIFY';
  vm.pop();
  return null;
};

// [] -> fail
const opReturn: OpHandler = () => 'OP_RETURN';

/**
 * [locktime] -> [locktime]   BIP65. The operand may be 5 bytes: nLockTime is a uint32, and a
 * 4-byte script number would stop at 2^31-1 (a year-2038 problem). It is left on the stack so the
 * opcode stays a NOP to old nodes; scripts follow it with DROP.
 */
const checkLockTimeVerify: OpHandler = (vm) => {
  // Not yet enabled: a plain NOP2. Unlike NOP1/NOP4.., DISCOURAGE_UPGRADABLE_NOPS does not apply
  // (modern Core): removing a flag must never turn a valid spend invalid.
  if (!(vm.flags & ScriptFlags.CHECKLOCKTIMEVERIFY)) return null;
  if (vm.stack.length < 1) return 'INVALID_STACK_OPERATION';
  const lockTime = vm.num(-1, LOCKTIME_MAX_NUM_SIZE);
  if (lockTime === undefined) return 'UNKNOWN_ERROR';
  // Use `0 MAX CHECKLOCKTIMEVERIFY` if arithmetic might make the operand negative.
  if (lockTime < 0) return 'NEGATIVE_LOCKTIME';
  if (!vm.checker.checkLockTime(lockTime)) return 'UNSATISFIED_LOCKTIME';
  return null;
};

/** [sequence] -> [sequence]   BIP112, with BIP65's 5-byte operand for the same reason. */
const checkSequenceVerify: OpHandler = (vm) => {
  if (!(vm.flags & ScriptFlags.CHECKSEQUENCEVERIFY)) return null; // a plain NOP3, as for CLTV
  if (vm.stack.length < 1) return 'INVALID_STACK_OPERATION';
  const sequence = vm.num(-1, LOCKTIME_MAX_NUM_SIZE);
  if (sequence === undefined) return 'UNKNOWN_ERROR';
  if (sequence < 0) return 'NEGATIVE_LOCKTIME';
  // With the disable flag set the opcode is a NOP, leaving room for future soft forks (BIP112).
  if ((sequence % 0x100000000) & SEQUENCE_LOCKTIME_DISABLE_FLAG) return null;
  if (!vm.checker.checkSequence(sequence)) return 'UNSATISFIED_LOCKTIME';
  return null;
};

export const flowOps: OpFamily = [
  [Op.OP_NOP, nop],
  [Op.OP_IF, ifOrNotIf],
  [Op.OP_NOTIF, ifOrNotIf],
  [Op.OP_ELSE, opElse],
  [Op.OP_ENDIF, opEndIf],
  [Op.OP_VERIFY, opVerify],
  [Op.OP_RETURN, opReturn],
  [Op.OP_CHECKLOCKTIMEVERIFY, checkLockTimeVerify],
  [Op.OP_CHECKSEQUENCEVERIFY, checkSequenceVerify],
  [Op.OP_NOP1, upgradableNop],
  [Op.OP_NOP4, upgradableNop],
  [Op.OP_NOP5, upgradableNop],
  [Op.OP_NOP6, upgradableNop],
  [Op.OP_NOP7, upgradableNop],
  [Op.OP_NOP8, upgradableNop],
  [Op.OP_NOP9, upgradableNop],
  [Op.OP_NOP10, upgradableNop],
];
