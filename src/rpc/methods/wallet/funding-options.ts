import { toDisplayHex } from '../../../encoding/hex.js';
import type { FundedPsbtRequest } from '../../../wallet/api.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import { checkOptionTypes, toInt32 } from '../../args.js';
import type { RpcContext } from '../../context.js';
import { decodeDestination } from '../../destination.js';
import { amountFromValue } from '../../params.js';
import { constructTransaction, parseLocktime, parseRawInputs, parseRawOutputs } from '../psbt-construct.js';
import { feeOptions } from './fee-options.js';
import { parseAddressType } from './wallet-context.js';

/**
 * walletcreatefundedpsbt's arguments as the engine's FundedPsbtRequest, checked as Core's
 * ConstructTransaction and FundTransaction check them (wallet/rpc/spend.cpp).
 */

/**
 * FundTransaction's RPCTypeCheckObj table: each option and the JSON type it must have. Options
 * the engine cannot honour yet (include_unsafe, maxconf, solving_data, input_weights,
 * max_tx_weight) are left out, so they fail as unknown keys instead of being ignored.
 */
const OPTION_TYPES: ReadonlyMap<string, string | undefined> = new Map([
  ['add_inputs', 'bool'],
  ['changeAddress', 'string'],
  ['change_address', 'string'],
  ['changePosition', 'number'],
  ['change_position', 'number'],
  ['change_type', 'string'],
  ['includeWatching', 'bool'],
  ['include_watching', 'bool'],
  ['lockUnspents', 'bool'],
  ['lock_unspents', 'bool'],
  ['fee_rate', undefined],
  ['feeRate', undefined],
  ['subtractFeeFromOutputs', 'array'],
  ['subtract_fee_from_outputs', 'array'],
  ['replaceable', 'bool'],
  ['conf_target', 'number'],
  ['estimate_mode', 'string'],
  ['minconf', 'number'],
]);

const invalid = (m: string) => new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, m);

/** The first of two spellings Core accepts for an option (snake_case wins). */
function either(o: Record<string, unknown>, snake: string, camel: string): unknown {
  const v = o[snake] ?? o[camel];
  return v === null ? undefined : v;
}

export function fundingOptions(
  ctx: RpcContext,
  raw: {
    inputs: unknown;
    outputs: unknown;
    locktime: unknown;
    options: Record<string, unknown>;
  },
): FundedPsbtRequest {
  const o = raw.options;
  checkOptionTypes(o, OPTION_TYPES);
  const replaceable =
    o.replaceable === undefined || o.replaceable === null ? true : (o.replaceable as boolean);
  const locktime = parseLocktime(raw.locktime);
  const inputs = parseRawInputs(raw.inputs);
  const outputs = parseRawOutputs(raw.outputs, ctx.network.addressPrefixes);
  // Core builds the transaction first: its sequence/replaceable check applies here too. The engine
  // builds version 2 transactions only, so walletcreatefundedpsbt has no version argument yet.
  constructTransaction(inputs, outputs, locktime, replaceable, 2);

  const req: FundedPsbtRequest = {
    recipients: outputs.map((out) => {
      if (out.address === undefined) {
        throw invalid('Data outputs are not supported by this wallet');
      }
      return { address: out.address, amount: out.value };
    }),
    locktime,
    replaceable,
  };
  if (inputs.length > 0) {
    req.inputs = inputs.map((i) => ({
      txid: toDisplayHex(i.prevout.hash),
      vout: i.prevout.index,
      ...(i.sequence !== undefined && { sequence: i.sequence }),
    }));
  }
  // Core selects more coins only when none were given, unless add_inputs says otherwise.
  req.addInputs =
    o.add_inputs === undefined || o.add_inputs === null ? inputs.length === 0 : (o.add_inputs as boolean);

  const change = either(o, 'change_address', 'changeAddress');
  if (change !== undefined) {
    if (!decodeDestination(change as string, ctx.network.addressPrefixes).ok) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY,
        'Change address must be a valid bitcoin address',
      );
    }
    req.changeAddress = change as string;
  }
  const position = either(o, 'change_position', 'changePosition');
  if (position !== undefined) {
    const pos = toInt32(position);
    if (pos < 0 || pos > outputs.length) throw invalid('changePosition out of bounds');
    req.changePosition = pos;
  }
  if (o.change_type !== undefined && o.change_type !== null) {
    if (change !== undefined) throw invalid('Cannot specify both change address and address type options');
    req.changeType = parseAddressType(o.change_type, 'change type');
  }
  const watching = either(o, 'include_watching', 'includeWatching');
  if (watching !== undefined) req.includeWatching = watching as boolean;
  const lock = either(o, 'lock_unspents', 'lockUnspents');
  if (lock !== undefined) req.lockUnspents = lock as boolean;
  if (o.minconf !== undefined && o.minconf !== null) {
    req.minConf = toInt32(o.minconf);
    if (req.minConf < 0) throw invalid('Negative minconf');
  }
  if (o.feeRate !== undefined && o.feeRate !== null) {
    if (o.fee_rate !== undefined)
      throw invalid('Cannot specify both fee_rate (sat/vB) and feeRate (BTC/kvB)');
    if (o.conf_target !== undefined) {
      throw invalid(
        'Cannot specify both conf_target and feeRate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.',
      );
    }
    if (o.estimate_mode !== undefined) throw invalid('Cannot specify both estimate_mode and feeRate');
    // BTC/kvB as satoshis per 1000 vbytes; the engine takes sat/vB.
    req.feeRate = amountFromValue(o.feeRate) / 1000;
  } else {
    Object.assign(req, feeOptions(o.conf_target, o.estimate_mode, o.fee_rate));
  }
  const subtract = either(o, 'subtract_fee_from_outputs', 'subtractFeeFromOutputs');
  if (Array.isArray(subtract)) {
    const seen = new Set<number>();
    for (const item of subtract) {
      const pos = toInt32(item);
      if (seen.has(pos)) throw invalid(`Invalid parameter, duplicated position: ${pos}`);
      if (pos < 0) throw invalid(`Invalid parameter, negative position: ${pos}`);
      if (pos >= outputs.length) throw invalid(`Invalid parameter, position too large: ${pos}`);
      seen.add(pos);
      req.recipients[pos]!.subtractFee = true;
    }
  }
  return req;
}
