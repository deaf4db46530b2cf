import { toDisplayHex, toHex } from '../../../encoding/hex.js';
import { WalletError } from '../../../wallet/api.js';
import type { FundedPsbtRequest, SignRawPrevTx } from '../../../wallet/api.js';
import { isJsonObject, toInt32 } from '../../args.js';
import type { RpcContext } from '../../context.js';
import { RpcError, RpcErrorCode, typeError } from '../../errors.js';
import { Amount } from '../../json/amount.js';
import { amountFromValue, parseHash, parseHex } from '../../params.js';
import type { RpcMethod } from '../../registry.js';
import { decodeTransactionHex } from '../../tx-decode.js';
import { decodePsbtArg, finalizeAndExtract, parseSighash } from '../psbt.js';
import { signingParams } from '../psbt-sign.js';
import { fundingOptions } from './funding-options.js';
import { engine, ensureUnlocked, rpcErrorOf, walletForRequest } from './wallet-context.js';

/**
 * The wallet's PSBT and raw-signing methods (Core's wallet/rpc/spend.cpp walletcreatefundedpsbt,
 * walletprocesspsbt, signrawtransactionwithwallet).
 */

type Method = RpcMethod<RpcContext>;

export const walletcreatefundedpsbt: Method = {
  name: 'walletcreatefundedpsbt',
  category: 'wallet',
  params: [
    {
      name: 'inputs',
      type: 'array',
      description: 'Leave empty to add inputs automatically. See add_inputs option.',
      oneline: '[{"txid":"hex","vout":n,"sequence":n},...]',
    },
    {
      name: 'outputs',
      type: 'any',
      helpType: 'json array',
      required: true,
      description: 'The outputs specified as key-value pairs.',
      oneline: '[{"address":amount,...},...]',
    },
    {
      name: 'locktime',
      type: 'number',
      default: 0,
      description: 'Raw locktime. Non-0 value also locktime-activates inputs',
    },
    {
      name: 'options',
      type: 'object',
      description:
        'Options: add_inputs, include_unsafe, minconf, maxconf, changeAddress, changePosition, change_type, includeWatching, lockUnspents, fee_rate, feeRate, subtractFeeFromOutputs, replaceable, conf_target, estimate_mode',
      oneline: '{...}',
    },
    {
      name: 'bip32derivs',
      type: 'boolean',
      default: true,
      description: 'Include BIP 32 derivation paths for public keys if we know them',
    },
  ],
  description:
    'Creates and funds a transaction in the Partially Signed Transaction format.\n' +
    'Implements the Creator and Updater roles.\n' +
    'All existing inputs must either have their previous output transaction be in the wallet\n' +
    'or be in the UTXO set. Solving data must be provided for non-wallet inputs.',
  result: '{ "psbt", "fee", "changepos" }',
  examples: ['\'[{"txid":"myid","vout":0}]\' \'[{"data":"00010203"}]\''],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const req: FundedPsbtRequest = fundingOptions(ctx, {
      inputs: args.raw(0),
      outputs: args.raw(1),
      locktime: args.raw(2),
      options: args.isNull(3) ? {} : args.object(3),
    });
    // Core's ParseIncludeWatchonly: watch-only coins count by default in a wallet without keys.
    req.includeWatching ??= !wallet.info().privateKeysEnabled;
    try {
      const funded = await wallet.createFundedPsbt(req);
      return { psbt: funded.psbt.toBase64(), fee: new Amount(funded.fee), changepos: funded.changePos };
    } catch (err) {
      // Core's FundTransaction reports every funding failure as RPC_WALLET_ERROR (-4).
      if (err instanceof WalletError && err.code === 'INSUFFICIENT_FUNDS') {
        throw new RpcError(RpcErrorCode.RPC_WALLET_ERROR, err.message);
      }
      throw rpcErrorOf(err);
    }
  },
};

export const walletprocesspsbt: Method = {
  name: 'walletprocesspsbt',
  category: 'wallet',
  params: [
    { name: 'psbt', type: 'string', required: true, description: 'The transaction base64 string' },
    {
      name: 'sign',
      type: 'boolean',
      default: true,
      description: 'Also sign the transaction when updating (requires wallet to be unlocked)',
    },
    ...signingParams,
  ],
  description:
    'Update a PSBT with input information from our wallet and then sign inputs\n' +
    'that we can sign for.\n' +
    'Requires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.',
  result: '{ "psbt", "complete", "hex" }',
  examples: ['"psbt"'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const psbt = decodePsbtArg(args.raw(0));
    const sighashType = parseSighash(args.isNull(2) ? null : args.raw(2));
    const sign = args.bool(1);
    if (sign) ensureUnlocked(wallet);
    const processed = await engine(() =>
      wallet.processPsbt(psbt, { sign, sighashType, bip32Derivs: args.bool(3), finalize: args.bool(4) }),
    );
    const json: Record<string, unknown> = { psbt: processed.psbt.toBase64(), complete: processed.complete };
    if (processed.complete) {
      const { tx } = finalizeAndExtract(processed.psbt.clone());
      if (tx !== undefined) json.hex = toHex(tx.encode(true));
    }
    return json;
  },
};

