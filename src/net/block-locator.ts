import type { Chain } from '../chain/chain.js';
import type { ChainEntry } from '../chain/chain-entry.js';

/** What locators need from the chain. */
export type LocatorChain = Pick<Chain, 'getEntry' | 'getEntryAtHeight' | 'getAncestor' | 'isOnActiveChain'>;

/**
 * A block locator for `entry` (Core's LocatorEntries): the entry and its ten nearest ancestors, then
 * ancestors at doubling distances, ending at genesis. A peer finds the last hash it shares with us
 * in O(log n) hashes, whichever branch either side is on: 31 hashes cover a million blocks.
 */
export function blockLocator(chain: Pick<LocatorChain, 'getAncestor'>, entry: ChainEntry): Uint8Array[] {
  const hashes: Uint8Array[] = [];
  let step = 1;
  let e: ChainEntry | undefined = entry;
  while (e !== undefined) {
    hashes.push(e.hash);
    if (e.height === 0) break;
    const next = Math.max(e.height - step, 0);
    e = chain.getAncestor(e, next);
    if (hashes.length > 10) step *= 2;
  }
  return hashes;
}

/**
 * The newest locator hash on our active chain (Core's FindForkInGlobalIndex), or genesis when
 * none is: where answers to `getheaders` and `getblocks` start.
 */
export function findLocatorFork(chain: LocatorChain, locator: readonly Uint8Array[]): ChainEntry {
  for (const hash of locator) {
    const entry = chain.getEntry(hash);
    if (entry !== undefined && chain.isOnActiveChain(entry)) return entry;
  }
  return chain.getEntryAtHeight(0)!;
}

/** The last block two entries share (Core's LastCommonAncestor), walking both back to one height. */
export function lastCommonAncestor(
  chain: Pick<LocatorChain, 'getAncestor'>,
  a: ChainEntry,
  b: ChainEntry,
): ChainEntry {
  let x: ChainEntry | undefined = a.height > b.height ? chain.getAncestor(a, b.height) : a;
  let y: ChainEntry | undefined = b.height > a.height ? chain.getAncestor(b, a.height) : b;
  while (x !== undefined && y !== undefined && x !== y) {
    x = x.prev;
    y = y.prev;
  }
  // Every entry descends from genesis, so the walk meets there at the latest.
  return x ?? a;
}
