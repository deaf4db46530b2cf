import { toDisplayHex } from '../../../encoding/hex.js';
import type { BumpFeeRequest } from '../../../wallet/api.js';
import type { RpcContext } from '../../context.js';
import { checkOptionTypes } from '../../args.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import { Amount } from '../../json/amount.js';
import { parseHash } from '../../params.js';
import type { RpcMethod } from '../../registry.js';
import { parseRawOutputs } from '../psbt-construct.js';
import { feeOptions } from './fee-options.js';
import { engine, walletForRequest } from './wallet-context.js';

/**
 * Replacing and forgetting wallet transactions (Core's wallet/rpc/spend.cpp bumpfee_helper for
 * bumpfee and psbtbumpfee, and wallet/rpc/transactions.cpp abandontransaction).
 */

type Method = RpcMethod<RpcContext>;

/** bumpfee's RPCTypeCheckObj table (Core 29: no psbt_version yet, so it fails as an unknown key). */
const OPTION_TYPES: ReadonlyMap<string, string | undefined> = new Map([
  ['confTarget', 'number'],
  ['conf_target', 'number'],
  ['fee_rate', undefined],
  ['replaceable', 'bool'],
  ['estimate_mode', 'string'],
  // Checked by parseRawOutputs (Core's AddOutputs).
  ['outputs', undefined],
  ['original_change_index', 'number'],
]);

const UINT32_MAX = 0xffffffff;

function bumpRequest(ctx: RpcContext, options: Record<string, unknown>): BumpFeeRequest {
  checkOptionTypes(options, OPTION_TYPES);
  if (options.confTarget !== undefined && options.conf_target !== undefined) {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_PARAMETER,
      'confTarget and conf_target options should not both be set. Use conf_target (confTarget is deprecated).',
    );
  }
  const fee = feeOptions(options.conf_target ?? options.confTarget, options.estimate_mode, options.fee_rate);
  const req: { -readonly [K in keyof BumpFeeRequest]: BumpFeeRequest[K] } = { ...fee };
  if (typeof options.replaceable === 'boolean') req.replaceable = options.replaceable;
  const outputs = options.outputs;
  if (outputs !== undefined && outputs !== null) {
    if (Array.isArray(outputs) && outputs.length === 0) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'Invalid parameter, output argument cannot be an empty array',
      );
    }
    // An empty object gives no outputs: the original's are kept, as in Core.
    req.outputs = parseRawOutputs(outputs, ctx.network.addressPrefixes).map((o) => ({
      script: o.script,
      amount: o.value,
    }));
  }
  const index = options.original_change_index;
  if (typeof index === 'number') {
    // UniValue getInt<uint32_t>: anything but a whole number in range is "out of range".
    if (!Number.isInteger(index) || index < 0 || index > UINT32_MAX)
      throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'JSON integer out of range');
    req.originalChangeIndex = index;
  }
  return req;
}

const OPTIONS_HELP =
  'conf_target (numeric, default wallet -txconfirmtarget), fee_rate (sat/vB; at least 1.000 sat/vB higher than the current transaction fee rate), replaceable (boolean, default true), estimate_mode (string, default "unset"), ' +
  'outputs (json array of {"address":amount} or {"data":"hex"}: new recipients, cannot be used with original_change_index), ' +
  'original_change_index (numeric, default: detect change automatically: the 0-based index of the change output of the original transaction, recycled into the new change output)';

/** Core's bumpfee_helper: bumpfee and psbtbumpfee share their parameters and checks. */
function bumpMethod(name: 'bumpfee' | 'psbtbumpfee'): Method {
  const wantPsbt = name === 'psbtbumpfee';
  return {
    name,
    category: 'wallet',
    params: [
      { name: 'txid', type: 'string', required: true, description: 'The txid to be bumped' },
      { name: 'options', type: 'object', description: OPTIONS_HELP },
    ],
    description:
      'Bumps the fee of a transaction T, replacing it with a new transaction B.\n' +
      (wantPsbt ? 'Returns a PSBT instead of creating and signing a new transaction.\n' : '') +
      'A transaction with the given txid must be in the wallet.\n' +
      'The command will pay the additional fee by reducing change outputs or adding inputs when necessary.\n' +
      'It may add a new change output if one does not already exist.\n' +
      'All inputs in the original transaction will be included in the replacement transaction.\n' +
      "The command will fail if the wallet or mempool contains a transaction that spends one of T's outputs.\n" +
      'By default, the new fee will be calculated automatically using the estimatesmartfee RPC.\n' +
      'The user can specify a confirmation target for estimatesmartfee.\n' +
      'Alternatively, the user can specify a fee rate in sat/vB for the new transaction.\n' +
      'At a minimum, the new fee rate must be high enough to pay an additional new relay fee (incrementalfee\n' +
      "returned by getnetworkinfo) to enter the node's mempool.",
    result: wantPsbt
      ? '{\n  "psbt" : "str",      (string) The base64-encoded unsigned PSBT of the new transaction.\n  "origfee" : n,        (numeric) The fee of the replaced transaction.\n  "fee" : n,            (numeric) The fee of the new transaction.\n  "errors" : [ "str" ]  (json array) Errors encountered during processing (may be empty).\n}'
      : '{\n  "txid" : "hex",       (string) The id of the new transaction.\n  "origfee" : n,        (numeric) The fee of the replaced transaction.\n  "fee" : n,            (numeric) The fee of the new transaction.\n  "errors" : [ "str" ]  (json array) Errors encountered during processing (may be empty).\n}',
    examples: ['<txid>'],
    handler: async (ctx, args, call) => {
      const wallet = walletForRequest(ctx, call);
      // Core refuses before looking at the arguments.
      if (!wantPsbt && !wallet.info().privateKeysEnabled) {
        throw new RpcError(
          RpcErrorCode.RPC_WALLET_ERROR,
          'bumpfee is not available with wallets that have private keys disabled. Use psbtbumpfee instead.',
        );
      }
      const txid = toDisplayHex(parseHash(args.value(0), 'txid'));
      const req = args.isNull(1) ? {} : bumpRequest(ctx, args.object(1));
      if (wantPsbt) {
        const r = await engine(() => wallet.psbtBumpFee(txid, req));
        return {
          psbt: r.psbt.toBase64(),
          origfee: new Amount(r.origFee),
          fee: new Amount(r.fee),
          errors: r.errors,
        };
      }
      const r = await engine(() => wallet.bumpFee(txid, req));
      return { txid: r.txid, origfee: new Amount(r.origFee), fee: new Amount(r.fee), errors: r.errors };
    },
  };
}

export const bumpfee: Method = bumpMethod('bumpfee');
export const psbtbumpfee: Method = bumpMethod('psbtbumpfee');

export const abandontransaction: Method = {
  name: 'abandontransaction',
  category: 'wallet',
  params: [{ name: 'txid', type: 'string', required: true, description: 'The transaction id' }],
  description:
    'Mark in-wallet transaction <txid> as abandoned\n' +
    'This will mark this transaction and all its in-wallet descendants as abandoned which will allow\n' +
    'for their inputs to be respent.  It can be used to replace "stuck" or evicted transactions.\n' +
    'It only works on transactions which are not included in a block and are not currently in the mempool.\n' +
    'It has no effect on transactions which are already abandoned.',
  result: 'null    (json null)',
  examples: ['"1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d"'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const txid = toDisplayHex(parseHash(args.value(0), 'txid'));
    await engine(() => wallet.abandonTransaction(txid));
    return null;
  },
};
