import { Op } from '../opcodes.js';
import { EMPTY_BYTES, encodeScriptNum, TRUE_BYTES } from '../script-num.js';
import type { OpFamily, OpHandler } from './types.js';

/**
 * Numeric opcodes. Operands are 4-byte script numbers (|x| <= 2^31-1), so every result here is
 * exact in a JS number; results may need 5 bytes and are then only usable as data.
 */

const bool = (b: boolean): number => (b ? 1 : 0);

const UNARY: Record<number, (a: number) => number> = {
  [Op.OP_1ADD]: (a) => a + 1,
  [Op.OP_1SUB]: (a) => a - 1,
  [Op.OP_NEGATE]: (a) => -a,
  [Op.OP_ABS]: (a) => Math.abs(a),
  [Op.OP_NOT]: (a) => bool(a === 0),
  [Op.OP_0NOTEQUAL]: (a) => bool(a !== 0),
};

// [a] -> [f(a)]
const unary: OpHandler = (vm, op) => {
  if (vm.stack.length < 1) return 'INVALID_STACK_OPERATION';
  const a = vm.num(-1);
  if (a === undefined) return 'UNKNOWN_ERROR';
  vm.pop();
  vm.push(encodeScriptNum(UNARY[op]!(a)));
  return null;
};

const BINARY: Record<number, (a: number, b: number) => number> = {
  [Op.OP_ADD]: (a, b) => a + b,
  [Op.OP_SUB]: (a, b) => a - b,
  [Op.OP_BOOLAND]: (a, b) => bool(a !== 0 && b !== 0),
  [Op.OP_BOOLOR]: (a, b) => bool(a !== 0 || b !== 0),
  [Op.OP_NUMEQUAL]: (a, b) => bool(a === b),
  [Op.OP_NUMEQUALVERIFY]: (a, b) => bool(a === b),
  [Op.OP_NUMNOTEQUAL]: (a, b) => bool(a !== b),
  [Op.OP_LESSTHAN]: (a, b) => bool(a < b),
  [Op.OP_GREATERTHAN]: (a, b) => bool(a > b),
  [Op.OP_LESSTHANOREQUAL]: (a, b) => bool(a <= b),
  [Op.OP_GREATERTHANOREQUAL]: (a, b) => bool(a >= b),
  [Op.OP_MIN]: (a, b) => Math.min(a, b),
  [Op.OP_MAX]: (a, b) => Math.max(a, b),
};

// [a b] -> [f(a, b)]   NUMEQUALVERIFY: [a b] -> [] or fail
const binary: OpHandler = (vm, op) => {
  if (vm.stack.length < 2) return 'INVALID_STACK_OPERATION';
  const a = vm.num(-2);
  const b = vm.num(-1);
  if (a === undefined || b === undefined) return 'UNKNOWN_ERROR';
  vm.stack.length -= 2;
  const result = BINARY[op]!(a, b);
  if (op === Op.OP_NUMEQUALVERIFY) return result ? null : 'NUMEQUALVERIFY';
  vm.push(encodeScriptNum(result));
  return null;
};

// [x min max] -> [min <= x < max]
const within: OpHandler = (vm) => {
  if (vm.stack.length < 3) return 'INVALID_STACK_OPERATION';
  const x = vm.num(-3);
  const min = vm.num(-2);
  const max = vm.num(-1);
  if (x === undefined || min === undefined || max === undefined) return 'UNKNOWN_ERROR';
  vm.stack.length -= 3;
  vm.push(min <= x && x < max ? TRUE_BYTES : EMPTY_BYTES);
  return null;
};

export const arithmeticOps: OpFamily = [
  ...Object.keys(UNARY).map((op) => [Number(op), unary] as const),
  ...Object.keys(BINARY).map((op) => [Number(op), binary] as const),
  [Op.OP_WITHIN, within],
];
