import { toHex } from '../../../encoding/hex.js';
import type { UnspentFilter, WalletApi } from '../../../wallet/api.js';
import type { RpcContext } from '../../context.js';
import { decodeDestination } from '../../destination.js';
import { RpcError, RpcErrorCode, typeError } from '../../errors.js';
import { Amount } from '../../json/amount.js';
import { amountFromValue } from '../../params.js';
import type { RpcMethod } from '../../registry.js';
import {
  INCLUDE_IMMATURE_COINBASE_PARAM,
  includeWatchonlyParam,
  minconfParam,
  engine,
  walletForRequest,
} from './wallet-context.js';

/**
 * Balances and coins (Core's wallet/rpc/coins.cpp): getbalance, getbalances, listunspent,
 * getreceivedbyaddress. Tally's wallet is descriptor-only, where Core counts every output a
 * descriptor of the wallet produces as "mine" (watch-only descriptors included), so balances
 * include watch-only outputs as Core's descriptor wallets do.
 */

type Method = RpcMethod<RpcContext>;

/** Core's COINBASE_MATURITY: a coinbase output is spendable at depth 101. */
const COINBASE_MATURITY = 100;

export const getbalance: Method = {
  name: 'getbalance',
  category: 'wallet',
  params: [
    {
      name: 'dummy',
      type: 'string',
      description: 'Remains for backward compatibility. Must be excluded or set to "*".',
    },
    {
      name: 'minconf',
      type: 'number',
      default: 0,
      description: 'Only include transactions confirmed at least this many times.',
    },
    includeWatchonlyParam('No longer used'),
    {
      name: 'avoid_reuse',
      type: 'boolean',
      default: true,
      description:
        '(only available if avoid_reuse wallet flag is set) Do not include balance in dirty outputs; addresses are considered dirty if they have previously been used in a transaction.',
    },
  ],
  description:
    'Returns the total available balance.\n' +
    'The available balance is what the wallet considers currently spendable, and is\n' +
    'thus affected by options which limit spendability such as -spendzeroconfchange.',
  result: 'n    (numeric) The total amount in BTC received for this wallet.',
  examples: ['', '"*" 6'],
  handler: (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    if (!args.isNull(0) && args.str(0) !== '*') {
      throw new RpcError(
        RpcErrorCode.RPC_METHOD_DEPRECATED,
        'dummy first argument must be excluded or set to "*".',
      );
    }
    const minConf = args.int(1);
    if (!args.isNull(3) && args.bool(3)) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_ERROR,
        'wallet does not have the "avoid reuse" feature enabled',
      );
    }
    return new Amount(wallet.balance(minConf, true));
  },
};

export const getbalances: Method = {
  name: 'getbalances',
  category: 'wallet',
  params: [],
  description: 'Returns an object with all balances in BTC.',
  result:
    '{ "mine" : { "trusted", "untrusted_pending", "immature" }, "lastprocessedblock" : { "hash", "height" } }',
  examples: [''],
  handler: (ctx, _args, call) => {
    const wallet = walletForRequest(ctx, call);
    const b = wallet.balances({ includeWatchOnly: true });
    return {
      mine: {
        trusted: new Amount(b.trusted),
        untrusted_pending: new Amount(b.untrustedPending),
        immature: new Amount(b.immature),
      },
      lastprocessedblock: { ...wallet.info().lastProcessedBlock },
    };
  },
};

