import { toHex } from '../../../encoding/hex.js';
import { type AddressInfo, WALLET_MESSAGES, WalletError } from '../../../wallet/api.js';
import type { RpcContext } from '../../context.js';
import { decodeDestination } from '../../destination.js';
import { RpcError, RpcErrorCode, typeError } from '../../errors.js';
import type { RpcMethod } from '../../registry.js';
import { parseMultisigType } from '../multisig.js';
import { engine, labelFromValue, parseAddressType, rpcErrorOf, walletForRequest } from './wallet-context.js';

/**
 * Address methods (Core's wallet/rpc/addresses.cpp): new receive and change addresses, what the
 * wallet knows about an address, and multisig addresses.
 */

type Method = RpcMethod<RpcContext>;
type Json = Record<string, unknown>;

/**
 * Core's getnewaddress/getrawchangeaddress check CanGetAddresses first and report a wallet without
 * keys as RPC_WALLET_ERROR (-4); RPC_WALLET_KEYPOOL_RAN_OUT (-12) is only for an exhausted keypool.
 */
async function newAddress(fn: () => Promise<string>): Promise<string> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WalletError && err.message === WALLET_MESSAGES.KEYPOOL_RAN_OUT) {
      throw new RpcError(RpcErrorCode.RPC_WALLET_ERROR, err.message);
    }
    throw rpcErrorOf(err);
  }
}

const addressTypeParam = {
  name: 'address_type',
  type: 'string',
  defaultHint: 'set by -addresstype',
  description: 'The address type to use. Options are "legacy", "p2sh-segwit", "bech32", and "bech32m".',
} as const;

export const getnewaddress: Method = {
  name: 'getnewaddress',
  category: 'wallet',
  params: [
    {
      name: 'label',
      type: 'string',
      default: '',
      description:
        'The label name for the address to be linked to. It can also be set to the empty string "" to represent the default label. The label does not need to exist, it will be created if there is no label by the given name.',
    },
    addressTypeParam,
  ],
  description:
    'Returns a new Bitcoin address for receiving payments.\n' +
    "If 'label' is specified, it is added to the address book\n" +
    "so payments received with the address will be associated with 'label'.",
  result: '"str"    (string) The new bitcoin address',
  examples: ['', '"label"'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const label = labelFromValue(args.raw(0));
    const type = args.isNull(1) ? undefined : parseAddressType(args.raw(1));
    return newAddress(() => wallet.getNewAddress(label, type));
  },
};

export const getrawchangeaddress: Method = {
  name: 'getrawchangeaddress',
  category: 'wallet',
  params: [{ ...addressTypeParam, defaultHint: 'set by -changetype' }],
  description:
    'Returns a new Bitcoin address, for receiving change.\n' +
    'This is for use with raw transactions, NOT normal use.',
  result: '"str"    (string) The address',
  examples: [''],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const type = args.isNull(0) ? undefined : parseAddressType(args.raw(0));
    return newAddress(() => wallet.getRawChangeAddress(type));
  },
};

/** Core's DescribeWalletAddress detail: script type, hex, keys, or the embedded address. */
function detailJson(
  info: Omit<AddressInfo, 'embedded' | 'labels' | 'isMine' | 'isWatchOnly' | 'isChange'>,
): Json {
  const json: Json = { isscript: info.isScript, iswitness: info.isWitness };
  if (info.witnessVersion !== undefined) json.witness_version = info.witnessVersion;
  if (info.witnessProgram !== undefined) json.witness_program = toHex(info.witnessProgram);
  if (info.script !== undefined) json.script = info.script;
  if (info.hex !== undefined) json.hex = toHex(info.hex);
  if (info.sigsRequired !== undefined) json.sigsrequired = info.sigsRequired;
  if (info.pubkeys !== undefined) json.pubkeys = info.pubkeys.map(toHex);
  if (info.pubkey !== undefined) {
    json.pubkey = toHex(info.pubkey);
    json.iscompressed = info.isCompressed ?? info.pubkey.length === 33;
  }
  return json;
}

/** getaddressinfo's JSON, in Core's member order. */
export function addressInfoJson(info: AddressInfo): Json {
  const json: Json = {
    address: info.address,
    scriptPubKey: toHex(info.scriptPubKey),
    ismine: info.isMine,
    solvable: info.solvable,
  };
  if (info.solvable && info.desc !== undefined) json.desc = info.desc;
  json.iswatchonly = info.isWatchOnly;
  Object.assign(json, detailJson(info));
  if (info.embedded !== undefined) {
    const e = info.embedded;
    const embedded = { ...detailJson(e), address: e.address, scriptPubKey: toHex(e.scriptPubKey) };
    // Core reports the embedded key at the top level too, so getaddressinfo(...).pubkey always works.
    if (e.pubkey !== undefined) json.pubkey = toHex(e.pubkey);
    json.embedded = embedded;
  }
  json.ischange = info.isChange;
  // Core's descriptor wallets write hardened steps with 'h' (WriteHDKeypath, apostrophe=false).
  if (info.hdKeyPath !== undefined) json.hdkeypath = info.hdKeyPath;
  if (info.hdMasterFingerprint !== undefined) json.hdmasterfingerprint = info.hdMasterFingerprint;
  json.labels = [...info.labels];
  return json;
}

