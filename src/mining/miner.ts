import { availableParallelism } from 'node:os';
import type { Chain } from '../chain/chain.js';
import type { ChainEntry } from '../chain/chain-entry.js';
import type { NetworkParams } from '../consensus/params.js';
import { equalBytes } from '../encoding/bytes.js';
import type { AssemblerMempool, BlockAssembler } from './block-assembler.js';
import type { BlockTemplate } from './block-template.js';
import { MiningError } from './errors.js';
import { NONCE_SPACE, NonceSearch } from './nonce-search.js';
import { DEFAULT_INLINE_TRIES, type MineOutcome, solveTemplate } from './template-solver.js';

/** Core's DEFAULT_MAX_TRIES (rpc/mining.h) for generatetoaddress, generatetodescriptor, generateblock. */
export const DEFAULT_MAX_TRIES = 1_000_000;

/** What the miner uses of the chain: where to build, where to submit, when the tip moves. */
export type MinerChain = Pick<Chain, 'processBlock' | 'on' | 'off'>;

export interface MinerOptions {
  readonly network: NetworkParams;
  /** Nonce-search worker threads (default os.availableParallelism()); started on first need. */
  readonly threads?: number;
  /** Nonces tried inline before the workers (default 4,096). */
  readonly inlineTries?: number;
  /** Nonces per extraNonce (default 2^32); tests shrink it to reach the extraNonce roll. */
  readonly nonceSpace?: number;
}

export interface MinerDeps {
  readonly chain: MinerChain;
  readonly mempool: AssemblerMempool;
  readonly assembler: BlockAssembler;
}

export interface GenerateOptions {
  /** Hashes that may fail across the whole call (Core's maxtries); default 1,000,000. */
  readonly maxTries?: number;
}

/**
 * Core's generateBlocks: build a template on the tip, find a proof of work, hand the block to the
 * chain, repeat. The nonce search runs inline first and then on worker threads; when a template's
 * nonce space is used up, the extraNonce in the coinbase is bumped and the Merkle root redone (Core's
 * IncrementExtraNonce). A search is cancelled when the chain tip moves away from its parent.
 */
export class Miner {
  private readonly chain: MinerChain;
  private readonly assembler: BlockAssembler;
  private readonly threads: number;
  private readonly inlineTries: number;
  private readonly nonceSpace: number;
  private search: Promise<NonceSearch> | undefined;
  /** generate() calls run one after another, as Core's do one block at a time under cs_main. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Searches to cancel when the tip leaves their parent. */
  private readonly watched = new Set<{ readonly prev: Uint8Array; readonly controller: AbortController }>();
  private closed = false;
  private readonly onTip = (entry: ChainEntry): void => {
    for (const w of this.watched) if (!equalBytes(entry.hash, w.prev)) w.controller.abort();
  };

  constructor(options: MinerOptions, deps: MinerDeps) {
    this.chain = deps.chain;
    this.assembler = deps.assembler;
    this.threads = options.threads ?? availableParallelism();
    this.inlineTries = options.inlineTries ?? DEFAULT_INLINE_TRIES;
    this.nonceSpace = options.nonceSpace ?? NONCE_SPACE;
    if (!Number.isInteger(this.nonceSpace) || this.nonceSpace < 1 || this.nonceSpace > NONCE_SPACE) {
      throw new RangeError(`nonceSpace must be in 1..2^32, got ${this.nonceSpace}`);
    }
    if (!Number.isInteger(this.inlineTries) || this.inlineTries < 0) {
      throw new RangeError(`inlineTries must be a non-negative integer, got ${this.inlineTries}`);
    }
    this.chain.on('tip', this.onTip);
  }

