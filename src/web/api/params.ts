import { fromDisplayHex } from '../../encoding/hex.js';
import { AddressError, type AddressPrefixes, scriptFromAddress } from '../../script/address.js';
import { badRequest } from './http-error.js';

/** Input checks of the explorer API: each returns the parsed value or throws a 400 ApiError. */

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;
/** Offsets beyond this are refused: deep pages are scans, and no UI pages that far. */
export const MAX_OFFSET = 100_000;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const DIGITS = /^\d{1,10}$/;

export type Query = Record<string, unknown>;

export function isHash(text: string): boolean {
  return HEX64.test(text);
}

/** A txid in display hex, returned in internal byte order. */
export function parseTxid(text: unknown): Uint8Array {
  if (typeof text !== 'string' || !HEX64.test(text)) {
    throw badRequest('invalid-txid', 'txid must be 64 hex characters');
  }
  return fromDisplayHex(text);
}

/** A block named by its hash (display hex) or its height on the active chain. */
export function parseBlockId(text: unknown): { hash: Uint8Array } | { height: number } {
  if (typeof text === 'string' && HEX64.test(text)) return { hash: fromDisplayHex(text) };
  if (typeof text === 'string' && DIGITS.test(text)) {
    const height = Number(text);
    if (height <= 0x7fffffff) return { height };
  }
  throw badRequest(
    'invalid-block-id',
    'block must be a 64-hex-character hash or a height (a non-negative integer)',
  );
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`invalid-${name}`, `${name} must be given once`);
  return value;
}

function integer(query: Query, name: string, min: number, max: number, fallback: number): number {
  const text = single(query, name);
  if (text === undefined) return fallback;
  if (!DIGITS.test(text) || Number(text) < min || Number(text) > max) {
    throw badRequest(`invalid-${name}`, `${name} must be an integer from ${min} to ${max}`);
  }
  return Number(text);
}

export function parseLimit(query: Query): number {
  return integer(query, 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT);
}

export function parseOffset(query: Query): number {
  return integer(query, 'offset', 0, MAX_OFFSET, 0);
}

/** The `start` height of the blocks list: default and upper bound the tip. */
export function parseStart(query: Query, tipHeight: number): number {
  return Math.min(tipHeight, integer(query, 'start', 0, 0x7fffffff, tipHeight));
}

/** An address of this node's network, as the output script it pays. */
export function parseAddress(text: unknown, prefixes: AddressPrefixes, network: string): Uint8Array {
  if (typeof text !== 'string' || text.length === 0 || text.length > 100) {
    throw badRequest('invalid-address', `not a valid ${network} address`);
  }
  try {
    return scriptFromAddress(text, prefixes);
  } catch (err) {
    if (err instanceof AddressError) {
      throw badRequest('invalid-address', `not a valid ${network} address: ${err.message}`);
    }
    throw err;
  }
}
