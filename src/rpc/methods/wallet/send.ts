import type { SendRecipient, SendRequest, WalletApi } from '../../../wallet/api.js';
import type { RpcContext } from '../../context.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import type { RpcMethod } from '../../registry.js';
import { parseRawOutputs } from '../psbt-construct.js';
import { feeOptions, subtractFeeOutputs } from './fee-options.js';
import { engine, ensureUnlocked, walletForRequest } from './wallet-context.js';

/** Payments from the wallet (Core's wallet/rpc/spend.cpp sendtoaddress and sendmany). */

type Method = RpcMethod<RpcContext>;

const feeParams = [
  {
    name: 'replaceable',
    type: 'boolean',
    defaultHint: 'wallet default',
    description: 'Signal that this transaction can be replaced by a transaction (BIP 125)',
  },
  {
    name: 'conf_target',
    type: 'number',
    defaultHint: 'wallet -txconfirmtarget',
    description: 'Confirmation target in blocks',
  },
  {
    name: 'estimate_mode',
    type: 'string',
    default: 'unset',
    description:
      'The fee estimate mode, must be one of (case insensitive):\n"unset"\n"economical"\n"conservative"',
  },
] as const;

const feeRateParam = {
  name: 'fee_rate',
  type: 'amount',
  defaultHint: 'not set, falls back to wallet fee estimation',
  description: 'Specify a fee rate in sat/vB.',
} as const;

/** Core's ParseOutputs + CreateRecipients for the wallet's send request. */
function recipients(ctx: RpcContext, amounts: Record<string, unknown>, subtract: unknown): SendRecipient[] {
  const outputs = parseRawOutputs(amounts, ctx.network.addressPrefixes);
  const addresses = Object.keys(amounts);
  const sffo = subtractFeeOutputs(subtract, addresses);
  return outputs.map((o, i) => {
    if (o.address === undefined) {
      // The wallet engine's send request carries addresses only (no OP_RETURN recipients yet).
      throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Data outputs are not supported by this wallet');
    }
    return { address: o.address, amount: o.value, ...(sffo.has(i) && { subtractFee: true }) };
  });
}

/** Core's SendMoney: the check before any transaction is built. */
async function sendMoney(wallet: WalletApi, req: SendRequest): Promise<string> {
  ensureUnlocked(wallet);
  if (!wallet.info().privateKeysEnabled) {
    throw new RpcError(RpcErrorCode.RPC_WALLET_ERROR, 'Error: Private keys are disabled for this wallet');
  }
  const sent = await engine(() => wallet.send(req));
  return sent.txid;
}

function comments(comment: unknown, commentTo: unknown): Pick<SendRequest, 'comment' | 'commentTo'> {
  const out: Pick<SendRequest, 'comment' | 'commentTo'> = {};
  // Core stores only non-empty comments.
  if (typeof comment === 'string' && comment !== '') out.comment = comment;
  if (typeof commentTo === 'string' && commentTo !== '') out.commentTo = commentTo;
  return out;
}

export const sendtoaddress: Method = {
  name: 'sendtoaddress',
  category: 'wallet',
  params: [
    { name: 'address', type: 'string', required: true, description: 'The bitcoin address to send to.' },
    { name: 'amount', type: 'amount', required: true, description: 'The amount in BTC to send. eg 0.1' },
    {
      name: 'comment',
      type: 'string',
      description:
        'A comment used to store what the transaction is for.\nThis is not part of the transaction, just kept in your wallet.',
    },
    {
      name: 'comment_to',
      type: 'string',
      description:
        "A comment to store the name of the person or organization\nto which you're sending the transaction. This is not part of the \ntransaction, just kept in your wallet.",
    },
    {
      name: 'subtractfeefromamount',
      type: 'boolean',
      default: false,
      description:
        'The fee will be deducted from the amount being sent.\nThe recipient will receive less bitcoins than you enter in the amount field.',
    },
    ...feeParams,
    {
      name: 'avoid_reuse',
      type: 'boolean',
      default: true,
      description:
        '(only available if avoid_reuse wallet flag is set) Avoid spending from dirty addresses; addresses are considered\ndirty if they have previously been used in a transaction. If true, this also activates avoidpartialspends, grouping outputs by their addresses.',
    },
    feeRateParam,
  ],
  description:
    'Send an amount to a given address.\nRequires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.',
  result: '"hex"    (string) The transaction id.',
  examples: ['"bcrt1q09vm5lfy0j5reeulh4x5752q25uqqvz34hufdl" 0.1'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const address = args.str(0);
    // Core's order: avoid_reuse, the fee arguments, the unlock check, then the outputs.
    if (!args.isNull(8) && args.bool(8)) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_ERROR,
        'wallet does not have the "avoid reuse" feature enabled',
      );
    }
    const fees = feeOptions(args.raw(6), args.raw(7), args.raw(9));
    ensureUnlocked(wallet);
    const req: SendRequest = {
      recipients: recipients(ctx, { [address]: args.raw(1) }, args.bool(4) ? [address] : null),
      ...comments(args.raw(2), args.raw(3)),
      ...(!args.isNull(5) && { replaceable: args.bool(5) }),
      ...fees,
    };
    return sendMoney(wallet, req);
  },
};

export const sendmany: Method = {
  name: 'sendmany',
  category: 'wallet',
  params: [
    {
      name: 'dummy',
      type: 'string',
      defaultHint: '""',
      description: 'Must be set to "" for backwards compatibility.',
    },
    {
      name: 'amounts',
      type: 'object',
      required: true,
      description: 'The addresses and amounts',
      oneline: '{"address":amount,...}',
    },
    { name: 'minconf', type: 'number', description: 'Ignored dummy value' },
    { name: 'comment', type: 'string', description: 'A comment' },
    {
      name: 'subtractfeefrom',
      type: 'array',
      description:
        'The addresses.\nThe fee will be equally deducted from the amount of each selected address.',
      oneline: '["address",...]',
    },
    ...feeParams,
    feeRateParam,
  ],
  description:
    'Send multiple times. Amounts are double-precision floating point numbers.\nRequires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.',
  result: '"hex"    (string) The transaction id for the send.',
  examples: ['"" \'{"bcrt1q09vm5lfy0j5reeulh4x5752q25uqqvz34hufdl":0.01}\''],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    if (!args.isNull(0) && args.str(0) !== '') {
      throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Dummy value must be set to ""');
    }
    const amounts = args.object(1);
    const req: SendRequest = {
      recipients: recipients(ctx, amounts, args.raw(4)),
      ...comments(args.raw(3), null),
      ...(!args.isNull(5) && { replaceable: args.bool(5) }),
      ...feeOptions(args.raw(6), args.raw(7), args.raw(8)),
    };
    return sendMoney(wallet, req);
  },
};
