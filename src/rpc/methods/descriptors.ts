/**
 * getdescriptorinfo and deriveaddresses (Core's rpc/output_script.cpp), over the wallet's
 * descriptor module: the same parser the wallet imports descriptors with.
 */
import { addressFromScript } from '../../script/address.js';
import { classifyScript } from '../../script/templates.js';
import {
  type Descriptor,
  DescriptorError,
  getDescriptorChecksum,
  parseDescriptors,
} from '../../wallet/descriptors/index.js';
import type { RpcContext } from '../context.js';
import { RpcError, RpcErrorCode } from '../errors.js';
import type { RpcMethod } from '../registry.js';

type Method = RpcMethod<RpcContext>;

/** A DescriptorError as Core reports it; anything else is a bug and propagates. */
function asRpcError(err: unknown): unknown {
  if (!(err instanceof DescriptorError)) return err;
  const code =
    err.kind === 'parameter' ? RpcErrorCode.RPC_INVALID_PARAMETER : RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY;
  return new RpcError(code, err.message);
}

/** Core's Parse: one descriptor, or one per value of a BIP389 multipath group. */
function parse(ctx: RpcContext, text: string, requireChecksum: boolean): Descriptor[] {
  try {
    return parseDescriptors(text, { network: ctx.network, requireChecksum });
  } catch (err) {
    throw asRpcError(err);
  }
}

export const getdescriptorinfo: Method = {
  name: 'getdescriptorinfo',
  category: 'util',
  params: [{ name: 'descriptor', type: 'string', required: true, description: 'The descriptor.' }],
  description: 'Analyses a descriptor.\n',
  result: `{
  "descriptor" : "str",         (string) The descriptor in canonical form, without private keys. For a multipath descriptor, only the first will be returned.
  "multipath_expansion" : [     (json array, optional) All descriptors produced by expanding multipath derivation elements. Only if the provided descriptor specifies multipath derivation elements.
    "str",                      (string)
    ...
  ],
  "checksum" : "str",           (string) The checksum for the input descriptor
  "isrange" : true|false,       (boolean) Whether the descriptor is ranged
  "issolvable" : true|false,    (boolean) Whether the descriptor is solvable
  "hasprivatekeys" : true|false (boolean) Whether the input descriptor contained at least one private key
}`,
  examples: [
    '"wpkh([d34db33f/84h/0h/0h]0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"',
  ],
  handler: (ctx, args) => {
    const text = args.str(0);
    const descs = parse(ctx, text, false);
    const desc = descs[0]!;
    return {
      descriptor: desc.toString(),
      ...(descs.length > 1 && { multipath_expansion: descs.map((d) => d.toString()) }),
      checksum: getDescriptorChecksum(text),
      isrange: desc.isRange,
      issolvable: desc.isSolvable,
      hasprivatekeys: desc.hasPrivateKeys,
    };
  },
};

/** Core's ParseDescriptorRange: n means [0, n]; [begin, end] as given; both checked. */
function descriptorRange(value: unknown): [number, number] {
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
  let low: number;
  let high: number;
  if (isInt(value)) {
    low = 0;
    high = value;
  } else if (Array.isArray(value) && value.length === 2 && isInt(value[0]) && isInt(value[1])) {
    [low, high] = value as [number, number];
    if (low > high) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'Range specified as [begin,end] must not have begin after end',
      );
    }
  } else {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_PARAMETER,
      'Range must be specified as end or as [begin,end]',
    );
  }
  if (low < 0)
    throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Range should be greater or equal than 0');
  if (high >= 2 ** 31) throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'End of range is too high');
  if (high >= low + 1_000_000) throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Range is too large');
  return [low, high];
}

