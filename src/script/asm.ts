import { isValidSignatureEncoding } from '../crypto/der.js';
import { fromHex, toHex } from '../encoding/hex.js';
import { Op, opcodeName } from './opcodes.js';
import { isUnspendable, joinBytes, pushData, pushInt, ScriptCursor } from './script.js';
import { decodeScriptNum } from './script-num.js';
import { isDefinedSighashSignature, SIGHASH_NAMES } from './sig-encoding.js';

export class AsmParseError extends Error {
  override readonly name = 'AsmParseError';
}

/**
 * Names ParseScript accepts: every named opcode with or without "OP_". Core's own table skips the
 * push opcodes below OP_NOP (they are written as numbers) and stops at OP_NOP10; accepting them
 * too (OP_0, OP_TRUE, OP_PUSHDATA1 as a raw byte, OP_CHECKSIGADD, OP_INVALIDOPCODE) only widens
 * what parses, never changes the meaning of text Core accepts.
 */
const NAME_TO_OP = new Map<string, number>();
for (const [name, value] of Object.entries(Op)) {
  NAME_TO_OP.set(name, value);
  NAME_TO_OP.set(name.slice(3), value);
}

const HEX_BODY = /^(?:[0-9a-fA-F]{2})+$/;
const DECIMAL = /^-?[0-9]+$/;
const INT64_MAX = (1n << 63n) - 1n;

/**
 * `CScript() << int64` for any int64. The pinned script_tests.json (from a Core release before
 * ParseScript limited decimals to ±0xFFFFFFFF) pushes numbers up to 2^63-1, so the whole int64 range
 * is accepted, encoded as CScriptNum::serialize would.
 */
function pushInt64(n: bigint): Uint8Array {
  if (n >= -0x1fffffffffffffn && n <= 0x1fffffffffffffn) return pushInt(Number(n));
  const negative = n < 0n;
  let abs = negative ? -n : n;
  const bytes: number[] = [];
  while (abs > 0n) {
    bytes.push(Number(abs & 0xffn));
    abs >>= 8n;
  }
  const top = bytes[bytes.length - 1]!;
  if (top & 0x80) bytes.push(negative ? 0x80 : 0);
  else if (negative) bytes[bytes.length - 1] = top | 0x80;
  return pushData(Uint8Array.from(bytes));
}

/**
 * Core's ParseScript (core_read.cpp), the format of script_tests.json: decimal numbers are pushed as
 * script numbers, `0x..` is raw bytes inserted as they are (not pushed), `'text'` is pushed, and
 * opcode names stand for themselves. Throws AsmParseError with Core's message.
 */
export function parseAsm(text: string): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const word of text.split(/[ \t\n]/)) {
    if (word === '') continue;
    if (DECIMAL.test(word)) {
      const n = BigInt(word);
      if (n > INT64_MAX || n < -INT64_MAX) {
        throw new AsmParseError('script parse error: decimal numeric value out of the int64 range');
      }
      parts.push(pushInt64(n));
    } else if (word.startsWith('0x') && HEX_BODY.test(word.slice(2))) {
      parts.push(fromHex(word.slice(2)));
    } else if (word.length >= 2 && word.startsWith("'") && word.endsWith("'")) {
      parts.push(pushData(new TextEncoder().encode(word.slice(1, -1))));
    } else {
      const op = NAME_TO_OP.get(word);
      if (op === undefined) throw new AsmParseError('script parse error: unknown opcode');
      parts.push(Uint8Array.of(op));
    }
  }
  return joinBytes(parts);
}

/**
 * Core's ScriptToAsmStr, the `asm` field of decodescript and decoderawtransaction. Pushes of up to
 * 4 bytes print as numbers, longer ones as hex; with `attemptSighashDecode` (scriptSigs), data that
 * passes the STRICTENC signature checks prints as hex of the DER part plus `[ALL]`-style hashtype.
 * A truncated push prints `[error]` and ends the string.
 */
export function toAsm(script: Uint8Array, attemptSighashDecode = false): string {
  let str = '';
  const c = new ScriptCursor(script);
  // Never decode data in an OP_RETURN output as a signature, whatever it looks like.
  const decodeSigs = attemptSighashDecode && !isUnspendable(script);
  while (!c.done) {
    if (str !== '') str += ' ';
    if (!c.next()) return `${str}[error]`;
    if (c.op > Op.OP_PUSHDATA4) {
      str += opcodeName(c.op);
      continue;
    }
    const data = c.data();
    if (data.length <= 4) {
      str += String(decodeScriptNum(data, false, 4) ?? 0);
    } else if (decodeSigs && isValidSignatureEncoding(data) && isDefinedSighashSignature(data)) {
      const name = SIGHASH_NAMES.get(data[data.length - 1]!);
      str += name === undefined ? toHex(data) : `${toHex(data.subarray(0, -1))}[${name}]`;
    } else {
      str += toHex(data);
    }
  }
  return str;
}
