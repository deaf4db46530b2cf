import type { ImportDescriptorRequest } from '../../../wallet/api.js';
import { isJsonObject, toInt32 } from '../../args.js';
import type { RpcContext } from '../../context.js';
import { jsonTypeName, RpcError, RpcErrorCode, typeError } from '../../errors.js';
import type { RpcMethod } from '../../registry.js';
import { engine, ensureUnlocked, labelFromValue, walletForRequest } from './wallet-context.js';

/**
 * Descriptor import and chain rescans (Core's wallet/rpc/backup.cpp importdescriptors,
 * wallet/rpc/transactions.cpp rescanblockchain and abortrescan).
 */

type Method = RpcMethod<RpcContext>;

/** Core's GetImportTimestamp: a number or "now"; anything else fails the whole call. */
function importTimestamp(request: Record<string, unknown>): number | 'now' {
  if (!('timestamp' in request)) {
    throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, 'Missing required timestamp field for key');
  }
  const t = request.timestamp;
  if (typeof t === 'number') {
    if (!Number.isSafeInteger(t))
      throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'JSON integer out of range');
    return t;
  }
  if (t === 'now') return 'now';
  throw new RpcError(
    RpcErrorCode.RPC_TYPE_ERROR,
    `Expected number or "now" timestamp value for key. got type ${jsonTypeName(t)}`,
  );
}

function optBool(o: Record<string, unknown>, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw typeError(v, 'bool');
  return v;
}

/** One request object as the engine takes it; per-descriptor failures are the engine's to report. */
function parseRequest(value: unknown): ImportDescriptorRequest {
  if (!isJsonObject(value)) throw typeError(value, 'object');
  const timestamp = importTimestamp(value);
  const desc = value.desc;
  if (typeof desc !== 'string') throw typeError(desc ?? null, 'string');
  const request: ImportDescriptorRequest = { desc, timestamp };
  const active = optBool(value, 'active');
  if (active !== undefined) request.active = active;
  const internal = optBool(value, 'internal');
  if (internal !== undefined) request.internal = internal;
  const range = value.range;
  if (range !== undefined && range !== null) {
    if (typeof range === 'number') request.range = toInt32(range);
    else if (Array.isArray(range) && range.length === 2)
      request.range = [toInt32(range[0]), toInt32(range[1])];
    else {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'Range must be specified as end or as [begin,end]',
      );
    }
  }
  if (value.next_index !== undefined && value.next_index !== null)
    request.nextIndex = toInt32(value.next_index);
  if (value.label !== undefined && value.label !== null) request.label = labelFromValue(value.label);
  return request;
}

export const importdescriptors: Method = {
  name: 'importdescriptors',
  category: 'wallet',
  params: [
    {
      name: 'requests',
      type: 'array',
      required: true,
      description: 'Data to be imported',
      oneline:
        '[{"desc":"str","active":bool,"range":n or [n,n],"next_index":n,"timestamp":timestamp | "now","internal":bool,"label":"str"},...]',
    },
  ],
  description:
    'Import descriptors. This will trigger a rescan of the blockchain based on the earliest timestamp of all descriptors being imported. Requires a new wallet backup.\n' +
    'When importing descriptors with multipath key expressions, if the multipath specifier contains exactly two elements, the descriptor produced from the second element will be imported as an internal descriptor.',
  result: '[ { "success", "warnings" : [ "str", ... ], "error" : { "code", "message" } }, ... ]',
  examples: ['\'[{ "desc": "<my descriptor>", "timestamp":1455191478, "internal": true }]\''],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    ensureUnlocked(wallet);
    const requests = args.array(0).map(parseRequest);
    const results = await engine(() => wallet.importDescriptors(requests));
    return results.map((r) => {
      const json: Record<string, unknown> = { success: r.success };
      if (r.warnings !== undefined && r.warnings.length > 0) json.warnings = [...r.warnings];
      if (r.error !== undefined) json.error = { code: r.error.code, message: r.error.message };
      return json;
    });
  },
};

export const rescanblockchain: Method = {
  name: 'rescanblockchain',
  category: 'wallet',
  params: [
    {
      name: 'start_height',
      type: 'number',
      default: 0,
      description: 'block height where the rescan should start',
    },
    {
      name: 'stop_height',
      type: 'number',
      description:
        'the last block height that should be scanned. If none is provided it will rescan up to the tip at return time of this call.',
    },
  ],
  description:
    'Rescan the local blockchain for wallet related transactions.\n' +
    'Note: Use "getwalletinfo" to query the scanning progress.\n' +
    'The rescan is significantly faster if block filters are available\n' +
    '(using startup option "-blockfilterindex=1").',
  result: '{ "start_height", "stop_height" }',
  examples: ['100000 120000'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    ensureUnlocked(wallet);
    const tip = wallet.info().lastProcessedBlock.height;
    let start = 0;
    if (!args.isNull(0)) {
      start = args.int(0);
      if (start < 0 || start > tip)
        throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Invalid start_height');
    }
    let stop: number | undefined;
    if (!args.isNull(1)) {
      stop = args.int(1);
      if (stop < 0 || stop > tip)
        throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Invalid stop_height');
      if (stop < start) {
        throw new RpcError(
          RpcErrorCode.RPC_INVALID_PARAMETER,
          'stop_height must be greater than start_height',
        );
      }
    }
    if (wallet.info().scanning !== false) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_ERROR,
        'Wallet is currently rescanning. Abort existing rescan or wait.',
      );
    }
    const r = await engine(() => wallet.rescan(start, stop));
    return { start_height: r.startHeight, stop_height: r.stopHeight };
  },
};

export const abortrescan: Method = {
  name: 'abortrescan',
  category: 'wallet',
  params: [],
  description:
    'Stops current wallet rescan triggered by an RPC call, e.g. by an importprivkey call.\n' +
    'Note: Use "getwalletinfo" to query the scanning progress.',
  result: 'true|false    (boolean) Whether the abort was successful',
  examples: [''],
  handler: (ctx, _args, call) => walletForRequest(ctx, call).abortRescan(),
};