/** Core's RPCTypeCheckObj message for a member of the wrong type or a missing one. */
function member(o: Record<string, unknown>, key: string, type: 'string' | 'number'): unknown {
  const v = o[key];
  if (v === undefined || v === null) throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, `Missing ${key}`);
  if (typeof v !== type) {
    const got = Array.isArray(v)
      ? 'array'
      : typeof v === 'boolean'
        ? 'bool'
        : typeof v === 'object'
          ? 'object'
          : typeof v;
    throw new RpcError(
      RpcErrorCode.RPC_TYPE_ERROR,
      `JSON value of type ${got} for field ${key} is not of expected type ${type}`,
    );
  }
  return v;
}

/** Core's ParsePrevouts (without a keystore: redeem and witness scripts are passed on as given). */
function parsePrevTxs(value: unknown): SignRawPrevTx[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw typeError(value, 'array');
  return value.map((p) => {
    if (!isJsonObject(p)) {
      throw new RpcError(
        RpcErrorCode.RPC_DESERIALIZATION_ERROR,
        'expected object with {"txid\'","vout","scriptPubKey"}',
      );
    }
    member(p, 'txid', 'string');
    member(p, 'vout', 'number');
    member(p, 'scriptPubKey', 'string');
    const txid = toDisplayHex(parseHash(p.txid, 'txid'));
    const vout = toInt32(p.vout);
    if (vout < 0) throw new RpcError(RpcErrorCode.RPC_DESERIALIZATION_ERROR, 'vout cannot be negative');
    const prev: SignRawPrevTx = { txid, vout, scriptPubKey: parseHex(p.scriptPubKey, 'scriptPubKey') };
    if (p.redeemScript !== undefined && p.redeemScript !== null)
      prev.redeemScript = parseHex(p.redeemScript, 'redeemScript');
    if (p.witnessScript !== undefined && p.witnessScript !== null)
      prev.witnessScript = parseHex(p.witnessScript, 'witnessScript');
    if (p.amount !== undefined && p.amount !== null) prev.amount = amountFromValue(p.amount);
    return prev;
  });
}

export const signrawtransactionwithwallet: Method = {
  name: 'signrawtransactionwithwallet',
  category: 'wallet',
  params: [
    { name: 'hexstring', type: 'string', required: true, description: 'The transaction hex string' },
    {
      name: 'prevtxs',
      type: 'array',
      description: 'The previous dependent transaction outputs',
      oneline:
        '[{"txid":"hex","vout":n,"scriptPubKey":"hex","redeemScript":"hex","witnessScript":"hex","amount":amount},...]',
    },
    {
      name: 'sighashtype',
      type: 'string',
      defaultHint: 'DEFAULT for Taproot, ALL otherwise',
      description:
        'The signature hash type. Must be one of\n"DEFAULT"\n"ALL"\n"NONE"\n"SINGLE"\n"ALL|ANYONECANPAY"\n"NONE|ANYONECANPAY"\n"SINGLE|ANYONECANPAY"',
    },
  ],
  description:
    'Sign inputs for raw transaction (serialized, hex-encoded).\n' +
    'The second optional argument (may be null) is an array of previous transaction outputs that\n' +
    'this transaction depends on but may not yet be in the block chain.\n' +
    'Requires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.',
  result:
    '{ "hex", "complete", "errors" : [ { "txid", "vout", "witness", "scriptSig", "sequence", "error" } ] }',
  examples: ['"myhex"'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const tx = decodeTransactionHex(args.str(0));
    if (tx === undefined) {
      throw new RpcError(
        RpcErrorCode.RPC_DESERIALIZATION_ERROR,
        'TX decode failed. Make sure the tx has at least one input.',
      );
    }
    ensureUnlocked(wallet);
    const prevtxs = parsePrevTxs(args.raw(1));
    const sighashType = parseSighash(args.isNull(2) ? null : args.raw(2));
    const signed = await engine(() => wallet.signRawTransaction(tx, prevtxs, sighashType));
    const json: Record<string, unknown> = { hex: toHex(signed.tx.encode(true)), complete: signed.complete };
    if (signed.errors.length > 0) json.errors = signed.errors.map((e) => ({ ...e }));
    return json;
  },
};
