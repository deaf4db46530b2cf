import type { Chain } from '../chain/chain.js';
import type { ChainEntry } from '../chain/chain-entry.js';
import { MAX_BLOCK_SIGOPS_COST, MAX_BLOCK_WEIGHT, MAX_TIMEWARP } from '../consensus/constants.js';
import { type NetworkParams, difficultyAdjustmentInterval } from '../consensus/params.js';
import { isFinalTx } from '../consensus/sequence-locks.js';
import { blockSubsidy } from '../consensus/subsidy.js';
import { toDisplayHex } from '../encoding/hex.js';
import type { Mempool } from '../mempool/mempool.js';
import { coinbaseScriptSig } from './coinbase.js';
import { BlockTemplate, type TemplateTransaction } from './block-template.js';
import { MiningError } from './errors.js';

/** BIP9: the top bits of every versionbits block version (Core's VERSIONBITS_TOP_BITS). */
export const VERSIONBITS_TOP_BITS = 0x20000000;
/** Core's DEFAULT_BLOCK_MAX_WEIGHT (policy.h, v29+): the consensus limit. */
export const DEFAULT_BLOCK_MAX_WEIGHT = MAX_BLOCK_WEIGHT;
/** Core's DEFAULT_BLOCK_RESERVED_WEIGHT: header, transaction count and coinbase. */
export const DEFAULT_BLOCK_RESERVED_WEIGHT = 8000;
/** Core's DEFAULT_COINBASE_OUTPUT_MAX_ADDITIONAL_SIGOPS: sigop cost kept free for the coinbase. */
export const DEFAULT_COINBASE_SIGOPS_RESERVE = 400;

/** What the assembler reads from the chain. */
export type AssemblerChain = Pick<Chain, 'tip' | 'medianTimePast' | 'nextWorkRequired'>;

/** What the assembler reads from the mempool. */
export type AssemblerMempool = Pick<Mempool, 'selectForBlock' | 'size'>;

export interface BlockAssemblerOptions {
  readonly network: NetworkParams;
  /** Largest block weight to build (Core's -blockmaxweight); default 4,000,000. */
  readonly blockMaxWeight?: number;
  /** Weight kept for the header and coinbase (Core's -blockreservedweight); default 8,000. */
  readonly reservedWeight?: number;
  /**
   * Sigop cost kept for coinbase outputs (Core's coinbase_output_max_additional_sigops, a mining
   * interface option); default 400.
   */
  readonly coinbaseSigOpsReserve?: number;
  /**
   * Pushed in every coinbase scriptSig after the extraNonce (a pool tag). At most 87 bytes: the
   * largest height and extraNonce pushes take 11 of the 100, the tag's PUSHDATA1 header 2.
   */
  readonly coinbaseTag?: Uint8Array;
  /** Seconds since the epoch; injectable for tests (default the system clock). */
  readonly now?: () => number;
}

export interface BlockAssemblerDeps {
  readonly chain: AssemblerChain;
  readonly mempool: AssemblerMempool;
}

export interface CreateTemplateOptions {
  /** Output script paid by the coinbase. */
  readonly coinbaseScript: Uint8Array;
  /** Header time; raised to the minimum valid time when earlier (default: now). */
  readonly time?: number;
}

/**
 * Core's BlockAssembler: builds a block template on the current tip from the mempool's best
 * transactions. Transaction order is the mempool's (ancestor fee rate, ancestors first); the
 * assembler re-checks every candidate against the block limits, finality and its parents being
 * included, so a stale or wrong selection can cost fees but never produce an invalid block.
 */
export class BlockAssembler {
  private readonly network: NetworkParams;
  private readonly blockMaxWeight: number;
  private readonly reservedWeight: number;
  private readonly coinbaseSigOpsReserve: number;
  private readonly coinbaseTag: Uint8Array | undefined;
  private readonly now: () => number;
  private readonly chain: AssemblerChain;
  private readonly mempool: AssemblerMempool;

  constructor(options: BlockAssemblerOptions, deps: BlockAssemblerDeps) {
    this.network = options.network;
    // Core's ClampOptions: reserved weight at least 2,000, max weight between it and the limit.
    this.reservedWeight = Math.min(
      MAX_BLOCK_WEIGHT,
      Math.max(2000, options.reservedWeight ?? DEFAULT_BLOCK_RESERVED_WEIGHT),
    );
    this.blockMaxWeight = Math.min(
      MAX_BLOCK_WEIGHT,
      Math.max(this.reservedWeight, options.blockMaxWeight ?? DEFAULT_BLOCK_MAX_WEIGHT),
    );
    this.coinbaseSigOpsReserve = Math.min(
      MAX_BLOCK_SIGOPS_COST,
      Math.max(0, options.coinbaseSigOpsReserve ?? DEFAULT_COINBASE_SIGOPS_RESERVE),
    );
    this.coinbaseTag = options.coinbaseTag;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.chain = deps.chain;
    this.mempool = deps.mempool;
    // A tag that cannot fit next to the largest height and extraNonce fails here, not mid-mining.
    if (this.coinbaseTag !== undefined) this.checkScriptSig(2 ** 31 - 1, 2 ** 32 - 1);
  }

