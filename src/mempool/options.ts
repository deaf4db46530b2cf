import type { Logger } from 'pino';
import type { TxValidationResult } from '../consensus/errors.js';
import type { NetworkParams } from '../consensus/params.js';
import {
  DEFAULT_ANCESTOR_LIMIT,
  DEFAULT_ANCESTOR_SIZE_LIMIT_KVB,
  DEFAULT_BYTES_PER_SIGOP,
  DEFAULT_DESCENDANT_LIMIT,
  DEFAULT_DESCENDANT_SIZE_LIMIT_KVB,
  DEFAULT_INCREMENTAL_RELAY_FEE,
  DEFAULT_MAX_MEMPOOL_SIZE_MB,
  DEFAULT_MAX_ORPHAN_TRANSACTIONS,
  DEFAULT_MEMPOOL_EXPIRY_HOURS,
  DEFAULT_MIN_RELAY_TX_FEE,
  DEFAULT_PERMIT_BAREMULTISIG,
  DUST_RELAY_TX_FEE,
  MAX_OP_RETURN_RELAY,
} from '../policy/constants.js';
import type { MempoolEntry } from './entry.js';
import type { PackageLimits } from './limits.js';

/** Options of the Mempool. Fee rates are sat/kvB; every default is Core v29's. */
export interface MempoolOptions {
  readonly network: NetworkParams;
  /** -maxmempool: memory budget in MB (default 300). */
  readonly maxSizeMB?: number;
  /** -minrelaytxfee (default 1,000). */
  readonly minRelayFeeRate?: number;
  /** Where save()/load() keep the pool; without it they do nothing. */
  readonly persistPath?: string;
  readonly logger?: Logger;
  /** -incrementalrelayfee (default 1,000): RBF bump step and rolling-floor increment. */
  readonly incrementalRelayFeeRate?: number;
  /** -dustrelayfee (default 3,000). */
  readonly dustRelayFeeRate?: number;
  /** -datacarriersize (default 83); null is -datacarrier=0. */
  readonly maxDatacarrierBytes?: number | null;
  /** -permitbaremultisig (default true). */
  readonly permitBareMultisig?: boolean;
  /** Standardness rules on (Core: !-acceptnonstdtxn; off by default only on testnet). */
  readonly requireStandard?: boolean;
  /** -bytespersigop (default 20). */
  readonly bytesPerSigop?: number;
  /** -limitancestorcount etc. (defaults 25 / 101 kvB). Sizes here are in vbytes. */
  readonly limits?: Partial<PackageLimits>;
  /** -mempoolexpiry in hours (default 336). */
  readonly expiryHours?: number;
  /** -maxorphantx (default 100). */
  readonly maxOrphans?: number;
  /**
   * Full replace-by-fee (Core's behaviour since v28, default true): any conflict may be replaced by a
   * transaction paying for it. When false, only BIP125-signalling conflicts can be replaced and other
   * double spends are refused with txn-mempool-conflict (Core ≤ v27 defaults).
   */
  readonly fullRbf?: boolean;
}

export interface ResolvedMempoolOptions {
  readonly network: NetworkParams;
  readonly maxSizeBytes: number;
  readonly minRelayFeeRate: number;
  readonly incrementalRelayFeeRate: number;
  readonly dustRelayFeeRate: number;
  readonly maxDatacarrierBytes: number | null;
  readonly permitBareMultisig: boolean;
  readonly requireStandard: boolean;
  readonly bytesPerSigop: number;
  readonly limits: PackageLimits;
  readonly expirySeconds: number;
  readonly maxOrphans: number;
  readonly fullRbf: boolean;
}

export function resolveOptions(o: MempoolOptions): ResolvedMempoolOptions {
  return {
    network: o.network,
    maxSizeBytes: (o.maxSizeMB ?? DEFAULT_MAX_MEMPOOL_SIZE_MB) * 1_000_000,
    minRelayFeeRate: o.minRelayFeeRate ?? DEFAULT_MIN_RELAY_TX_FEE,
    incrementalRelayFeeRate: o.incrementalRelayFeeRate ?? DEFAULT_INCREMENTAL_RELAY_FEE,
    dustRelayFeeRate: o.dustRelayFeeRate ?? DUST_RELAY_TX_FEE,
    maxDatacarrierBytes: o.maxDatacarrierBytes === undefined ? MAX_OP_RETURN_RELAY : o.maxDatacarrierBytes,
    permitBareMultisig: o.permitBareMultisig ?? DEFAULT_PERMIT_BAREMULTISIG,
    // Core's fRequireStandard is false only for testnet (3 and 4) among the networks we know.
    requireStandard: o.requireStandard ?? o.network.name !== 'testnet',
    bytesPerSigop: o.bytesPerSigop ?? DEFAULT_BYTES_PER_SIGOP,
    limits: {
      ancestorCount: o.limits?.ancestorCount ?? DEFAULT_ANCESTOR_LIMIT,
      ancestorSizeVbytes: o.limits?.ancestorSizeVbytes ?? DEFAULT_ANCESTOR_SIZE_LIMIT_KVB * 1000,
      descendantCount: o.limits?.descendantCount ?? DEFAULT_DESCENDANT_LIMIT,
      descendantSizeVbytes: o.limits?.descendantSizeVbytes ?? DEFAULT_DESCENDANT_SIZE_LIMIT_KVB * 1000,
    },
    expirySeconds: (o.expiryHours ?? DEFAULT_MEMPOOL_EXPIRY_HOURS) * 3600,
    maxOrphans: o.maxOrphans ?? DEFAULT_MAX_ORPHAN_TRANSACTIONS,
    fullRbf: o.fullRbf ?? true,
  };
}

/** A refusal: what to do about it (result), Core's reason string and a debug message. */
export interface MempoolRejection {
  readonly ok: false;
  readonly result: TxValidationResult;
  readonly reason: string;
  readonly debug: string;
}

export type MempoolAcceptResult =
  | {
      readonly ok: true;
      /** The pool entry (for testAccept, the entry it would have; not in the pool). */
      readonly entry: MempoolEntry;
      /** Transactions it replaced (BIP125 / full RBF). */
      readonly replaced: readonly MempoolEntry[];
    }
  | MempoolRejection;

/** Why a transaction left the pool (Core's MemPoolRemovalReason, as its notifications name them). */
export type RemovalReason = 'expiry' | 'sizelimit' | 'reorg' | 'block' | 'conflict' | 'replaced';

export function reject(result: TxValidationResult, reason: string, debug = ''): MempoolRejection {
  return { ok: false, result, reason, debug };
}
