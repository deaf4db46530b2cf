import type { MempoolEntry } from '../../mempool/entry.js';
import { type MempoolApi, ensureMempool, type RpcContext } from '../context.js';
import { RpcError, RpcErrorCode } from '../errors.js';
import { Amount } from '../json/amount.js';
import { parseHash } from '../params.js';
import type { RpcMethod } from '../registry.js';

type Method = RpcMethod<RpcContext>;

/**
 * Core's entryToJSON. The flat fee fields (fee, modifiedfee, ...) are only shown by Core with
 * -deprecatedrpc=fees, so they are left out.
 */
export function entryJson(mempool: MempoolApi, entry: MempoolEntry): Record<string, unknown> {
  const info = mempool.entryInfo(entry);
  return {
    vsize: info.vsize,
    weight: info.weight,
    time: info.time,
    height: info.height,
    descendantcount: info.descendantcount,
    descendantsize: info.descendantsize,
    ancestorcount: info.ancestorcount,
    ancestorsize: info.ancestorsize,
    wtxid: info.wtxid,
    fees: {
      base: new Amount(info.fees.base),
      modified: new Amount(info.fees.modified),
      ancestor: new Amount(info.fees.ancestor),
      descendant: new Amount(info.fees.descendant),
    },
    depends: info.depends,
    spentby: info.spentby,
    'bip125-replaceable': info['bip125-replaceable'],
    unbroadcast: info.unbroadcast,
  };
}

/** Memcmp order of two 32-byte hashes (Core's uint256 operator<). */
function compareHashes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Core's GetSortedDepthAndScore (the order getrawmempool lists): fewer in-pool ancestors first, then
 * higher modified fee rate, then, at equal rates, the higher txid (CompareTxMemPoolEntryByScore).
 */
export function sortedEntries(mempool: MempoolApi): MempoolEntry[] {
  return [...mempool.entries()].sort((a, b) => {
    if (a.ancestorCount !== b.ancestorCount) return a.ancestorCount - b.ancestorCount;
    const fa = a.modifiedFee * b.vsize;
    const fb = b.modifiedFee * a.vsize;
    if (fa !== fb) return fb - fa;
    return compareHashes(b.txid, a.txid);
  });
}

export const getmempoolinfo: Method = {
  name: 'getmempoolinfo',
  category: 'blockchain',
  params: [],
  description: 'Returns details on the active state of the TX memory pool.',
  result: `{ "loaded" : true|false, "size" : n, "bytes" : n, "usage" : n, "total_fee" : n, "maxmempool" : n,
  "mempoolminfee" : n, "minrelaytxfee" : n, "incrementalrelayfee" : n, "unbroadcastcount" : n, "fullrbf" : true|false }`,
  examples: [''],
  handler: (ctx) => {
    const i = ensureMempool(ctx).info();
    return {
      loaded: i.loaded,
      size: i.size,
      bytes: i.bytes,
      usage: i.usage,
      total_fee: new Amount(i.total_fee),
      maxmempool: i.maxmempool,
      // Fee rates are sat/kvB, shown as BTC/kvB.
      mempoolminfee: new Amount(i.mempoolminfee),
      minrelaytxfee: new Amount(i.minrelaytxfee),
      incrementalrelayfee: new Amount(i.incrementalrelayfee),
      unbroadcastcount: i.unbroadcastcount,
      fullrbf: i.fullrbf,
    };
  },
};

export const getrawmempool: Method = {
  name: 'getrawmempool',
  category: 'blockchain',
  params: [
    {
      name: 'verbose',
      type: 'boolean',
      default: false,
      description: 'True for a json object, false for array of transaction ids',
    },
    {
      name: 'mempool_sequence',
      type: 'boolean',
      default: false,
      description:
        'If verbose=false, returns a json object with transaction list and mempool sequence number attached.',
    },
  ],
  description:
    'Returns all transaction ids in memory pool as a json array of string transaction ids.\n\n' +
    'Hint: use getmempoolentry to fetch a specific transaction from the mempool.',
  result: '[ "hex", ... ] or { "txid" : { entry }, ... } when verbose',
  examples: ['', 'true'],
  handler: (ctx, args) => {
    const mempool = ensureMempool(ctx);
    const verbose = args.bool(0);
    const withSequence = args.bool(1);
    if (verbose && withSequence) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'Verbose results cannot contain mempool sequence values.',
      );
    }
    if (withSequence) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'mempool_sequence is not supported by Tally yet',
      );
    }
    const entries = sortedEntries(mempool);
    if (!verbose) return entries.map((e) => e.tx.txidHex());
    const out: Record<string, unknown> = {};
    for (const e of entries) out[e.tx.txidHex()] = entryJson(mempool, e);
    return out;
  },
};

export const getmempoolentry: Method = {
  name: 'getmempoolentry',
  category: 'blockchain',
  params: [
    { name: 'txid', type: 'hex', required: true, description: 'The transaction id (must be in mempool)' },
  ],
  description: 'Returns mempool data for given transaction',
  result:
    '{ "vsize", "weight", "time", "height", "descendantcount", ..., "fees" : {...}, "depends", "spentby", ... }',
  examples: ['"mytxid"'],
  handler: (ctx, args) => {
    const mempool = ensureMempool(ctx);
    const entry = mempool.get(parseHash(args.raw(0), 'parameter 1'));
    if (entry === undefined)
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Transaction not in mempool');
    return entryJson(mempool, entry);
  },
};
