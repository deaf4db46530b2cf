import { decodeOpN, Op } from './opcodes.js';
import { encodeScriptNum } from './script-num.js';

/** Consensus limits (script/script.h). */
export const MAX_SCRIPT_SIZE = 10_000;
export const MAX_SCRIPT_ELEMENT_SIZE = 520;
export const MAX_OPS_PER_SCRIPT = 201;
export const MAX_STACK_SIZE = 1000;
export const MAX_PUBKEYS_PER_MULTISIG = 20;

/**
 * One parsed instruction. A push that runs past the end of the script is kept as
 * `{ op, data: <the remaining bytes>, truncated: true }` rather than thrown: such scripts exist on
 * chain (an output script is only executed when spent), and encodeScript(parseScript(x)) must
 * give back x for every byte string.
 */
export interface ScriptOp {
  op: number;
  data?: Uint8Array;
  truncated?: true;
}

/**
 * Reads a script one instruction at a time without allocating, as Core's GetScriptOp does. After
 * `next()` fails on a truncated push, `pos` is exactly where Core leaves its iterator (past the
 * opcode and whatever length bytes were readable): the legacy sighash serializer depends on it.
 */
export class ScriptCursor {
  op: number = Op.OP_INVALIDOPCODE;
  dataStart = 0;
  dataEnd = 0;

  constructor(
    public script: Uint8Array,
    public pos = 0,
  ) {}

  /** Restarts the cursor at the beginning of `script`: one cursor can walk many without allocating. */
  reset(script: Uint8Array): this {
    this.script = script;
    this.pos = 0;
    this.op = Op.OP_INVALIDOPCODE;
    this.dataStart = this.dataEnd = 0;
    return this;
  }

  get done(): boolean {
    return this.pos >= this.script.length;
  }

  /** Reads the next instruction; false at the end of the script or on a truncated push. */
  next(): boolean {
    const s = this.script;
    const end = s.length;
    this.op = Op.OP_INVALIDOPCODE;
    this.dataStart = this.dataEnd = this.pos;
    if (this.pos >= end) return false;
    const op = s[this.pos++]!;
    if (op <= Op.OP_PUSHDATA4) {
      let size: number;
      if (op < Op.OP_PUSHDATA1) {
        size = op;
      } else if (op === Op.OP_PUSHDATA1) {
        if (end - this.pos < 1) return false;
        size = s[this.pos++]!;
      } else if (op === Op.OP_PUSHDATA2) {
        if (end - this.pos < 2) return false;
        size = s[this.pos]! | (s[this.pos + 1]! << 8);
        this.pos += 2;
      } else {
        if (end - this.pos < 4) return false;
        size =
          (s[this.pos]! | (s[this.pos + 1]! << 8) | (s[this.pos + 2]! << 16)) + s[this.pos + 3]! * 0x1000000;
        this.pos += 4;
      }
      if (end - this.pos < size) return false;
      this.dataStart = this.pos;
      this.pos += size;
      this.dataEnd = this.pos;
    }
    this.op = op;
    return true;
  }

  get dataLength(): number {
    return this.dataEnd - this.dataStart;
  }

  /** The pushed bytes, as a view into the script (stack items are never mutated in place). */
  data(): Uint8Array {
    return this.script.subarray(this.dataStart, this.dataEnd);
  }
}

export function parseScript(script: Uint8Array): ScriptOp[] {
  const ops: ScriptOp[] = [];
  const c = new ScriptCursor(script);
  while (!c.done) {
    const start = c.pos;
    if (!c.next()) {
      ops.push({ op: script[start]!, data: script.subarray(start + 1), truncated: true });
      break;
    }
    ops.push(c.op <= Op.OP_PUSHDATA4 ? { op: c.op, data: c.data() } : { op: c.op });
  }
  return ops;
}

