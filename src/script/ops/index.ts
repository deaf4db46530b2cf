import { arithmeticOps } from './arithmetic.js';
import { bitwiseOps } from './bitwise.js';
import { cryptoOps } from './crypto.js';
import { flowOps } from './flow.js';
import { pushOps } from './push.js';
import { signatureOps } from './signature.js';
import { stackOps } from './stack.js';
import { tapscriptOps } from './tapscript.js';
import type { OpHandler } from './types.js';

export type { OpFamily, OpHandler } from './types.js';

/**
 * The opcode table: one handler per byte, `undefined` for bytes with no meaning when executed
 * (OP_RESERVED, OP_VER, OP_VERIF, OP_VERNOTIF, OP_RESERVED1/2, 0xbb..0xff), which the interpreter
 * reports as BAD_OPCODE. Data pushes (0x00..0x4e) and the disabled opcodes never reach the table:
 * the interpreter loop handles them before dispatch, exactly where Core's EvalScript does.
 * One table serves every script version: the few opcodes BIP342 changes check `vm.sigversion`, as
 * Core's EvalScript does, and tapscript's OP_SUCCESSx never get here (the leaf succeeds before
 * it runs).
 */
export const OPCODE_TABLE: readonly (OpHandler | undefined)[] = (() => {
  const table = new Array<OpHandler | undefined>(256).fill(undefined);
  for (const family of [
    pushOps,
    flowOps,
    stackOps,
    bitwiseOps,
    arithmeticOps,
    cryptoOps,
    signatureOps,
    tapscriptOps,
  ]) {
    for (const [op, handler] of family) {
      if (table[op] !== undefined) throw new Error(`opcode 0x${op.toString(16)} registered twice`);
      table[op] = handler;
    }
  }
  return table;
})();
