import type { ScriptError } from '../errors.js';
import type { ScriptVM } from '../vm.js';

/**
 * One opcode's behaviour: returns null to continue or the error that ends the script. Handlers
 * check the stack depth themselves and report exactly Core's error for each failure.
 */
export type OpHandler = (vm: ScriptVM, op: number) => ScriptError | null;

/** A family's handlers, keyed by opcode; ops/index.ts assembles them into the 256-entry table. */
export type OpFamily = ReadonlyArray<readonly [op: number, handler: OpHandler]>;
