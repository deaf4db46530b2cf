import { Op } from '../opcodes.js';
import { encodeScriptNum } from '../script-num.js';
import type { OpFamily, OpHandler } from './types.js';

/**
 * Small-number opcodes. (Data pushes, OP_0 through OP_PUSHDATA4, are executed by the interpreter
 * loop itself: they need the bytes the cursor just read and the MINIMALDATA check.)
 */
const SMALL_NUMBERS: Uint8Array[] = [];
for (let op = Op.OP_1NEGATE; op <= Op.OP_16; op++) {
  SMALL_NUMBERS[op] = encodeScriptNum(op - (Op.OP_1 - 1));
}

// [] -> [n]   for OP_1NEGATE (n = -1) and OP_1..OP_16 (n = 1..16); the encoding is always minimal
const pushSmallNumber: OpHandler = (vm, op) => {
  vm.push(SMALL_NUMBERS[op]!);
  return null;
};

const family: [number, OpHandler][] = [[Op.OP_1NEGATE, pushSmallNumber]];
for (let op = Op.OP_1; op <= Op.OP_16; op++) family.push([op, pushSmallNumber]);

export const pushOps: OpFamily = family;