  /**
   * Mines `n` blocks paying `coinbaseScript` and returns their hashes (internal byte order). Unlike
   * Core, which silently returns the shorter list, running out of maxTries is a MiningError
   * ('max-tries') that carries the hashes mined so far; the RPC layer returns those for parity.
   */
  generate(n: number, coinbaseScript: Uint8Array, options: GenerateOptions = {}): Promise<Uint8Array[]> {
    const maxTries = options.maxTries ?? DEFAULT_MAX_TRIES;
    const run = this.queue.then(() => this.generateNow(n, coinbaseScript, maxTries));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async generateNow(n: number, coinbaseScript: Uint8Array, maxTries: number): Promise<Uint8Array[]> {
    if (!Number.isSafeInteger(n) || n < 0) throw new MiningError('bad-request', `bad block count ${n}`);
    if (!Number.isSafeInteger(maxTries) || maxTries < 0) {
      throw new MiningError('bad-request', `bad maxTries ${maxTries}`);
    }
    const hashes: Uint8Array[] = [];
    let budget = maxTries;
    while (hashes.length < n) {
      if (this.closed) throw new MiningError('closed', 'the miner is closed', hashes);
      const template = this.assembler.createTemplate({ coinbaseScript });
      const outcome = await this.mineTemplate(template, budget);
      budget -= outcome.tries;
      if (outcome.status === 'max-tries') {
        throw new MiningError('max-tries', `no block found within maxtries (${maxTries})`, hashes);
      }
      if (outcome.status === 'cancelled') continue; // the tip moved: start again on the new one
      const result = await this.chain.processBlock(outcome.block);
      // Core's generateBlocks counts any block ProcessNewBlock accepts, a side branch included.
      if (result.status === 'invalid' || result.status === 'orphan') {
        const why = result.status === 'invalid' ? `${result.reason} (${result.debug})` : 'parent unknown';
        throw new MiningError(
          'block-rejected',
          `block ${outcome.block.hashHex()} not accepted: ${why}`,
          hashes,
        );
      }
      hashes.push(outcome.block.hash());
    }
    return hashes;
  }

  /**
   * Finds a proof of work for one template (see solveTemplate) within `maxTries` failed hashes, on
   * this miner's workers; 'cancelled' as soon as the chain tip moves away from the template's parent
   * (or `signal` aborts). The block is not submitted.
   */
  async mineTemplate(template: BlockTemplate, maxTries: number, signal?: AbortSignal): Promise<MineOutcome> {
    const controller = new AbortController();
    const watch = { prev: template.prevBlock, controller };
    const forward = (): void => controller.abort();
    signal?.addEventListener('abort', forward, { once: true });
    if (signal?.aborted) controller.abort();
    this.watched.add(watch);
    try {
      return await solveTemplate(template, {
        maxTries,
        nonceSpace: this.nonceSpace,
        inlineTries: this.inlineTries,
        signal: controller.signal,
        pool: () => this.searchPool(),
      });
    } catch (err) {
      // A broken pool is dropped so that the next search starts fresh workers.
      if (err instanceof MiningError && err.code === 'worker-failed') await this.closePool();
      throw err;
    } finally {
      this.watched.delete(watch);
      signal?.removeEventListener('abort', forward);
    }
  }

  /** Stops listening to the chain, cancels searches and terminates the workers. */
  async close(): Promise<void> {
    this.closed = true;
    this.chain.off('tip', this.onTip);
    for (const w of this.watched) w.controller.abort();
    await this.closePool();
  }

  private searchPool(): Promise<NonceSearch> {
    if (this.closed) return Promise.reject(new MiningError('closed', 'the miner is closed'));
    if (this.search === undefined) {
      const created = NonceSearch.create({ threads: this.threads });
      // A failed start-up is reported to this caller and retried by the next one.
      created.catch(() => {
        if (this.search === created) this.search = undefined;
      });
      this.search = created;
    }
    return this.search;
  }

  private async closePool(): Promise<void> {
    const search = this.search;
    this.search = undefined;
    if (search !== undefined) await (await search.catch(() => undefined))?.close();
  }
}
