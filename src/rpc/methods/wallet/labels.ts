import type { AddressPurpose } from '../../../wallet/api.js';
import type { RpcContext } from '../../context.js';
import { decodeDestination } from '../../destination.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import { Amount } from '../../json/amount.js';
import type { RpcMethod } from '../../registry.js';
import {
  INCLUDE_IMMATURE_COINBASE_PARAM,
  includeWatchonlyParam,
  labelFromValue,
  minconfParam,
  engine,
  walletForRequest,
} from './wallet-context.js';

/**
 * The address book (Core's wallet/rpc/addresses.cpp setlabel, listlabels and
 * wallet/rpc/coins.cpp listreceivedbyaddress).
 */

type Method = RpcMethod<RpcContext>;

export const setlabel: Method = {
  name: 'setlabel',
  category: 'wallet',
  params: [
    {
      name: 'address',
      type: 'string',
      required: true,
      description: 'The bitcoin address to be associated with a label.',
    },
    { name: 'label', type: 'string', required: true, description: 'The label to assign to the address.' },
  ],
  description: 'Sets the label associated with the given address.',
  result: 'null    (json null)',
  examples: ['"bcrt1q09vm5lfy0j5reeulh4x5752q25uqqvz34hufdl" "tabby"'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const address = args.str(0);
    if (!decodeDestination(address, ctx.network.addressPrefixes).ok) {
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Invalid Bitcoin address');
    }
    const label = labelFromValue(args.value(1));
    await engine(() => wallet.setLabel(address, label));
    return null;
  },
};

export const listlabels: Method = {
  name: 'listlabels',
  category: 'wallet',
  params: [
    {
      name: 'purpose',
      type: 'string',
      defaultHint: 'null',
      description:
        "Address purpose to list labels for ('send','receive'). An empty string is the same as not providing this argument.",
    },
  ],
  description:
    'Returns the list of all labels, or labels that are assigned to addresses with a specific purpose.',
  result: '[           (json array)\n  "str",     (string) Label name\n  ...\n]',
  examples: ['', 'receive', 'send'],
  handler: (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const text = args.isNull(0) ? '' : args.str(0);
    let purpose: AddressPurpose | undefined;
    if (text !== '') {
      if (text !== 'send' && text !== 'receive') {
        throw new RpcError(
          RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY,
          "Invalid 'purpose' argument, must be a known purpose string, typically 'send', or 'receive'.",
        );
      }
      purpose = text;
    }
    return wallet.listLabels(purpose);
  },
};

export const listreceivedbyaddress: Method = {
  name: 'listreceivedbyaddress',
  category: 'wallet',
  params: [
    minconfParam('The minimum number of confirmations before payments are included.'),
    {
      name: 'include_empty',
      type: 'boolean',
      default: false,
      description: "Whether to include addresses that haven't received any payments.",
    },
    includeWatchonlyParam("Whether to include watch-only addresses (see 'importaddress')"),
    {
      name: 'address_filter',
      type: 'string',
      description: 'If present and non-empty, only return information on this address.',
    },
    INCLUDE_IMMATURE_COINBASE_PARAM,
  ],
  description: 'List balances by receiving address.',
  result:
    '[\n  {\n    "involvesWatchonly" : true|false, (boolean, optional) Only returns true if imported addresses were involved in transaction\n    "address" : "str",    (string) The receiving address\n    "amount" : n,         (numeric) The total amount in BTC received by the address\n    "confirmations" : n,  (numeric) The number of confirmations of the most recent transaction included\n    "label" : "str",      (string) The label of the receiving address. The default label is ""\n    "txids" : [ "hex" ]   (json array)\n  },\n  ...\n]',
  examples: ['', '6 true', '6 true true "" true'],
  handler: (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const filter = args.isNull(3) ? '' : args.str(3);
    if (filter !== '' && !decodeDestination(filter, ctx.network.addressPrefixes).ok) {
      throw new RpcError(RpcErrorCode.RPC_WALLET_ERROR, 'address_filter parameter was invalid');
    }
    // Core's ParseIncludeWatchonly: on by default in a wallet without private keys.
    const includeWatchOnly = args.isNull(2) ? !wallet.info().privateKeysEnabled : args.bool(2);
    const entries = wallet.listReceivedByAddress({
      minConf: args.int(0),
      includeEmpty: args.bool(1),
      includeWatchOnly,
      ...(filter === '' ? {} : { address: filter }),
      includeImmatureCoinbase: args.bool(4),
    });
    return entries.map((e) => ({
      ...(e.involvesWatchonly ? { involvesWatchonly: true } : {}),
      address: e.address,
      amount: new Amount(e.amount),
      confirmations: e.confirmations,
      label: e.label,
      txids: e.txids,
    }));
  },
};
