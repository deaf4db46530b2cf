import { toDisplayHex } from '../../../encoding/hex.js';
import type { BumpFeeRequest } from '../../../wallet/api.js';
import type { RpcContext } from '../../context.js';
import { checkOptionTypes } from '../../args.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import { Amount } from '../../json/amount.js';
import { parseHash } from '../../params.js';
import type { RpcMethod } from '../../registry.js';
import { feeOptions } from './fee-options.js';
import { engine, walletForRequest } from './wallet-context.js';

/**
 * Replacing and forgetting wallet transactions (Core's wallet/rpc/spend.cpp bumpfee and
 * wallet/rpc/transactions.cpp abandontransaction).
 */

type Method = RpcMethod<RpcContext>;

/**
 * bumpfee's RPCTypeCheckObj table. `outputs` and `original_change_index` (replacing the outputs,
 * or naming the change) are not implemented by the engine: left out, they fail as unknown keys
 * rather than being ignored.
 */
const OPTION_TYPES: ReadonlyMap<string, string | undefined> = new Map([
  ['confTarget', 'number'],
  ['conf_target', 'number'],
  ['fee_rate', undefined],
  ['replaceable', 'bool'],
  ['estimate_mode', 'string'],
]);

function bumpRequest(options: Record<string, unknown>): BumpFeeRequest {
  checkOptionTypes(options, OPTION_TYPES);
  if (options.confTarget !== undefined && options.conf_target !== undefined) {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_PARAMETER,
      'confTarget and conf_target options should not both be set. Use conf_target (confTarget is deprecated).',
    );
  }
  const fee = feeOptions(options.conf_target ?? options.confTarget, options.estimate_mode, options.fee_rate);
  return {
    ...fee,
    ...(typeof options.replaceable === 'boolean' ? { replaceable: options.replaceable } : {}),
  };
}

export const bumpfee: Method = {
  name: 'bumpfee',
  category: 'wallet',
  params: [
    { name: 'txid', type: 'string', required: true, description: 'The txid to be bumped' },
    {
      name: 'options',
      type: 'object',
      description:
        'conf_target (numeric, default wallet -txconfirmtarget), fee_rate (sat/vB; at least 1.000 sat/vB higher than the current transaction fee rate), replaceable (boolean, default true), estimate_mode (string, default "unset")',
    },
  ],
  description:
    'Bumps the fee of a transaction T, replacing it with a new transaction B.\n' +
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
  result:
    '{\n  "txid" : "hex",       (string) The id of the new transaction.\n  "origfee" : n,        (numeric) The fee of the replaced transaction.\n  "fee" : n,            (numeric) The fee of the new transaction.\n  "errors" : [ "str" ]  (json array) Errors encountered during processing (may be empty).\n}',
  examples: ['<txid>'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const txid = toDisplayHex(parseHash(args.value(0), 'txid'));
    const req = args.isNull(1) ? {} : bumpRequest(args.object(1));
    const r = await engine(() => wallet.bumpFee(txid, req));
    return { txid: r.txid, origfee: new Amount(r.origFee), fee: new Amount(r.fee), errors: r.errors };
  },
};

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