/** Addresses for a filter: each valid and given once (Core's listunspent checks). */
function parseAddresses(ctx: RpcContext, value: unknown): string[] {
  if (!Array.isArray(value)) throw typeError(value, 'array');
  const seen = new Set<string>();
  return value.map((a) => {
    if (typeof a !== 'string') throw typeError(a, 'string');
    if (!decodeDestination(a, ctx.network.addressPrefixes).ok) {
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Invalid Bitcoin address: ${a}`);
    }
    if (seen.has(a))
      throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, `Invalid parameter, duplicated address: ${a}`);
    seen.add(a);
    return a;
  });
}

const QUERY_OPTIONS = new Set([
  'minimumAmount',
  'maximumAmount',
  'maximumCount',
  'minimumSumAmount',
  'include_immature_coinbase',
]);

export const listunspent: Method = {
  name: 'listunspent',
  category: 'wallet',
  params: [
    { name: 'minconf', type: 'number', default: 1, description: 'The minimum confirmations to filter' },
    { name: 'maxconf', type: 'number', default: 9999999, description: 'The maximum confirmations to filter' },
    {
      name: 'addresses',
      type: 'array',
      default: [],
      description: 'The bitcoin addresses to filter',
      oneline: '["address",...]',
    },
    {
      name: 'include_unsafe',
      type: 'boolean',
      default: true,
      description: 'Include outputs that are not safe to spend',
    },
    {
      name: 'query_options',
      type: 'object',
      description: 'JSON with query options',
      oneline: '{"minimumAmount":amount,"maximumAmount":amount,"maximumCount":n,"minimumSumAmount":amount}',
    },
  ],
  description:
    'Returns array of unspent transaction outputs\n' +
    'with between minconf and maxconf (inclusive) confirmations.\n' +
    'Optionally filter to only include txouts paid to specified addresses.',
  result:
    '[ { "txid", "vout", "address", "label", "scriptPubKey", "amount", "confirmations", "redeemScript", "witnessScript", "spendable", "solvable", "desc", "safe" }, ... ]',
  examples: ['', '6 9999999 \'["address"]\''],
  handler: (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const filter: UnspentFilter = { minConf: args.int(0), maxConf: args.int(1), includeUnsafe: args.bool(3) };
    const addresses = parseAddresses(ctx, args.value(2));
    if (addresses.length > 0) filter.addresses = addresses;
    let maximumCount = 0;
    let minimumSum: number | undefined;
    let includeImmature = false;
    if (!args.isNull(4)) {
      const o = args.object(4);
      for (const key of Object.keys(o)) {
        if (!QUERY_OPTIONS.has(key)) throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, `Unexpected key ${key}`);
      }
      if (o.minimumAmount !== undefined) filter.minAmount = amountFromValue(o.minimumAmount);
      if (o.maximumAmount !== undefined) filter.maxAmount = amountFromValue(o.maximumAmount);
      if (o.minimumSumAmount !== undefined) minimumSum = amountFromValue(o.minimumSumAmount);
      if (o.maximumCount !== undefined) {
        if (typeof o.maximumCount !== 'number' || !Number.isInteger(o.maximumCount))
          throw typeError(o.maximumCount, 'number');
        maximumCount = o.maximumCount;
      }
      if (o.include_immature_coinbase !== undefined) {
        if (typeof o.include_immature_coinbase !== 'boolean')
          throw typeError(o.include_immature_coinbase, 'bool');
        includeImmature = o.include_immature_coinbase;
      }
    }
    const out: Record<string, unknown>[] = [];
    let sum = 0;
    for (const u of wallet.listUnspent(filter)) {
      // Core's AvailableCoins skips immature coinbase outputs unless asked for them.
      if (u.coinbase && !includeImmature && u.confirmations < COINBASE_MATURITY + 1) continue;
      const json: Record<string, unknown> = { txid: u.txid, vout: u.vout };
      if (u.address !== undefined) json.address = u.address;
      if (u.label !== undefined) json.label = u.label;
      if (u.redeemScript !== undefined) json.redeemScript = toHex(u.redeemScript);
      if (u.witnessScript !== undefined) json.witnessScript = toHex(u.witnessScript);
      json.scriptPubKey = toHex(u.scriptPubKey);
      json.amount = new Amount(u.amount);
      json.confirmations = u.confirmations;
      json.spendable = u.spendable;
      json.solvable = u.solvable;
      if (u.solvable && u.desc !== undefined) json.desc = u.desc;
      json.safe = u.safe;
      out.push(json);
      sum += u.amount;
      if (maximumCount > 0 && out.length >= maximumCount) break;
      if (minimumSum !== undefined && sum >= minimumSum) break;
    }
    return out;
  },
};

/** Core's GetReceived for one address: outputs to it in transactions with enough confirmations. */
function receivedBy(wallet: WalletApi, address: string, minConf: number, includeImmature: boolean): number {
  let total = 0;
  const entries = wallet.listTransactions(undefined, Number.MAX_SAFE_INTEGER, 0, true);
  for (const e of entries) {
    if (e.address !== address || e.confirmations < minConf) continue;
    if (e.category === 'receive' || e.category === 'generate') total += e.amount;
    else if (e.category === 'immature' && includeImmature) total += e.amount;
  }
  return total;
}

export const getreceivedbyaddress: Method = {
  name: 'getreceivedbyaddress',
  category: 'wallet',
  params: [
    { name: 'address', type: 'string', required: true, description: 'The bitcoin address for transactions.' },
    minconfParam('Only include transactions confirmed at least this many times.'),
    INCLUDE_IMMATURE_COINBASE_PARAM,
  ],
  description:
    'Returns the total amount received by the given address in transactions with at least minconf confirmations.',
  result: 'n    (numeric) The total amount in BTC received at this address.',
  examples: [
    '"bcrt1q09vm5lfy0j5reeulh4x5752q25uqqvz34hufdl"',
    '"bcrt1q09vm5lfy0j5reeulh4x5752q25uqqvz34hufdl" 6',
  ],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const address = args.str(0);
    if (!decodeDestination(address, ctx.network.addressPrefixes).ok) {
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Invalid Bitcoin address');
    }
    const info = await engine(() => wallet.getAddressInfo(address));
    if (!info.isMine && !info.isWatchOnly) {
      throw new RpcError(RpcErrorCode.RPC_WALLET_ERROR, 'Address not found in wallet');
    }
    return new Amount(receivedBy(wallet, address, args.int(1), args.bool(2)));
  },
};
