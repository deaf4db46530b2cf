import type { ScriptError } from '../errors.js';
import { Op } from '../opcodes.js';
import { castToBool, encodeScriptNum } from '../script-num.js';
import type { ScriptVM } from '../vm.js';
import type { OpFamily, OpHandler } from './types.js';

/** Stack manipulation, and OP_SIZE (the one splice opcode left enabled in 2010). */

/** Wraps a handler that needs `n` items, so each body can index the stack without checking. */
function needs(n: number, body: (vm: ScriptVM, op: number) => ScriptError | undefined): OpHandler {
  return (vm, op) => {
    if (vm.stack.length < n) return 'INVALID_STACK_OPERATION';
    return body(vm, op) ?? null;
  };
}

// [x] -> []   altstack: [] -> [x]
const toAltStack = needs(1, (vm) => {
  vm.altstack.push(vm.pop());
});

// [] -> [x]   altstack: [x] -> []
const fromAltStack: OpHandler = (vm) => {
  if (vm.altstack.length < 1) return 'INVALID_ALTSTACK_OPERATION';
  vm.push(vm.altstack.pop()!);
  return null;
};

// [x1 x2] -> []
const drop2 = needs(2, (vm) => {
  vm.stack.length -= 2;
});

// [x1 x2] -> [x1 x2 x1 x2]
const dup2 = needs(2, (vm) => {
  vm.stack.push(vm.top(-2), vm.top(-1));
});

// [x1 x2 x3] -> [x1 x2 x3 x1 x2 x3]
const dup3 = needs(3, (vm) => {
  vm.stack.push(vm.top(-3), vm.top(-2), vm.top(-1));
});

// [x1 x2 x3 x4] -> [x1 x2 x3 x4 x1 x2]
const over2 = needs(4, (vm) => {
  vm.stack.push(vm.top(-4), vm.top(-3));
});

// [x1 x2 x3 x4 x5 x6] -> [x3 x4 x5 x6 x1 x2]
const rot2 = needs(6, (vm) => {
  const [x1, x2] = vm.stack.splice(vm.stack.length - 6, 2) as [Uint8Array, Uint8Array];
  vm.stack.push(x1, x2);
});

// [x1 x2 x3 x4] -> [x3 x4 x1 x2]
const swap2 = needs(4, (vm) => {
  const s = vm.stack;
  const n = s.length;
  const x1 = s[n - 4]!;
  const x2 = s[n - 3]!;
  s[n - 4] = s[n - 2]!;
  s[n - 3] = s[n - 1]!;
  s[n - 2] = x1;
  s[n - 1] = x2;
});

// [x] -> [x x] if x is true, else [x]
const ifDup = needs(1, (vm) => {
  const x = vm.top(-1);
  if (castToBool(x)) vm.push(x);
});

// [] -> [depth]
const depth: OpHandler = (vm) => {
  vm.push(encodeScriptNum(vm.stack.length));
  return null;
};

// [x] -> []
const drop = needs(1, (vm) => {
  vm.stack.length -= 1;
});

// [x] -> [x x]
const dup = needs(1, (vm) => {
  vm.push(vm.top(-1));
});

// [x1 x2] -> [x2]
const nip = needs(2, (vm) => {
  vm.stack.splice(vm.stack.length - 2, 1);
});

// [x1 x2] -> [x1 x2 x1]
const over = needs(2, (vm) => {
  vm.push(vm.top(-2));
});

// [xn .. x0 n] -> [xn .. x0 xn] (PICK copies xn) or [.. x0 xn] (ROLL moves it)
const pickOrRoll = needs(2, (vm, op) => {
  const n = vm.num(-1);
  if (n === undefined) return 'UNKNOWN_ERROR';
  vm.pop();
  if (n < 0 || n >= vm.stack.length) return 'INVALID_STACK_OPERATION';
  const index = vm.stack.length - n - 1;
  const x = vm.stack[index]!;
  if (op === Op.OP_ROLL) vm.stack.splice(index, 1);
  vm.push(x);
});

// [x1 x2 x3] -> [x2 x3 x1]
const rot = needs(3, (vm) => {
  const s = vm.stack;
  const n = s.length;
  const x1 = s[n - 3]!;
  s[n - 3] = s[n - 2]!;
  s[n - 2] = s[n - 1]!;
  s[n - 1] = x1;
});

// [x1 x2] -> [x2 x1]
const swap = needs(2, (vm) => {
  const s = vm.stack;
  const n = s.length;
  const x1 = s[n - 2]!;
  s[n - 2] = s[n - 1]!;
  s[n - 1] = x1;
});

// [x1 x2] -> [x2 x1 x2]
const tuck = needs(2, (vm) => {
  vm.stack.splice(vm.stack.length - 2, 0, vm.top(-1));
});

// [x] -> [x size(x)]
const size = needs(1, (vm) => {
  vm.push(encodeScriptNum(vm.top(-1).length));
});

export const stackOps: OpFamily = [
  [Op.OP_TOALTSTACK, toAltStack],
  [Op.OP_FROMALTSTACK, fromAltStack],
  [Op.OP_2DROP, drop2],
  [Op.OP_2DUP, dup2],
  [Op.OP_3DUP, dup3],
  [Op.OP_2OVER, over2],
  [Op.OP_2ROT, rot2],
  [Op.OP_2SWAP, swap2],
  [Op.OP_IFDUP, ifDup],
  [Op.OP_DEPTH, depth],
  [Op.OP_DROP, drop],
  [Op.OP_DUP, dup],
  [Op.OP_NIP, nip],
  [Op.OP_OVER, over],
  [Op.OP_PICK, pickOrRoll],
  [Op.OP_ROLL, pickOrRoll],
  [Op.OP_ROT, rot],
  [Op.OP_SWAP, swap],
  [Op.OP_TUCK, tuck],
  [Op.OP_SIZE, size],
];
