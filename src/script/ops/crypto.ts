import { hash160, hash256, ripemd160, sha1, sha256 } from '../../crypto/hash.js';
import { Op } from '../opcodes.js';
import type { OpFamily, OpHandler } from './types.js';

/** Hash opcodes and OP_CODESEPARATOR. (The signature opcodes are in signature.ts.) */

const HASHES: Record<number, (data: Uint8Array) => Uint8Array> = {
  [Op.OP_RIPEMD160]: ripemd160,
  [Op.OP_SHA1]: sha1,
  [Op.OP_SHA256]: sha256,
  [Op.OP_HASH160]: hash160,
  [Op.OP_HASH256]: hash256,
};

// [x] -> [hash(x)]
const hash: OpHandler = (vm, op) => {
  if (vm.stack.length < 1) return 'INVALID_STACK_OPERATION';
  vm.push(HASHES[op]!(vm.pop()));
  return null;
};

// [] -> []   later signature checks hash only the script after this point (legacy, segwit v0)
//             or commit to this opcode's position (tapscript, BIP342 codesep_pos)
const codeSeparator: OpHandler = (vm) => {
  vm.codeSeparatorPos = vm.pc;
  if (vm.execdata !== undefined) vm.execdata.codeSeparatorPos = vm.opcodePos;
  return null;
};

export const cryptoOps: OpFamily = [
  ...Object.keys(HASHES).map((op) => [Number(op), hash] as const),
  [Op.OP_CODESEPARATOR, codeSeparator],
];
