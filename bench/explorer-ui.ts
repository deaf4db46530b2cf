/**
 * The explorer's first render in Chromium on the 10,000-block / 200,000-transaction chain (issue
 * #5's target: ≤ 300 ms from navigation start to the page's data on screen). A `tally node
 * --explorer` serves a private copy of bench/support/explorer-chain.ts's chain; each load is a
 * fresh browser context (empty cache), timed by the `tally:rendered` performance mark the UI sets
 * once the page's data is painted. Reference in the same run: a static page (dist/ui/reference.html,
 * no bundle, no API call) served by the same node, marked by an inline script.
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { NodeProcess } from '../test/support/node-process.js';
import { buildUi, launchChromium } from '../test/web/ui-browser.js';
import { explorerBenchChain } from './support/explorer-chain.js';
import { fmt, ratio } from './stats.js';

const LOADS = 25;
const WARMUP = 3;
/** How long the node may take to build its address index over the chain before we give up. */
const INDEX_TIMEOUT_MS = 10 * 60_000;
const RENDERED = "performance.getEntriesByName('tally:rendered').length > 0";
const RENDER_TIME = "performance.getEntriesByName('tally:rendered')[0].startTime";

interface Latency {
  median: number;
  p99: number;
}

interface Status {
  height: number;
  addressIndex: { enabled: boolean; synced: boolean; progress: number };
}

/** Navigation start to the `tally:rendered` mark, in a fresh context (cold cache) per load. */
async function firstRender(browser: Browser, url: string): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(url, { waitUntil: 'commit', timeout: 30_000 });
      await page.waitForFunction(RENDERED, null, { timeout: 30_000 });
      const ms = Number(await page.evaluate(RENDER_TIME));
      if (errors.length > 0) throw new Error(`${url}: page error ${errors.join('; ')}`);
      if (i >= WARMUP) times.push(ms);
    } finally {
      await context.close();
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { median: at(0.5), p99: at(0.99) };
}

async function waitForAddressIndex(base: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const status = (await (await fetch(`${base}/api/status`)).json()) as Status;
    if (!status.addressIndex.enabled || status.addressIndex.synced) return performance.now() - started;
    if (performance.now() - started > INDEX_TIMEOUT_MS) {
      throw new Error(
        `address index not synced after ${INDEX_TIMEOUT_MS} ms (${status.addressIndex.progress})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function benchExplorerUi(): Promise<Record<string, Latency>> {
  buildUi();
  const chain = await explorerBenchChain({ fresh: true });
  let node: NodeProcess | undefined;
  let browser: Browser | undefined;
  try {
    node = await NodeProcess.start({ datadir: chain.datadir, args: ['--explorer'], readyTimeoutMs: 120_000 });
    const base = `http://127.0.0.1:${node.rpcPort}`;
    const indexMs = await waitForAddressIndex(base);
    browser = await launchChromium();
    const mid = chain.txids[Math.floor(chain.txids.length / 2)]!;
    const pages: [string, string][] = [
      ['reference (static page)', '/reference.html'],
      ['dashboard', '/'],
      [`block page (height ${Math.floor(chain.height / 2)})`, `/block/${Math.floor(chain.height / 2)}`],
      ['tx page with proof', `/tx/${mid}`],
      [`address page (${chain.addresses[0]!.slice(0, 12)}…, most used)`, `/address/${chain.addresses[0]}`],
    ];
    const results: Record<string, Latency> = {};
    for (const [name, path] of pages) results[name] = await firstRender(browser, `${base}${path}`);
    const reference = results['reference (static page)']!;
    console.log(
      `explorer UI first render, ${chain.height} blocks / ${chain.txids.length} txs, Chromium, cold cache, ` +
        `${LOADS} loads each (address index ready after ${(indexMs / 1000).toFixed(1)} s; ` +
        // Chromium and the node share the two cores: a busy machine shows in every figure.
        `load average ${loadavg()[0]!.toFixed(1)}):`,
    );
    for (const [name, r] of Object.entries(results)) {
      console.log(
        `  ${name}: median ${fmt(r.median)}, p99 ${fmt(r.p99)}` +
          (r === reference ? '' : ` | ratio to reference ${ratio(r.median, reference.median)}`),
      );
    }
    return results;
  } finally {
    await browser?.close();
    await node?.destroy();
    rmSync(chain.datadir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExplorerUi();
