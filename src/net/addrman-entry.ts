import type { NetAddress } from './wire/net-address.js';

/**
 * One address known to the address manager, with what we learned by trying it (Core's AddrInfo).
 * Times are UNIX seconds; 0 means never.
 */
export interface AddrEntry {
  readonly address: NetAddress;
  /** Who told us about it: its group decides the new-table bucket. */
  readonly source: NetAddress;
  services: bigint;
  /** When the address was last heard of (gossip time, less a penalty for second-hand news). */
  time: number;
  lastTry: number;
  /** When a failed attempt was last counted (at most once per success anywhere: see attempt()). */
  lastCountAttempt: number;
  lastSuccess: number;
  attempts: number;
  tried: boolean;
}

/** Core's addrman.h constants, in seconds where they are durations. */
export const ADDRMAN_HORIZON = 30 * 24 * 60 * 60;
export const ADDRMAN_RETRIES = 3;
export const ADDRMAN_MAX_FAILURES = 10;
export const ADDRMAN_MIN_FAIL = 7 * 24 * 60 * 60;

/**
 * An address not worth keeping when something better wants its slot (Core's IsTerrible): from the
 * future, not heard of in 30 days, never reached after 3 tries, or failing 10 times over a week.
 * An address tried in the last minute is never terrible: we are still finding out.
 */
export function isTerrible(e: AddrEntry, now: number): boolean {
  if (e.lastTry !== 0 && e.lastTry >= now - 60) return false;
  if (e.time > now + 10 * 60) return true;
  if (e.time === 0 || now - e.time > ADDRMAN_HORIZON) return true;
  if (e.lastSuccess === 0 && e.attempts >= ADDRMAN_RETRIES) return true;
  if (now - e.lastSuccess > ADDRMAN_MIN_FAIL && e.attempts >= ADDRMAN_MAX_FAILURES) return true;
  return false;
}

/**
 * Relative chance of selecting an address (Core's GetChance): 1% if tried in the last 10 minutes,
 * and 0.66 per failed attempt up to 8, so flaky addresses fade without being forgotten.
 */
export function selectionChance(e: AddrEntry, now: number): number {
  let chance = 1;
  if (now - e.lastTry < 10 * 60) chance *= 0.01;
  return chance * 0.66 ** Math.min(e.attempts, 8);
}

export function copyEntry(e: AddrEntry): AddrEntry {
  return { ...e };
}