/** Core's DecodeDestination check with the decoder's own message (getaddressinfo, validateaddress). */
export function requireAddress(ctx: RpcContext, value: unknown): string {
  if (typeof value !== 'string') throw typeError(value, 'string');
  const decoded = decodeDestination(value, ctx.network.addressPrefixes);
  if (!decoded.ok) {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY,
      decoded.error === '' ? 'Invalid address' : decoded.error,
    );
  }
  return value;
}

export const getaddressinfo: Method = {
  name: 'getaddressinfo',
  category: 'wallet',
  params: [
    {
      name: 'address',
      type: 'string',
      required: true,
      description: 'The bitcoin address for which to get information.',
    },
  ],
  description:
    'Return information about the given bitcoin address.\n' +
    'Some of the information will only be present if the address is in the active wallet.',
  result:
    '{ "address", "scriptPubKey", "ismine", "solvable", "desc", "iswatchonly", "isscript", "iswitness", "witness_version", "witness_program", "script", "hex", "pubkeys", "sigsrequired", "pubkey", "embedded", "iscompressed", "ischange", "hdkeypath", "hdmasterfingerprint", "labels" }',
  examples: ['"bcrt1q09vm5lfy0j5reeulh4x5752q25uqqvz34hufdl"'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const address = requireAddress(ctx, args.raw(0));
    return addressInfoJson(await engine(() => wallet.getAddressInfo(address)));
  },
};

export const addmultisigaddress: Method = {
  name: 'addmultisigaddress',
  category: 'wallet',
  params: [
    {
      name: 'nrequired',
      type: 'number',
      required: true,
      description: 'The number of required signatures out of the n keys or addresses.',
    },
    {
      name: 'keys',
      type: 'array',
      required: true,
      description: 'The bitcoin addresses or hex-encoded public keys',
      oneline: '["key",...]',
    },
    { name: 'label', type: 'string', description: 'A label to assign the addresses to.' },
    { ...addressTypeParam, defaultHint: 'set by -addresstype' },
  ],
  description:
    'Add an nrequired-to-sign multisignature address to the wallet. Requires a new wallet backup.\n' +
    'Each key is a Bitcoin address or hex-encoded public key.\n' +
    'This functionality is only intended for use with non-watchonly addresses.\n' +
    'See `importaddress` for watchonly p2sh address support.\n' +
    "If 'label' is specified, assign address to that label.",
  result: '{ "address", "redeemScript", "descriptor", "warnings" }',
  examples: ['2 \'["bcrt1q...","bcrt1q..."]\''],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const required = args.int(0);
    const keys = args.array(1).map((k) => {
      if (typeof k !== 'string') throw typeError(k, 'string');
      return k;
    });
    const label = args.isNull(2) ? undefined : labelFromValue(args.raw(2));
    const type = args.isNull(3) ? 'legacy' : parseMultisigType(args.raw(3), 'addmultisigaddress');
    const made = await engine(() => wallet.addMultisigAddress(required, keys, label, type));
    return { address: made.address, redeemScript: toHex(made.redeemScript), descriptor: made.descriptor };
  },
};

export const importaddress: Method = {
  name: 'importaddress',
  category: 'wallet',
  params: [
    {
      name: 'address',
      type: 'string',
      required: true,
      description: 'The Bitcoin address (or hex-encoded script)',
    },
    { name: 'label', type: 'string', default: '', description: 'An optional label' },
    {
      name: 'rescan',
      type: 'boolean',
      default: true,
      description: 'Scan the chain and mempool for wallet transactions.',
    },
    {
      name: 'p2sh',
      type: 'boolean',
      default: false,
      description: 'Add the P2SH version of the script as well',
    },
  ],
  description:
    'Adds an address or script (in hex) that can be watched as if it were in your wallet but cannot be used to spend. Requires a new wallet backup.',
  result: 'null',
  examples: ['"myaddress"', '"myaddress" "testing" false'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const target = args.str(0);
    const label = labelFromValue(args.raw(1));
    await engine(() => wallet.importAddress(target, label, args.bool(2), args.bool(3)));
    return null;
  },
};
