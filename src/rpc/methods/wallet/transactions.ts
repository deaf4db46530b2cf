import type { WalletTx, WalletTxDetail, WalletTxEntry, WalletTxStatus } from '../../../wallet/api.js';
import type { RpcContext } from '../../context.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import { Amount } from '../../json/amount.js';
import { transactionJson } from '../../json/transaction.js';
import { parseHash } from '../../params.js';
import type { RpcMethod } from '../../registry.js';
import { includeWatchonlyParam, labelFromValue, engine, walletForRequest } from './wallet-context.js';

/**
 * The wallet's history (Core's wallet/rpc/transactions.cpp): listtransactions and gettransaction,
 * with Core's member order (ListTransactions entries, then WalletTxToJSON's fields).
 */

type Method = RpcMethod<RpcContext>;
type Json = Record<string, unknown>;

/** One ListTransactions entry's own members: address, category, amount, label, vout (and fee). */
function detailJson(d: WalletTxDetail): Json {
  const json: Json = {};
  if (d.involvesWatchonly) json.involvesWatchonly = true;
  if (d.address !== undefined) json.address = d.address;
  json.category = d.category;
  json.amount = new Amount(d.amount);
  if (d.label !== undefined) json.label = d.label;
  json.vout = d.vout;
  if (d.category === 'send') json.fee = new Amount(d.fee ?? 0);
  return json;
}

/** Core's WalletTxToJSON. */
function walletTxJson(t: WalletTxStatus, json: Json): void {
  json.confirmations = t.confirmations;
  if (t.generated) json.generated = true;
  if (t.blockHash !== undefined) {
    json.blockhash = t.blockHash;
    if (t.blockHeight !== undefined) json.blockheight = t.blockHeight;
    if (t.blockIndex !== undefined) json.blockindex = t.blockIndex;
    if (t.blockTime !== undefined) json.blocktime = t.blockTime;
  } else {
    json.trusted = t.trusted ?? false;
  }
  json.txid = t.txid;
  json.wtxid = t.wtxid;
  json.walletconflicts = [...t.walletConflicts];
  json.mempoolconflicts = [];
  json.time = t.time;
  json.timereceived = t.timeReceived;
  json['bip125-replaceable'] = t.replaceable;
  // mapValue entries in Core's (std::map key) order: "comment", "replaced_by_txid", "replaces_txid", "to".
  if (t.comment !== undefined) json.comment = t.comment;
  if (t.replacedBy !== undefined) json.replaced_by_txid = t.replacedBy;
  if (t.replaces !== undefined) json.replaces_txid = t.replaces;
  if (t.commentTo !== undefined) json.to = t.commentTo;
}

export function listEntryJson(e: WalletTxEntry): Json {
  const json = detailJson(e);
  walletTxJson(e, json);
  if (e.category === 'send') json.abandoned = e.abandoned ?? false;
  return json;
}

export const listtransactions: Method = {
  name: 'listtransactions',
  category: 'wallet',
  params: [
    {
      name: 'label|dummy',
      type: 'string',
      defaultHint: '"*"',
      description:
        'If set, should be a valid label name to return only incoming transactions\nwith the specified label, or "*" to disable filtering and return all transactions.',
    },
    { name: 'count', type: 'number', default: 10, description: 'The number of transactions to return' },
    { name: 'skip', type: 'number', default: 0, description: 'The number of transactions to skip' },
    includeWatchonlyParam('(DEPRECATED) No longer used'),
  ],
  description:
    'If a label name is provided, this will return only incoming transactions paying to addresses with the specified label.\n\n' +
    "Returns up to 'count' most recent transactions skipping the first 'from' transactions.",
  result: '[ { "address", "category", "amount", "label", "vout", "fee", "confirmations", ... }, ... ]',
  examples: ['', '"*" 20 100'],
  handler: (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    let label: string | undefined;
    if (!args.isNull(0) && args.str(0) !== '*') {
      label = labelFromValue(args.raw(0));
      if (label === '') {
        throw new RpcError(
          RpcErrorCode.RPC_INVALID_PARAMETER,
          'Label argument must be a valid label name or "*".',
        );
      }
    }
    const count = args.int(1);
    const skip = args.int(2);
    if (count < 0) throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Negative count');
    if (skip < 0) throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Negative from');
    // Descriptor wallets count watch-only descriptors as their own: include_watchonly changes nothing.
    return wallet.listTransactions(label, count, skip, true).map(listEntryJson);
  },
};

export function getTransactionJson(ctx: RpcContext, wtx: WalletTx, verbose: boolean): Json {
  const json: Json = { amount: new Amount(wtx.amount) };
  if (wtx.fee !== undefined) json.fee = new Amount(wtx.fee);
  walletTxJson(wtx, json);
  json.details = wtx.details.map((d) => {
    const entry = detailJson(d);
    if (d.category === 'send') entry.abandoned = d.abandoned ?? false;
    return entry;
  });
  json.hex = wtx.hex;
  if (verbose) json.decoded = transactionJson(wtx.tx, ctx.network.addressPrefixes);
  return json;
}

export const gettransaction: Method = {
  name: 'gettransaction',
  category: 'wallet',
  params: [
    { name: 'txid', type: 'string', required: true, description: 'The transaction id' },
    includeWatchonlyParam('(DEPRECATED) No longer used'),
    {
      name: 'verbose',
      type: 'boolean',
      default: false,
      description:
        'Whether to include a `decoded` field containing the decoded transaction (equivalent to RPC decoderawtransaction)',
    },
  ],
  description: 'Get detailed information about in-wallet transaction <txid>',
  result:
    '{ "amount", "fee", "confirmations", "blockhash", "blockheight", "blockindex", "blocktime", "txid", "wtxid", "walletconflicts", "time", "timereceived", "bip125-replaceable", "details" : [...], "hex", "decoded", "lastprocessedblock" }',
  examples: ['"1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d"'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    parseHash(args.raw(0), 'txid');
    const txid = args.str(0).toLowerCase();
    const wtx = await engine(() => wallet.getTransaction(txid, true));
    const json = getTransactionJson(ctx, wtx, args.bool(2));
    json.lastprocessedblock = { ...wallet.info().lastProcessedBlock };
    return json;
  },
};
