/** Assertions for Chain results, shared by chain tests and the layers above. */
import assert from 'node:assert/strict';
import type { BlockResult } from '../../src/chain/types.js';

/** Asserts the status, showing the rejection when there is one. */
export function assertStatus(result: BlockResult, status: BlockResult['status']): void {
  const detail = result.status === 'invalid' ? `${result.reason}: ${result.debug}` : '';
  assert.equal(result.status, status, detail);
}

/** Asserts a rejection with this exact reason (or a matching one). */
export function assertRejected(result: BlockResult, reason: string | RegExp, kind?: string): void {
  assert.equal(result.status, 'invalid', `expected rejection ${String(reason)}, got ${result.status}`);
  if (result.status !== 'invalid') return;
  if (typeof reason === 'string') assert.equal(result.reason, reason, result.debug);
  else assert.match(result.reason, reason, result.debug);
  if (kind !== undefined) assert.equal(result.result, kind);
}
