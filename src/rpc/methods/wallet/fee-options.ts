import type { SendRequest } from '../../../wallet/api.js';
import { toInt32 } from '../../args.js';
import { RpcError, RpcErrorCode, typeError } from '../../errors.js';
import { amountFromValue } from '../../params.js';

/**
 * Fee arguments of the sending methods (Core's SetFeeEstimateMode, ParseConfirmTarget,
 * InterpretSubtractFeeFromOutputInstructions in wallet/rpc/spend.cpp and rpc/util.cpp).
 */

/** The fee estimator's longest horizon (Core's estimateMaxBlocks with the default estimator). */
export const MAX_CONF_TARGET = 1008;

const invalid = (m: string) => new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, m);

export function parseConfTarget(value: unknown): number {
  const target = toInt32(value);
  if (target < 1 || target > MAX_CONF_TARGET) {
    throw invalid(`Invalid conf_target, must be between 1 and ${MAX_CONF_TARGET}`);
  }
  return target;
}

function parseEstimateMode(value: unknown): NonNullable<SendRequest['estimateMode']> {
  if (typeof value !== 'string') throw typeError(value, 'string');
  // Core's FeeModeFromString compares case-insensitively.
  const mode = value.toLowerCase();
  if (mode === 'unset' || mode === 'economical' || mode === 'conservative') return mode;
  throw invalid('Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"');
}

const isSet = (v: unknown) => v !== undefined && v !== null;

/**
 * Core's SetFeeEstimateMode: an explicit fee_rate (sat/vB, 3 decimals) excludes conf_target and
 * a set estimate_mode. Returns the SendRequest fee members.
 */
export function feeOptions(
  confTarget: unknown,
  estimateMode: unknown,
  feeRate: unknown,
): Pick<SendRequest, 'feeRate' | 'confTarget' | 'estimateMode'> {
  if (isSet(feeRate)) {
    if (isSet(confTarget)) {
      throw invalid(
        'Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.',
      );
    }
    if (isSet(estimateMode) && estimateMode !== 'unset') {
      throw invalid('Cannot specify both estimate_mode and fee_rate');
    }
    // AmountFromValue with 3 decimals gives sat/kvB; the engine takes sat/vB.
    return { feeRate: amountFromValue(feeRate, 3) / 1000 };
  }
  const out: Pick<SendRequest, 'confTarget' | 'estimateMode'> = {};
  if (isSet(estimateMode)) out.estimateMode = parseEstimateMode(estimateMode);
  if (isSet(confTarget)) out.confTarget = parseConfTarget(confTarget);
  return out;
}

/** Core's InterpretSubtractFeeFromOutputInstructions: positions or addresses, each once. */
export function subtractFeeOutputs(instructions: unknown, destinations: readonly string[]): Set<number> {
  const set = new Set<number>();
  if (!isSet(instructions)) return set;
  if (!Array.isArray(instructions)) throw typeError(instructions, 'array');
  for (const item of instructions) {
    let pos: number;
    if (typeof item === 'string') {
      pos = destinations.indexOf(item);
      if (pos < 0) {
        throw invalid(
          `Invalid parameter 'subtract fee from output', destination ${item} not found in tx outputs`,
        );
      }
    } else if (typeof item === 'number') {
      pos = toInt32(item);
    } else {
      const type =
        item === null
          ? 'null'
          : Array.isArray(item)
            ? 'array'
            : typeof item === 'boolean'
              ? 'bool'
              : 'object';
      throw invalid(`Invalid parameter 'subtract fee from output', invalid value type: ${type}`);
    }
    if (set.has(pos))
      throw invalid(`Invalid parameter 'subtract fee from output', duplicated position: ${pos}`);
    if (pos < 0) throw invalid(`Invalid parameter 'subtract fee from output', negative position: ${pos}`);
    if (pos >= destinations.length) {
      throw invalid(`Invalid parameter 'subtract fee from output', position too large: ${pos}`);
    }
    set.add(pos);
  }
  return set;
}
