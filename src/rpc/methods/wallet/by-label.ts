import type { ReceivedByAddress, WalletApi } from '../../../wallet/api.js';
import type { RpcContext } from '../../context.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import { Amount } from '../../json/amount.js';
import type { RpcMethod } from '../../registry.js';
import {
  INCLUDE_IMMATURE_COINBASE_PARAM,
  includeWatchonlyParam,
  labelFromValue,
  minconfParam,
  walletForRequest,
} from './wallet-context.js';

/**
 * What a back office asks of the address book by customer label (Core's wallet/rpc/addresses.cpp
 * getaddressesbylabel, wallet/rpc/coins.cpp getreceivedbylabel and wallet/rpc/transactions.cpp
 * listreceivedbylabel). All three read the wallet's listreceivedbyaddress rows, which come in
 * Core's address-book order with each address's label and tally.
 */

type Method = RpcMethod<RpcContext>;

/**
 * Every address-book row; a minimum depth no transaction reaches skips the tally, so this costs a
 * depth comparison per wallet transaction plus the book itself.
 */
function addressBook(wallet: WalletApi): ReceivedByAddress[] {
  return wallet.listReceivedByAddress({
    minConf: Number.MAX_SAFE_INTEGER,
    includeEmpty: true,
    includeWatchOnly: true,
    includeImmatureCoinbase: true,
  });
}

/** Core's IsMine for an address-book address: one of the wallet's own scripts (watch-only too). */
function isOwn(wallet: WalletApi, address: string): boolean {
  const info = wallet.getAddressInfo(address);
  return info.isMine || info.isWatchOnly;
}

/** std::map<std::string, …> order: the labels' bytes. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

export const getaddressesbylabel: Method = {
  name: 'getaddressesbylabel',
  category: 'wallet',
  params: [{ name: 'label', type: 'string', required: true, description: 'The label.' }],
  description: 'Returns the list of addresses assigned the specified label.',
  result:
    '{                         (json object) json object with addresses as keys\n  "address" : {           (json object) json object with information about address\n    "purpose" : "str"     (string) Purpose of address ("send" for sending address, "receive" for receiving address)\n  },\n  ...\n}',
  examples: ['"tabby"'],
  handler: (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const label = labelFromValue(args.raw(0));
    const ret: Record<string, { purpose: string }> = {};
    for (const row of addressBook(wallet)) {
      if (row.label !== label) continue;
      ret[row.address] = { purpose: isOwn(wallet, row.address) ? 'receive' : 'send' };
    }
    if (Object.keys(ret).length === 0) {
      throw new RpcError(RpcErrorCode.RPC_WALLET_INVALID_LABEL_NAME, `No addresses with label ${label}`);
    }
    return ret;
  },
};

export const getreceivedbylabel: Method = {
  name: 'getreceivedbylabel',
  category: 'wallet',
  params: [
    {
      name: 'label',
      type: 'string',
      required: true,
      description: 'The selected label, may be the default label using "".',
    },
    minconfParam('Only include transactions confirmed at least this many times.'),
    INCLUDE_IMMATURE_COINBASE_PARAM,
  ],
  description:
    'Returns the total amount received by addresses with <label> in transactions with at least [minconf] confirmations.',
  result: 'n    (numeric) The total amount in BTC received for this label.',
  examples: ['""', '"tabby" 0', '"tabby" 6', '"tabby" 6 true'],
  handler: (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const label = labelFromValue(args.raw(0));
    // Core's GetReceived: the label's addresses that are the wallet's own, or an error when none is.
    const own = addressBook(wallet).filter((row) => row.label === label && isOwn(wallet, row.address));
    if (own.length === 0) throw new RpcError(RpcErrorCode.RPC_WALLET_ERROR, 'Address not found in wallet');
    const addresses = new Set(own.map((row) => row.address));
    const rows = wallet.listReceivedByAddress({
      minConf: args.int(1),
      includeEmpty: false,
      includeWatchOnly: true,
      includeImmatureCoinbase: args.bool(2),
    });
    let total = 0;
    for (const row of rows) if (addresses.has(row.address)) total += row.amount;
    return new Amount(total);
  },
};

export const listreceivedbylabel: Method = {
  name: 'listreceivedbylabel',
  category: 'wallet',
  params: [
    minconfParam('The minimum number of confirmations before payments are included.'),
    {
      name: 'include_empty',
      type: 'boolean',
      default: false,
      description: "Whether to include labels that haven't received any payments.",
    },
    includeWatchonlyParam("Whether to include watch-only addresses (see 'importaddress')"),
    INCLUDE_IMMATURE_COINBASE_PARAM,
  ],
  description: 'List received transactions by label.',
  result:
    '[\n  {\n    "involvesWatchonly" : true|false, (boolean, optional) Only returns true if imported addresses were involved in transaction\n    "amount" : n,           (numeric) The total amount received by addresses with this label\n    "confirmations" : n,    (numeric) The number of confirmations of the most recent transaction included\n    "label" : "str"         (string) The label of the receiving address. The default label is ""\n  },\n  ...\n]',
  examples: ['', '6 true', '6 true true true'],
  handler: (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    // Core's ParseIncludeWatchonly: on by default in a wallet without private keys.
    const includeWatchOnly = args.isNull(2) ? !wallet.info().privateKeysEnabled : args.bool(2);
    const rows = wallet.listReceivedByAddress({
      minConf: args.int(0),
      includeEmpty: args.bool(1),
      includeWatchOnly,
      includeImmatureCoinbase: args.bool(3),
    });
    const tally = new Map<string, { amount: number; conf: number; watchOnly: boolean }>();
    for (const row of rows) {
      let item = tally.get(row.label);
      if (item === undefined) {
        item = { amount: 0, conf: Number.MAX_SAFE_INTEGER, watchOnly: false };
        tally.set(row.label, item);
      }
      item.amount += row.amount;
      // An address that received nothing (listed for include_empty) has no txids and no depth.
      if (row.txids.length > 0) item.conf = Math.min(item.conf, row.confirmations);
      // Core assigns rather than ORs: the label's last address in book order decides.
      item.watchOnly = row.involvesWatchonly;
    }
    return [...tally.entries()]
      .sort(([a], [b]) => byteOrder(a, b))
      .map(([label, item]) => ({
        ...(item.watchOnly ? { involvesWatchonly: true } : {}),
        amount: new Amount(item.amount),
        confirmations: item.conf === Number.MAX_SAFE_INTEGER ? 0 : item.conf,
        label,
      }));
  },
};
