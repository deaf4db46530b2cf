import { Block } from '../primitives/block.js';
import type { BlockTemplate } from './block-template.js';
import { NONCE_SPACE, type NonceSearch } from './nonce-search.js';
import { scanNonces, targetBytes } from './nonce-worker.js';

/**
 * Nonces tried on the calling thread before the workers are involved: ~8 ms of hashing, far less
 * than a round trip through the pool, and enough that on regtest (target 2^255: a solution every
 * second try) the workers are never started at all.
 */
export const DEFAULT_INLINE_TRIES = 4096;

/** The outcome of mining one template. `tries` counts failed hashes, as Core's max_tries does. */
export type MineOutcome =
  | { readonly status: 'solved'; readonly block: Block; readonly extraNonce: number; readonly tries: number }
  | { readonly status: 'max-tries'; readonly extraNonce: number; readonly tries: number }
  | { readonly status: 'cancelled'; readonly extraNonce: number; readonly tries: number };

export interface SolveOptions {
  /** Failed hashes allowed (Core's max_tries). */
  readonly maxTries: number;
  /** Nonces per extraNonce, 1..2^32 (default 2^32). */
  readonly nonceSpace?: number;
  /** Nonces of each range tried inline before the pool (default 4,096). */
  readonly inlineTries?: number;
  /** Aborting stops the workers within CHECK_EVERY nonces (the inline part cannot be interrupted). */
  readonly signal?: AbortSignal;
  /** The worker pool for the rest of each range; without one, the whole range is scanned inline. */
  readonly pool?: () => Promise<NonceSearch>;
}

/**
 * Finds a proof of work for `template`: nonces 0..nonceSpace-1 with extraNonce 0, then with
 * extraNonce 1 (a new coinbase, so a new Merkle root: Core's IncrementExtraNonce), and so on, until
 * a hash meets the target, `maxTries` failed hashes are spent, or the signal aborts.
 */
export async function solveTemplate(template: BlockTemplate, o: SolveOptions): Promise<MineOutcome> {
  const nonceSpace = o.nonceSpace ?? NONCE_SPACE;
  const inlineTries = o.inlineTries ?? DEFAULT_INLINE_TRIES;
  const target = targetBytes(template.target);
  const signal = o.signal;
  let tries = 0;
  for (let extraNonce = 0; ; extraNonce++) {
    if (signal?.aborted) return { status: 'cancelled', extraNonce, tries };
    if (tries >= o.maxTries) return { status: 'max-tries', extraNonce, tries };
    const coinbase = template.coinbase(extraNonce);
    const header = template.header(coinbase, 0);
    const bytes = header.encode();
    // Core's loop stops when max_tries runs out, so a range never goes past the budget.
    const end = Math.min(nonceSpace, o.maxTries - tries);
    const inlineEnd = o.pool === undefined ? end : Math.min(end, inlineTries);
    const inline = scanNonces(bytes, target, 0, inlineEnd);
    tries += inline.hashes;
    let nonce = inline.nonce;
    if (nonce < 0 && inlineEnd < end && o.pool !== undefined) {
      if (signal?.aborted) return { status: 'cancelled', extraNonce, tries };
      const pool = await o.pool();
      const r = await pool.search({ header: bytes, target: template.target, start: inlineEnd, end }, signal);
      tries += r.hashes;
      if (r.found) nonce = r.nonce;
      else if (r.cancelled) return { status: 'cancelled', extraNonce, tries };
    }
    if (nonce >= 0) {
      header.nonce = nonce;
      header.invalidate();
      const block = new Block(header, [coinbase, ...template.transactions.map((t) => t.tx)]);
      // The winning hash is not a failed try.
      return { status: 'solved', block, extraNonce, tries: tries - 1 };
    }
  }
}