/** Serializes instructions, keeping each push's own opcode (so non-minimal pushes round-trip). */
export function encodeScript(ops: readonly ScriptOp[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const { op, data, truncated } of ops) {
    let head: Uint8Array;
    let body = data ?? new Uint8Array(0);
    if (truncated || op > Op.OP_PUSHDATA4) {
      head = Uint8Array.of(op);
      if (!truncated) body = new Uint8Array(0);
    } else {
      const n = body.length;
      if (op < Op.OP_PUSHDATA1) {
        if (n !== op) throw new RangeError(`push opcode ${op} cannot carry ${n} bytes`);
        head = Uint8Array.of(op);
      } else if (op === Op.OP_PUSHDATA1 && n <= 0xff) {
        head = Uint8Array.of(op, n);
      } else if (op === Op.OP_PUSHDATA2 && n <= 0xffff) {
        head = Uint8Array.of(op, n & 0xff, n >>> 8);
      } else if (op === Op.OP_PUSHDATA4) {
        head = Uint8Array.of(op, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
      } else {
        throw new RangeError(`push opcode ${op} cannot carry ${n} bytes`);
      }
    }
    parts.push(head, body);
  }
  return joinBytes(parts);
}

/**
 * Concatenates a list of byte arrays (encoding's concatBytes takes rest arguments, which overflow
 * the call stack for the hundreds of thousands of parts a large script can have).
 */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** The smallest push opcode+length header for n bytes, as Core's `CScript << vector` writes it. */
function pushHeader(n: number): Uint8Array {
  if (n < Op.OP_PUSHDATA1) return Uint8Array.of(n);
  if (n <= 0xff) return Uint8Array.of(Op.OP_PUSHDATA1, n);
  if (n <= 0xffff) return Uint8Array.of(Op.OP_PUSHDATA2, n & 0xff, n >>> 8);
  return Uint8Array.of(Op.OP_PUSHDATA4, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

/**
 * A push of `data` exactly as Core's `CScript() << data` encodes it: the shortest length form, but a
 * one-byte 0x01..0x10 stays a direct push (not OP_1..OP_16). BIP141's P2SH-witness check compares
 * the scriptSig against this encoding byte for byte.
 */
export function pushData(data: Uint8Array): Uint8Array {
  return joinBytes([pushHeader(data.length), data]);
}

/** Core's `CScript() << int64`: OP_0, OP_1NEGATE, OP_1..OP_16, otherwise a CScriptNum push. */
export function pushInt(n: number): Uint8Array {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  if (n === 0) return Uint8Array.of(Op.OP_0);
  if (n === -1 || (n >= 1 && n <= 16)) return Uint8Array.of(n + (Op.OP_1 - 1));
  return pushData(encodeScriptNum(n));
}

/** Core's CheckMinimalPush: was `data` pushed with the shortest possible opcode? */
export function checkMinimalPush(data: Uint8Array, op: number): boolean {
  const n = data.length;
  if (n === 0) return op === Op.OP_0;
  if (n === 1 && data[0]! >= 1 && data[0]! <= 16) return op === Op.OP_1 + (data[0]! - 1);
  if (n === 1 && data[0] === 0x81) return op === Op.OP_1NEGATE;
  if (n <= 75) return op === n;
  if (n <= 255) return op === Op.OP_PUSHDATA1;
  if (n <= 65535) return op === Op.OP_PUSHDATA2;
  return true;
}

/** Core's IsPushOnly: only pushes (OP_RESERVED counts: it is <= OP_16) and no truncated push. */
export function isPushOnly(script: Uint8Array, start = 0): boolean {
  const c = new ScriptCursor(script, start);
  while (!c.done) {
    if (!c.next()) return false;
    if (c.op > Op.OP_16) return false;
  }
  return true;
}

/** BIP16: OP_HASH160 <20 bytes> OP_EQUAL, byte for byte (no other push encoding qualifies). */
export function isPayToScriptHash(script: Uint8Array): boolean {
  return (
    script.length === 23 && script[0] === Op.OP_HASH160 && script[1] === 0x14 && script[22] === Op.OP_EQUAL
  );
}

/** BIP141: a version opcode (OP_0, OP_1..OP_16) and one direct push of 2..40 bytes, nothing else. */
export function isWitnessProgram(script: Uint8Array): { version: number; program: Uint8Array } | null {
  const n = script.length;
  if (n < 4 || n > 42) return null;
  const v = script[0]!;
  if (v !== Op.OP_0 && (v < Op.OP_1 || v > Op.OP_16)) return null;
  if (script[1]! + 2 !== n) return null;
  return { version: decodeOpN(v), program: script.subarray(2) };
}

/** Core's IsUnspendable: provably unspendable, so it can be dropped from the UTXO set. */
export function isUnspendable(script: Uint8Array): boolean {
  return (script.length > 0 && script[0] === Op.OP_RETURN) || script.length > MAX_SCRIPT_SIZE;
}

/**
 * Core's FindAndDelete for legacy scriptCode: removes every occurrence of `pattern` that starts at an
 * instruction boundary, re-checking at the same position after a removal. Quirky but consensus.
 */
export function findAndDelete(
  script: Uint8Array,
  pattern: Uint8Array,
): { script: Uint8Array; found: number } {
  if (pattern.length === 0 || !containsBytes(script, pattern)) return { script, found: 0 };
  const keep: Uint8Array[] = [];
  let found = 0;
  let pc = 0;
  let pc2 = 0;
  const end = script.length;
  const c = new ScriptCursor(script);
  for (;;) {
    if (pc > pc2) keep.push(script.subarray(pc2, pc));
    while (end - pc >= pattern.length && matchesAt(script, pc, pattern)) {
      pc += pattern.length;
      found++;
    }
    pc2 = pc;
    c.pos = pc;
    const ok = c.next();
    pc = c.pos;
    if (!ok) break;
  }
  if (found === 0) return { script, found };
  keep.push(script.subarray(pc2, end));
  return { script: joinBytes(keep), found };
}

/**
 * Whether `pattern` occurs anywhere in `script`. A match at an instruction boundary implies one here,
 * so when this is false FindAndDelete has nothing to do: the common case (a legacy CHECKSIG's
 * signature push never appears in the P2PKH script being signed) costs no allocation at all.
 */
export function containsBytes(script: Uint8Array, pattern: Uint8Array): boolean {
  const last = script.length - pattern.length;
  const first = pattern[0]!;
  for (let at = 0; at <= last; at++) {
    if (script[at] === first && matchesAt(script, at, pattern)) return true;
  }
  return false;
}

function matchesAt(script: Uint8Array, at: number, pattern: Uint8Array): boolean {
  for (let i = 0; i < pattern.length; i++) if (script[at + i] !== pattern[i]) return false;
  return true;
}

/** Builds scripts in code: `new ScriptBuilder().op(Op.OP_DUP).push(hash).build()`. */
export class ScriptBuilder {
  private readonly parts: Uint8Array[] = [];

  op(...ops: number[]): this {
    this.parts.push(Uint8Array.from(ops));
    return this;
  }

  push(data: Uint8Array): this {
    this.parts.push(pushData(data));
    return this;
  }

  int(n: number): this {
    this.parts.push(pushInt(n));
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  build(): Uint8Array {
    return joinBytes(this.parts);
  }
}