export const deriveaddresses: Method = {
  name: 'deriveaddresses',
  category: 'util',
  params: [
    { name: 'descriptor', type: 'string', required: true, description: 'The descriptor.' },
    {
      name: 'range',
      type: 'any',
      helpType: 'numeric or array',
      description:
        'If a ranged descriptor is used, this specifies the end or the range (in [begin,end] notation) to derive.',
      oneline: 'numeric or array',
    },
  ],
  description: 'Derives one or more addresses corresponding to an output descriptor.\n',
  result: `[ "str", ... ]    (json array) the derived addresses
or for a multipath descriptor:
[ [ "str", ... ], ... ]    (json array) The derived addresses for each of the multipath expansions of the descriptor, in multipath specifier order`,
  examples: [
    '"wpkh([d34db33f/84h/0h/0h]xpub6DJ2dNUysrn5Vt36jH2KLBT2i1auw1tTSSomg8PhqNiUtx8QX2SvC9nrHu81fT41fvDUnhMjEzQgXnQjKEu3oaqMSzhSrHMxyyoEAmUHQbY/0/*)#cjjspncu" "[0,2]"',
  ],
  handler: (ctx, args) => {
    const descs = parse(ctx, args.str(0), true);
    const rangeGiven = args.length > 1 && !args.isNull(1);
    const [begin, end] = rangeGiven ? descriptorRange(args.raw(1)) : [0, 0];
    const ranged = descs[0]!.isRange;
    // Core checks the argument count, so an explicit null range counts as given.
    if (!ranged && args.length > 1) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'Range should not be specified for an un-ranged descriptor',
      );
    }
    if (ranged && args.length === 1) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'Range must be specified for a ranged descriptor',
      );
    }
    const lists = descs.map((desc) => deriveRange(ctx, desc, begin, end));
    return lists.length === 1 ? lists[0] : lists;
  },
};

/** The descriptor's outputs at `pos`, a hardened step without its private key as Core reports it. */
function expandAt(desc: Descriptor, pos: number): ReturnType<Descriptor['expandAll']> {
  try {
    return desc.expandAll(pos);
  } catch (err) {
    if (err instanceof DescriptorError && err.kind === 'derive') {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY,
        'Cannot derive script without private keys',
      );
    }
    throw asRpcError(err);
  }
}

/** The addresses of `desc` at positions begin..end (Core's deriveaddresses loop). */
function deriveRange(ctx: RpcContext, desc: Descriptor, begin: number, end: number): string[] {
  const prefixes = ctx.network.addressPrefixes;
  const addresses: string[] = [];
  for (let i = begin; i <= end; i++) {
    const outputs = expandAt(desc, i);
    for (const { scriptPubKey } of outputs) {
      const address = addressFromScript(scriptPubKey, prefixes);
      if (address === null) {
        // combo() also gives P2PK, which has no address: skipped, as Core does.
        if (outputs.length > 1 && classifyScript(scriptPubKey).type === 'pubkey') continue;
        throw new RpcError(
          RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY,
          'Descriptor does not have a corresponding address',
        );
      }
      addresses.push(address);
    }
  }
  if (addresses.length === 0) throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'Unexpected empty result');
  return addresses;
}

/**
 * Core's getScriptFromDescriptor (rpc/mining.cpp), for generatetodescriptor and generateblock:
 * the one script a non-ranged descriptor pays to. combo() gives its P2WPKH script (P2PKH for an
 * uncompressed key). Errors are Core's, as RpcErrors.
 */
export function scriptFromDescriptor(ctx: RpcContext, text: string): Uint8Array {
  const descs = parse(ctx, text, false);
  if (descs.length > 1) {
    throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Multipath descriptor not accepted');
  }
  const desc = descs[0]!;
  if (desc.isRange) {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_PARAMETER,
      'Ranged descriptor not accepted. Maybe pass through deriveaddresses first?',
    );
  }
  const scripts = expandAt(desc, 0).map((o) => o.scriptPubKey);
  if (scripts.length === 1) return scripts[0]!;
  return scripts.length === 4 ? scripts[2]! : scripts[1]!;
}
