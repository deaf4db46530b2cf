import { toHex } from '../../encoding/hex.js';
import { PsbtError } from '../../wallet/psbt/errors.js';
import { privateKeySigner, signPsbt } from '../../wallet/psbt/signer.js';
import type { RpcContext } from '../context.js';
import { RpcError, RpcErrorCode } from '../errors.js';
import type { RpcMethod } from '../registry.js';
import { decodePsbtArg, finalizeAndExtract, parseSighash, updateFromNode } from './psbt.js';
import { solvingDataFromDescriptors } from './psbt-descriptors.js';

/**
 * The trailing arguments of Core's PSBT signers (descriptorprocesspsbt, walletprocesspsbt):
 * sighashtype, bip32derivs, finalize.
 */
export const signingParams = [
  {
    name: 'sighashtype',
    type: 'string',
    defaultHint: 'DEFAULT for Taproot, ALL otherwise',
    description:
      'The signature hash type to sign with if not specified by the PSBT. Must be one of\n"DEFAULT"\n"ALL"\n"NONE"\n"SINGLE"\n"ALL|ANYONECANPAY"\n"NONE|ANYONECANPAY"\n"SINGLE|ANYONECANPAY"',
  },
  {
    name: 'bip32derivs',
    type: 'boolean',
    default: true,
    description: 'Include BIP 32 derivation paths for public keys if we know them',
  },
  { name: 'finalize', type: 'boolean', default: true, description: 'Also finalize inputs if possible' },
] as const;

/**
 * descriptorprocesspsbt (Core's rpc/rawtransaction.cpp): update a PSBT from the node and from
 * descriptors, and sign with the private keys those descriptors carry, without any wallet: a
 * cosigner whose key lives outside the node can still take part in a multisig.
 */
export const descriptorprocesspsbt: RpcMethod<RpcContext> = {
  name: 'descriptorprocesspsbt',
  category: 'rawtransactions',
  params: [
    { name: 'psbt', type: 'string', required: true, description: 'The transaction base64 string' },
    {
      name: 'descriptors',
      type: 'array',
      required: true,
      description:
        'An array of either strings or objects: an output descriptor, or {"desc": descriptor, "range": end or [begin,end]} (range default 1000)',
      oneline: '["",{"desc":"str","range":n or [n,n]},...]',
    },
    ...signingParams,
  ],
  description:
    'Update all segwit inputs in a PSBT with information from output descriptors, the UTXO set or the mempool.\n' +
    'Then, sign the inputs we are able to with information from the output descriptors.',
  result: '{ "psbt", "complete", "hex" }',
  examples: ['"psbt" \'["descriptor1", "descriptor2"]\''],
  handler: async (ctx, args) => {
    const psbt = decodePsbtArg(args.raw(0));
    const solving = solvingDataFromDescriptors(args.raw(1), ctx.network);
    const sighashType = parseSighash(args.isNull(2) ? null : args.raw(2));
    if (!args.bool(3)) solving.derivations = [];
    await updateFromNode(ctx, psbt, solving);
    try {
      signPsbt(
        psbt,
        solving.privateKeys.map((k) => privateKeySigner(k.privateKey, k.pubkey.length === 33)),
        { sighashType },
      );
    } catch (err) {
      if (err instanceof PsbtError) throw new RpcError(RpcErrorCode.RPC_DESERIALIZATION_ERROR, err.message);
      throw err;
    }
    const json: Record<string, unknown> = {};
    if (args.bool(4)) {
      const { complete, tx } = finalizeAndExtract(psbt);
      json.psbt = psbt.toBase64();
      json.complete = complete;
      if (complete && tx !== undefined) json.hex = toHex(tx.encode(true));
    } else {
      json.psbt = psbt.toBase64();
      json.complete = psbt.inputs.every((i) => i.isFinalized());
    }
    return json;
  },
};
