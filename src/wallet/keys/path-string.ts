/**
 * BIP32 key paths as text: "m/84'/1'/0'/0/7". Hardened steps are marked with ' or h (Core's
 * descriptors accept both and print h when asked; BIP32 writes i_H). Parsing is strict, so one
 * path has one spelling: decimal indices below 2^31 without leading zeros or signs, '/' between
 * steps, and an optional leading "m" meaning "the key this path starts from".
 */
import { DecodeError } from '../../encoding/errors.js';

/** Index offset of hardened children: BIP32's i_H = i + 2^31. */
export const HARDENED = 0x80000000;

const STEP = /^(0|[1-9][0-9]*)(['h]?)$/;

/** "m/44'/0'/0'" -> [2^31 + 44, 2^31, 2^31]. */
export function parsePath(path: string): number[] {
  const parts = path.split('/');
  if (parts[0] === 'm') parts.shift();
  const out: number[] = [];
  for (const part of parts) {
    const m = STEP.exec(part);
    if (m === null) throw new DecodeError('bad-format', `invalid key path step "${part}" in "${path}"`);
    // Fewer than 11 digits keeps Number exact before the range check.
    const n = m[1]!.length <= 10 ? Number(m[1]) : Number.POSITIVE_INFINITY;
    if (n >= HARDENED) throw new DecodeError('bad-format', `key path index ${m[1]} is not below 2^31`);
    out.push(m[2] === '' ? n : n + HARDENED);
  }
  return out;
}

/** [2^31 + 44, 2^31, 0] -> "m/44'/0'/0"; `hardenedMark` 'h' gives Core's h-notation. */
export function formatPath(indices: readonly number[], hardenedMark: "'" | 'h' = "'"): string {
  let out = 'm';
  for (const i of indices) out += i >= HARDENED ? `/${i - HARDENED}${hardenedMark}` : `/${i}`;
  return out;
}
