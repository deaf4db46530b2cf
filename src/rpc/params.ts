import { fromHex } from '../encoding/hex.js';
import { Block } from '../primitives/block.js';
import { RpcError, RpcErrorCode, typeError } from './errors.js';

/**
 * Parameter parsing with bitcoind's messages (rpc/util.cpp ParseHashV, ParseHexV, AmountFromValue,
 * ParseVerbosity; core_read.cpp DecodeHexTx, DecodeHexBlk). `name` is how Core names the argument in
 * the message, which is not always the parameter's name ("parameter 1" for getrawtransaction).
 */

const HEX = /^[0-9a-fA-F]*$/;
const MAX_MONEY = 21_000_000 * 100_000_000;

function asString(value: unknown): string {
  if (typeof value !== 'string') throw typeError(value, 'string');
  return value;
}

/** A 32-byte hash given in display hex; returned in internal byte order. */
export function parseHash(value: unknown, name: string): Uint8Array {
  const text = asString(value);
  if (text.length === 64 && HEX.test(text)) return fromHex(text).reverse();
  if (text.length !== 64) {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_PARAMETER,
      `${name} must be of length 64 (not ${text.length}, for '${text}')`,
    );
  }
  throw new RpcError(
    RpcErrorCode.RPC_INVALID_PARAMETER,
    `${name} must be hexadecimal string (not '${text}')`,
  );
}

/** Core's IsHex: non-empty, even length, hex digits only. */
export function isHex(text: string): boolean {
  return text.length > 0 && text.length % 2 === 0 && HEX.test(text);
}

export function parseHex(value: unknown, name: string): Uint8Array {
  const text = asString(value);
  if (!isHex(text)) {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${text}')`,
    );
  }
  return fromHex(text);
}

/**
 * Core's ParseFixedPoint over JSON number text: a decimal with an optional exponent, scaled by
 * 10^decimals, which must come out an integer of at most 18 digits.
 */
function parseFixedPoint(text: string, decimals: number): bigint | undefined {
  const m = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return undefined;
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const exponent = Number(m[4] ?? '0') - (m[3]?.length ?? 0) + decimals;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 100) return undefined;
  let value = BigInt(digits);
  if (exponent >= 0) value *= 10n ** BigInt(exponent);
  else {
    const div = 10n ** BigInt(-exponent);
    if (value % div !== 0n) return undefined;
    value /= div;
  }
  if (value >= 10n ** 18n) return undefined;
  return m[1] === '-' ? -value : value;
}

/** JSON number text as Core keeps it; JS only has the double, whose shortest form is the same text. */
function numberText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
}

/** Core's AmountFromValue: BTC as a number or a string, to satoshis (`decimals` 8). */
export function amountFromValue(value: unknown, decimals = 8): number {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, 'Amount is not a number or string');
  }
  const parsed = parseFixedPoint(typeof value === 'number' ? numberText(value) : value, decimals);
  if (parsed === undefined) throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, 'Invalid amount');
  if (parsed < 0n || parsed > BigInt(MAX_MONEY))
    throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, 'Amount out of range');
  return Number(parsed);
}

/** Core's ParseFeeRate: BTC/kvB to sat/kvB, refusing 1 BTC/kvB and more. */
export function parseFeeRate(value: unknown): number {
  const rate = amountFromValue(value);
  if (rate >= 100_000_000) {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_PARAMETER,
      'Fee rates larger than or equal to 1BTC/kvB are not accepted',
    );
  }
  return rate;
}

/** Core's ParseVerbosity: a number, or (where allowed) a boolean meaning 1 or 0. */
export function parseVerbosity(value: unknown, defaultVerbosity: number, allowBool: boolean): number {
  if (value === null || value === undefined) return defaultVerbosity;
  if (typeof value === 'boolean') {
    if (!allowBool)
      throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, 'Verbosity was boolean but only integer allowed');
    return value ? 1 : 0;
  }
  if (typeof value !== 'number') throw typeError(value, 'number');
  if (!Number.isInteger(value) || Math.abs(value) > 2 ** 31) {
    throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'JSON integer out of range');
  }
  return value;
}

/** Core's DecodeHexBlk. */
export function decodeHexBlock(hex: string): Block | undefined {
  if (!isHex(hex)) return undefined;
  try {
    return Block.decode(fromHex(hex));
  } catch {
    return undefined;
  }
}
