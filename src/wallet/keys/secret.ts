/**
 * Helpers for objects that hold key material. Two leaks are guarded against here:
 * - logs: `JSON.stringify` and `util.inspect` (console.log, pino's serialisers) walk an object's
 *   fields, so every secret-holding class overrides both to print a redacted summary;
 * - memory: secrets live in Uint8Arrays that are filled with zeros when no longer needed. JS strings
 *   are immutable and cannot be wiped, which is why secrets are never kept as strings here.
 */
import { inspect } from 'node:util';

/** The key Node's util.inspect (console.log, REPL, test diffs) looks up for a custom rendering. */
export const INSPECT_CUSTOM = inspect.custom;

/** What a redacted field prints as. */
export const REDACTED = '[redacted]';

/** Overwrites every given array with zeros (null/undefined are skipped). */
export function wipe(...arrays: (Uint8Array | null | undefined)[]): void {
  for (const a of arrays) a?.fill(0);
}

/** Whether every byte is zero: how tests and callers see that a buffer was wiped. */
export function isZeroed(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}
