import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in test/support/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * ../shared beside the checkout holds Bitcoin Core's vectors and real mainnet blocks. Tests read them
 * from there (CI has it there too) and fail loudly when it is missing: a silently skipped conformance
 * suite would be a test that cannot fail.
 */
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');

export function sharedPath(...parts: string[]): string {
  const p = join(SHARED_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`missing shared test data: ${p}`);
  return p;
}

export function readShared(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(sharedPath(...parts)));
}

export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8')) as T;
}
