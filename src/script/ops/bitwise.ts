import { equalBytes } from '../../encoding/bytes.js';
import { Op } from '../opcodes.js';
import { EMPTY_BYTES, TRUE_BYTES } from '../script-num.js';
import type { OpFamily, OpHandler } from './types.js';

/** Byte-string equality; the rest of the bitwise family (INVERT, AND, OR, XOR) is disabled. */

// [x1 x2] -> [x1 == x2]   EQUALVERIFY: [x1 x2] -> [] or fail
const equal: OpHandler = (vm, op) => {
  if (vm.stack.length < 2) return 'INVALID_STACK_OPERATION';
  const same = equalBytes(vm.top(-2), vm.top(-1));
  vm.stack.length -= 2;
  if (op === Op.OP_EQUALVERIFY) return same ? null : 'EQUALVERIFY';
  vm.push(same ? TRUE_BYTES : EMPTY_BYTES);
  return null;
};

export const bitwiseOps: OpFamily = [
  [Op.OP_EQUAL, equal],
  [Op.OP_EQUALVERIFY, equal],
];
