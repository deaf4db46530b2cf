/**
 * Runs inline in index.html's <head> (ui/vite.config.ts injects it, types stripped), while the
 * page is still being parsed: it starts the API requests the current path shows first, before the
 * script bundle has even arrived, and chains a proof's block lookups behind the proof. On the
 * 10,000-block bench chain this takes the bundle's download and start-up off the critical path of
 * the first render (bench/explorer-ui.ts). The bundle takes the responses through preload.ts.
 *
 * No imports and no exports: this file is a script, not a module of the bundle. Keep the URLs the
 * same as the pages' own requests (ui/src/api/client.ts), or the preloads are simply unused.
 */

interface Preloaded {
  response: Promise<Response>;
  at: number;
}

const preloads = new Map<string, Preloaded>();
/** Settles once requests that depend on another answer (a proof's blocks) have been started. */
let chained: Promise<unknown> = Promise.resolve();
const shared = globalThis as {
  __tallyPreloads?: Map<string, Preloaded>;
  __tallyPreloadsChained?: () => Promise<unknown>;
};
shared.__tallyPreloads = preloads;
shared.__tallyPreloadsChained = () => chained;

function start(path: string): Promise<Response> {
  const response = fetch(path, { headers: { Accept: 'application/json' } });
  // A failed preload is not an error here: the page's own request reports it.
  response.catch(() => undefined);
  preloads.set(path, { response, at: performance.now() });
  return response;
}

function param(path: string, kind: string): string | null {
  const m = new RegExp(`^/${kind}/([^/]+)/?$`).exec(path);
  return m === null ? null : encodeURIComponent(decodeURIComponent(m[1]!));
}

function preloadFor(path: string): void {
  if (path === '/') {
    start('/api/status');
    start('/api/blocks?limit=10');
    return;
  }
  if (path === '/mempool') {
    start('/api/mempool');
    start('/api/mempool/txs?limit=50');
    return;
  }
  const block = param(path, 'block');
  if (block !== null) {
    start(`/api/block/${block}`);
    start(`/api/block/${block}/txs?offset=0&limit=25`);
    return;
  }
  const tx = param(path, 'tx');
  if (tx !== null) {
    start(`/api/tx/${tx}`);
    chained = start(`/api/tx/${tx}/proof`)
      .then(async (res) => {
        if (!res.ok) return;
        const proof = (await res.clone().json()) as { height?: unknown };
        if (typeof proof.height !== 'number') return;
        start(`/api/block/${proof.height}`);
        if (proof.height > 0) start(`/api/block/${proof.height - 1}`);
      })
      .catch(() => undefined);
    return;
  }
  const address = param(path, 'address');
  if (address !== null) {
    start(`/api/address/${address}`);
    start(`/api/address/${address}/txs?offset=0&limit=25`);
    start(`/api/address/${address}/utxos?offset=0&limit=25`);
  }
}

try {
  preloadFor(location.pathname);
} catch {
  // A malformed path (a bad %-escape): the page itself shows the error.
}
