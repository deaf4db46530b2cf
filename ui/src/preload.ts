/**
 * The bundle's side of the early API requests that preload-start.ts (inline in index.html) starts
 * while the page is parsed: getJson() takes a preloaded response once; later calls (live reloads)
 * go to the network as usual.
 *
 * A preload serves the first render only: one the page did not use at once (a mempool tx's proof
 * 404, asked for only when the tx confirms) must not answer later. Navigation and every live event
 * drop them all (dropPreloaded), and none is used after FRESH_MS.
 */

interface Preloaded {
  response: Promise<Response>;
  at: number;
}

const FRESH_MS = 3000;
const shared = globalThis as {
  __tallyPreloads?: Map<string, Preloaded>;
  __tallyPreloadsChained?: () => Promise<unknown>;
};
const preloads: Map<string, Preloaded> = shared.__tallyPreloads ?? new Map();

/**
 * Settles once the early requests that wait for another answer (a proof's blocks) are started:
 * the page awaits it before asking for the same URLs, so they are asked for once, not twice.
 */
export function preloadsChained(): Promise<unknown> {
  return shared.__tallyPreloadsChained?.() ?? Promise.resolve();
}

/** The preloaded response for `path`, once and while fresh. */
export function takePreloaded(path: string): Promise<Response> | undefined {
  const hit = preloads.get(path);
  if (hit === undefined) return undefined;
  preloads.delete(path);
  return performance.now() - hit.at <= FRESH_MS ? hit.response : undefined;
}

/** Forgets every preload (the next page, or a page after a live event, asks for fresh data). */
export function dropPreloaded(): void {
  preloads.clear();
}
