import { toHex } from '../../encoding/hex.js';
import { DescriptorError } from '../../wallet/descriptors/errors.js';
import { createMultisig, hexToPubKey as descriptorHexToPubKey } from '../../wallet/descriptors/multisig.js';
import type { RpcContext } from '../context.js';
import { RpcError, RpcErrorCode, typeError } from '../errors.js';
import type { RpcMethod } from '../registry.js';

/**
 * createmultisig (Core's rpc/output_script.cpp) over the descriptor module's createMultisig, and
 * the address type parsing addmultisigaddress shares with it.
 */

export type MultisigAddressType = 'legacy' | 'p2sh-segwit' | 'bech32';

/** A DescriptorError as Core's RPC error: key problems are -5, bad parameters -8. */
function rpcFromDescriptorError(err: unknown): unknown {
  if (!(err instanceof DescriptorError)) return err;
  const code =
    err.kind === 'parameter' ? RpcErrorCode.RPC_INVALID_PARAMETER : RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY;
  return new RpcError(code, err.message);
}

/** Core's HexToPubKey with its RPC errors. */
export function hexToPubKey(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw typeError(value, 'string');
  try {
    return descriptorHexToPubKey(value);
  } catch (err) {
    throw rpcFromDescriptorError(err);
  }
}

/** Core's ParseOutputType for multisig: bech32m cannot hold a CHECKMULTISIG script. */
export function parseMultisigType(value: unknown, method: string): MultisigAddressType {
  if (typeof value !== 'string') throw typeError(value, 'string');
  if (value === 'legacy' || value === 'p2sh-segwit' || value === 'bech32') return value;
  if (value === 'bech32m') {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY,
      `${method} cannot create bech32m multisig addresses`,
    );
  }
  throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Unknown address type '${value}'`);
}

type Method = RpcMethod<RpcContext>;

export const createmultisig: Method = {
  name: 'createmultisig',
  category: 'util',
  params: [
    {
      name: 'nrequired',
      type: 'number',
      required: true,
      description: 'The number of required signatures out of the n keys.',
    },
    {
      name: 'keys',
      type: 'array',
      required: true,
      description: 'The hex-encoded public keys.',
      oneline: '["key",...]',
    },
    {
      name: 'address_type',
      type: 'string',
      default: 'legacy',
      description: 'The address type to use. Options are "legacy", "p2sh-segwit", and "bech32".',
    },
  ],
  description:
    'Creates a multi-signature address with n signatures of m keys required.\n' +
    'It returns a json object with the address and redeemScript.',
  result: '{ "address", "redeemScript", "descriptor", "warnings" }',
  examples: [
    '2 \'["03789ed0bb717d88f7d321a368d905e7430207ebbd82bd342cf11ae157a7ace5fd","03dbc6764b8884a92e871274b87583e6d5c2a58819473e17e107ef3f6aa5a61626"]\'',
  ],
  handler: (ctx, args) => {
    const required = args.int(0);
    const keys = args.array(1).map(hexToPubKey);
    const type = parseMultisigType(args.value(2), 'createmultisig');
    let d: ReturnType<typeof createMultisig>;
    try {
      d = createMultisig(required, keys, type, ctx.network);
    } catch (err) {
      throw rpcFromDescriptorError(err);
    }
    const result: Record<string, unknown> = {
      address: d.address,
      redeemScript: toHex(d.redeemScript),
      descriptor: d.descriptor,
    };
    if (d.warnings.length > 0) result.warnings = [...d.warnings];
    return result;
  },
};
