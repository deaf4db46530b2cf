import { toDisplayHex } from '../../../encoding/hex.js';
import type { CoinRef } from '../../../wallet/api.js';
import { isJsonObject, toInt32 } from '../../args.js';
import type { RpcContext } from '../../context.js';
import { jsonTypeName, RpcError, RpcErrorCode, typeError } from '../../errors.js';
import { parseHash } from '../../params.js';
import type { RpcMethod } from '../../registry.js';
import { engine, walletForRequest } from './wallet-context.js';

/** Coin locks (Core's wallet/rpc/coins.cpp lockunspent and listlockunspent). */

type Method = RpcMethod<RpcContext>;

/** One {"txid", "vout"} object, checked as Core's RPCTypeCheckObj and ParseHashO do. */
function coinRef(value: unknown): CoinRef {
  if (!isJsonObject(value)) throw typeError(value, 'object');
  for (const [key, type] of [
    ['txid', 'string'],
    ['vout', 'number'],
  ] as const) {
    const v = value[key];
    if (v === undefined) throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, `Missing ${key}`);
    if (jsonTypeName(v) !== type) {
      throw new RpcError(
        RpcErrorCode.RPC_TYPE_ERROR,
        `JSON value of type ${jsonTypeName(v)} for field ${key} is not of expected type ${type}`,
      );
    }
  }
  const txid = toDisplayHex(parseHash(value.txid, 'txid'));
  const vout = toInt32(value.vout);
  if (vout < 0)
    throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Invalid parameter, vout cannot be negative');
  return { txid, vout };
}

export const lockunspent: Method = {
  name: 'lockunspent',
  category: 'wallet',
  params: [
    {
      name: 'unlock',
      type: 'boolean',
      required: true,
      description: 'Whether to unlock (true) or lock (false) the specified transactions',
    },
    {
      name: 'transactions',
      type: 'array',
      default: [],
      description: 'The transaction outputs and within each, the txid (string) vout (numeric).',
    },
    {
      name: 'persistent',
      type: 'boolean',
      default: false,
      description:
        'Whether to write/erase this lock in the wallet database, or keep the change in memory only. Ignored for unlocking.',
    },
  ],
  description:
    'Updates list of temporarily unspendable outputs.\n' +
    'Temporarily lock (unlock=false) or unlock (unlock=true) specified transaction outputs.\n' +
    'If no transaction outputs are specified when unlocking then all current locked transaction outputs are unlocked.\n' +
    'A locked transaction output will not be chosen by automatic coin selection, when spending bitcoins.\n' +
    'Manually selected coins are automatically unlocked.\n' +
    'Locks are stored in memory only, unless persistent=true, in which case they will be written to the\n' +
    'wallet database and loaded on node start. Unwritten (persistent=false) locks are always cleared\n' +
    '(by virtue of process exit) when a node stops or fails. Unlocking will clear both persistent and not.\n' +
    'Also see the listunspent call',
  result: 'true|false    (boolean) Whether the command was successful or not',
  examples: [
    'false "[{\\"txid\\":\\"a08e6907dbbd3d809776dbfc5d82e371b764ed838b5655e72f463568df1aadf0\\",\\"vout\\":1}]"',
  ],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const unlock = args.bool(0);
    const persistent = args.isNull(2) ? false : args.bool(2);
    const coins = args.isNull(1) ? undefined : args.array(1).map(coinRef);
    await engine(() => wallet.lockUnspent(unlock, coins, persistent));
    return true;
  },
};

export const listlockunspent: Method = {
  name: 'listlockunspent',
  category: 'wallet',
  params: [],
  description:
    'Returns list of temporarily unspendable outputs.\nSee the lockunspent call to lock and unlock transactions for spending.',
  result:
    '[\n  {\n    "txid" : "hex",    (string) The transaction id locked\n    "vout" : n         (numeric) The vout value\n  },\n  ...\n]',
  examples: [''],
  handler: (ctx, _args, call) =>
    walletForRequest(ctx, call)
      .listLockUnspent()
      .map((c) => ({ txid: c.txid, vout: c.vout })),
};
