import type { SignatureChecker } from './checker.js';
import { ConditionStack } from './condition-stack.js';
import type { ScriptExecutionData } from './execdata.js';
import { ScriptFlags } from './flags.js';
import { decodeScriptNum, DEFAULT_MAX_NUM_SIZE } from './script-num.js';
import type { SigVersion } from './sigversion.js';

/**
 * The state one script execution works on, handed to every opcode handler. Stack items are treated
 * as immutable values: handlers replace items and never write into them, which lets pushes be views
 * into the script (no copy per push) and lets items be shared between stack slots.
 */
export class ScriptVM {
  readonly altstack: Uint8Array[] = [];
  readonly cond = new ConditionStack();
  /** Non-push opcodes so far plus CHECKMULTISIG key counts (the 201-op limit). */
  opCount = 0;
  /** Offset where scriptCode starts: just after the last executed OP_CODESEPARATOR. */
  codeSeparatorPos = 0;
  /** Offset just after the instruction being executed. */
  pc = 0;
  /** Whether the instruction being executed is in a live branch (IF/NOTIF read it when not). */
  executing = true;
  /** Index of the instruction being executed, pushes included (BIP342's codesep_pos counts these). */
  opcodePos = 0;
  readonly requireMinimal: boolean;

  constructor(
    readonly stack: Uint8Array[],
    readonly script: Uint8Array,
    readonly flags: number,
    readonly checker: SignatureChecker,
    readonly sigversion: SigVersion,
    /** Set exactly when `sigversion` is TAPSCRIPT: the leaf hash, budget and codesep position. */
    readonly execdata?: ScriptExecutionData,
  ) {
    this.requireMinimal = (flags & ScriptFlags.MINIMALDATA) !== 0;
  }

  /** stacktop(i) in Core: `i` is negative, -1 is the top. Callers check the depth first. */
  top(i: number): Uint8Array {
    return this.stack[this.stack.length + i]!;
  }

  /**
   * The item at `top(i)` as a script number, or undefined where Core's CScriptNum would throw
   * (the handler then fails with UNKNOWN_ERROR, as Core's catch-all reports it).
   */
  num(i: number, maxSize: number = DEFAULT_MAX_NUM_SIZE): number | undefined {
    return decodeScriptNum(this.top(i), this.requireMinimal, maxSize);
  }

  pop(): Uint8Array {
    return this.stack.pop()!;
  }

  push(item: Uint8Array): void {
    this.stack.push(item);
  }
}
