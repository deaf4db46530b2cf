import { toDisplayHex } from '../encoding/hex.js';
import type { MempoolEntry } from './entry.js';
import type { ResolvedMempoolOptions } from './options.js';
import type { PoolIndex } from './pool-index.js';
import { signalsReplaceability } from './prechecks.js';

/**
 * bitcoind's getmempoolentry / getrawmempool verbose object, field for field, except that amounts
 * are satoshis (the RPC layer converts them to BTC with rpc/json/amount.ts: the mempool may not
 * import the RPC layer, and satoshis stay exact).
 */
export interface MempoolEntryInfo {
  vsize: number;
  weight: number;
  /** Unix seconds when it entered the pool. */
  time: number;
  /** Chain height when it entered the pool. */
  height: number;
  descendantcount: number;
  descendantsize: number;
  ancestorcount: number;
  ancestorsize: number;
  wtxid: string;
  fees: { base: number; modified: number; ancestor: number; descendant: number };
  /** Deprecated flat forms Core still shows with -deprecatedrpc=fees (satoshis here too). */
  fee: number;
  modifiedfee: number;
  descendantfees: number;
  ancestorfees: number;
  /** Txids (display hex) of in-pool parents. */
  depends: string[];
  /** Txids of in-pool children. */
  spentby: string[];
  'bip125-replaceable': boolean;
  /** Tally has no wallet rebroadcast queue: always false. */
  unbroadcast: boolean;
}

export function entryInfo(entry: MempoolEntry): MempoolEntryInfo {
  return {
    vsize: entry.vsize,
    weight: entry.weight,
    time: entry.time,
    height: entry.height,
    descendantcount: entry.descendantCount,
    descendantsize: entry.descendantSize,
    ancestorcount: entry.ancestorCount,
    ancestorsize: entry.ancestorSize,
    wtxid: toDisplayHex(entry.wtxid),
    fees: {
      base: entry.fee,
      modified: entry.modifiedFee,
      ancestor: entry.ancestorFees,
      descendant: entry.descendantFees,
    },
    fee: entry.fee,
    modifiedfee: entry.modifiedFee,
    descendantfees: entry.descendantFees,
    ancestorfees: entry.ancestorFees,
    depends: [...entry.parents].map((p) => toDisplayHex(p.txid)).sort(),
    // Core lists parents through a set of hex strings but children in txid (internal byte) order.
    spentby: [...entry.children].sort((a, b) => (a.key < b.key ? -1 : 1)).map((c) => toDisplayHex(c.txid)),
    'bip125-replaceable': signalsReplaceability(entry),
    unbroadcast: false,
  };
}

/**
 * bitcoind's getmempoolinfo, field for field; amounts in satoshis and fee rates in sat/kvB (the RPC
 * layer converts them to BTC and BTC/kvB).
 */
export interface MempoolInfo {
  /** Whether load() has finished (true when there is nothing to load). */
  loaded: boolean;
  size: number;
  /** Sum of virtual sizes. */
  bytes: number;
  /** Estimated memory use (see estimateMemoryUsage). */
  usage: number;
  total_fee: number;
  /** -maxmempool in bytes. */
  maxmempool: number;
  /** max(rolling minimum fee, -minrelaytxfee): what a new transaction must pay now. */
  mempoolminfee: number;
  minrelaytxfee: number;
  incrementalrelayfee: number;
  unbroadcastcount: number;
  fullrbf: boolean;
}

export function mempoolInfo(
  pool: PoolIndex,
  options: ResolvedMempoolOptions,
  loaded: boolean,
  minFeeRate: number,
): MempoolInfo {
  return {
    loaded,
    size: pool.size,
    bytes: pool.totalVsize,
    usage: pool.usage,
    total_fee: pool.totalFee,
    maxmempool: options.maxSizeBytes,
    mempoolminfee: minFeeRate,
    minrelaytxfee: options.minRelayFeeRate,
    incrementalrelayfee: options.incrementalRelayFeeRate,
    unbroadcastcount: 0,
    fullrbf: options.fullRbf,
  };
}