  /** Core's CreateNewBlock. */
  createTemplate(o: CreateTemplateOptions): BlockTemplate {
    const consensus = this.network.consensus;
    const tip = this.chain.tip;
    const height = tip.height + 1;
    this.checkScriptSig(height, 0);
    const mtp = this.chain.medianTimePast(tip);
    const minTime = this.minimumTime(tip, height, mtp);
    const time = Math.max(minTime, o.time ?? this.now());
    const segwit = height >= consensus.segwitHeight;
    // BIP113: with CSV active, time locks are judged against the parent's median time past.
    const lockTimeCutoff = height >= consensus.csvHeight ? mtp : time;
    const transactions = this.selectTransactions(height, lockTimeCutoff, segwit);
    return new BlockTemplate({
      version: VERSIONBITS_TOP_BITS,
      prevBlock: tip.hash,
      height,
      bits: this.chain.nextWorkRequired(tip, time),
      time,
      minTime,
      coinbaseScript: o.coinbaseScript,
      ...(this.coinbaseTag !== undefined && { coinbaseTag: this.coinbaseTag }),
      subsidy: blockSubsidy(height, consensus),
      transactions,
      segwit,
      // Core appends the mempool's transactions-updated counter, which the Mempool does not expose;
      // its size is an approximation that misses changes keeping the count (a replacement).
      longPollId: `${toDisplayHex(tip.hash)}${this.mempool.size}`,
      // Core lists csv unconditionally (buried) and taproot as an active deployment.
      rules: segwit ? ['csv', '!segwit', 'taproot'] : ['csv', 'taproot'],
    });
  }

  /**
   * Core's GetMinimumTime: the parent's median time past + 1, and on the first block of a difficulty
   * period no earlier than MAX_TIMEWARP before the parent. Core applies the BIP94 bound on every
   * network, enforced or not, so that templates stay valid should it activate.
   */
  private minimumTime(tip: ChainEntry, height: number, mtp: number): number {
    let min = mtp + 1;
    if (height % difficultyAdjustmentInterval(this.network.consensus) === 0) {
      min = Math.max(min, tip.time - MAX_TIMEWARP);
    }
    return min;
  }

  /**
   * The mempool's selection, filtered as Core's TestChunkBlockLimits/TestChunkTransactions would:
   * a transaction is dropped when it would reach the weight or sigop limit (Core compares with >=),
   * is not final at this height, carries a witness before segwit, or spends a candidate that is not
   * already in the block (a dropped or misordered parent); dropping it drops its descendants too.
   */
  private selectTransactions(height: number, lockTimeCutoff: number, segwit: boolean): TemplateTransaction[] {
    const maxWeight = this.blockMaxWeight - this.reservedWeight;
    const maxSigOps = MAX_BLOCK_SIGOPS_COST - this.coinbaseSigOpsReserve;
    const candidates = this.mempool.selectForBlock(maxWeight, maxSigOps);
    // Spending a candidate that is not in the block yet (skipped, or listed after its child) would
    // spend a coin that does not exist at this point of the block.
    const candidateKeys = new Set<string>();
    for (const c of candidates) candidateKeys.add(txKey(c.tx.txid()));
    const included = new Map<string, number>(); // txid key -> 1-based index in the template
    const selected: TemplateTransaction[] = [];
    let weight = 0;
    let sigOps = 0;
    for (const c of candidates) {
      const key = txKey(c.tx.txid());
      const depends: number[] = [];
      let orphaned = false;
      for (const input of c.tx.inputs) {
        const parentKey = txKey(input.prevout.hash);
        const parent = included.get(parentKey);
        if (parent !== undefined) depends.push(parent);
        else if (candidateKeys.has(parentKey)) orphaned = true;
      }
      if (
        orphaned ||
        weight + c.weight >= maxWeight ||
        sigOps + c.sigOpCost >= maxSigOps ||
        !isFinalTx(c.tx, height, lockTimeCutoff) ||
        (!segwit && c.tx.hasWitness())
      ) {
        continue;
      }
      weight += c.weight;
      sigOps += c.sigOpCost;
      selected.push({ tx: c.tx, fee: c.fee, sigOpCost: c.sigOpCost, weight: c.weight, depends });
      included.set(key, selected.length);
    }
    return selected;
  }

  private checkScriptSig(height: number, extraNonce: number): void {
    try {
      coinbaseScriptSig(height, extraNonce, this.coinbaseTag);
    } catch (err) {
      throw new MiningError('bad-request', (err as Error).message);
    }
  }
}

function txKey(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('latin1');
}
