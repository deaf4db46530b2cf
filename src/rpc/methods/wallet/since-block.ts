import type { RpcContext } from '../../context.js';
import { parseHash } from '../../params.js';
import type { RpcMethod } from '../../registry.js';
import { listEntryJson } from './transactions.js';
import { includeWatchonlyParam, labelFromValue, engine, walletForRequest } from './wallet-context.js';

/**
 * listsinceblock (Core's wallet/rpc/transactions.cpp): the wallet's transactions since a block,
 * the ones removed from the active chain since, and the block to ask from next time. Entries have
 * listtransactions' shape (one formatter for both).
 */

type Method = RpcMethod<RpcContext>;

export const listsinceblock: Method = {
  name: 'listsinceblock',
  category: 'wallet',
  params: [
    {
      name: 'blockhash',
      type: 'string',
      description: 'If set, the block hash to list transactions since, otherwise list all transactions.',
    },
    {
      name: 'target_confirmations',
      type: 'number',
      default: 1,
      description:
        'Return the nth block hash from the main chain. e.g. 1 would mean the best block hash. Note: this is not used as a filter, but only affects [lastblock] in the return value',
    },
    includeWatchonlyParam('(DEPRECATED) No longer used'),
    {
      name: 'include_removed',
      type: 'boolean',
      default: true,
      description:
        'Show transactions that were removed due to a reorg in the "removed" array\n(not guaranteed to work on pruned nodes)',
    },
    {
      name: 'include_change',
      type: 'boolean',
      default: false,
      description: 'Also add entries for change outputs.\n',
    },
    {
      name: 'label',
      type: 'string',
      description: 'Return only incoming transactions paying to addresses with the specified label.\n',
    },
  ],
  description:
    'Get all transactions in blocks since block [blockhash], or all transactions if omitted.\n' +
    'If "blockhash" is no longer a part of the main chain, transactions from the fork point onward are included.\n' +
    'Additionally, if include_removed is set, transactions affecting the wallet which were removed are returned in the "removed" array.',
  result:
    '{\n  "transactions" : [ { "address", "category", "amount", "label", "vout", "fee", "confirmations", ... }, ... ],\n' +
    '  "removed" : [ ... ],      (json array, optional) <structure is the same as "transactions" above, only present if include_removed=true>\n' +
    '  "lastblock" : "hex"      (string) The hash of the block (target_confirmations-1) from the best block on the main chain, or the genesis hash if the referenced block does not exist yet.\n}',
  examples: ['', '"000000000000000bacf66f7497b7dc45ef753ee9a7d38571037cdb1a57f663ad" 6'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    let blockHash: string | undefined;
    if (!args.isNull(0) && args.str(0) !== '') {
      parseHash(args.raw(0), 'blockhash');
      blockHash = args.str(0).toLowerCase();
    }
    const targetConfirmations = args.int(1);
    // Descriptor wallets count watch-only descriptors as their own: include_watchonly changes
    // nothing (as in listtransactions), but must still be a boolean.
    if (!args.isNull(2)) args.bool(2);
    const includeRemoved = args.bool(3);
    const includeChange = args.bool(4);
    const label = args.isNull(5) ? undefined : labelFromValue(args.raw(5));
    const result = await engine(() =>
      wallet.listSinceBlock({
        ...(blockHash === undefined ? {} : { blockHash }),
        targetConfirmations,
        includeRemoved,
        includeChange,
        ...(label === undefined ? {} : { label }),
      }),
    );
    return {
      transactions: result.transactions.map(listEntryJson),
      ...(includeRemoved ? { removed: result.removed.map(listEntryJson) } : {}),
      lastblock: result.lastBlock,
    };
  },
};
