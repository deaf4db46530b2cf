/**
 * The explorer in a real browser (Debian's headless Chromium through playwright-core) against a
 * real `tally node --explorer` with signed transactions: search a txid and watch its Merkle proof
 * verify in the page, see a newly mined block arrive without a reload, open an address page, load
 * a proof with one byte changed and see it refused with the failed check named, and render on a
 * phone-sized screen. Screenshots go to test-artifacts/ui/. The steps share one node and one
 * browser and run in order.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { equalBytes } from '../../src/encoding/bytes.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import type { TxProof } from '../../ui/src/api/types.js';
import { regtestAddress } from '../node/node-checks.js';
import { NodeProcess } from '../support/node-process.js';
import { TestChain, TestKey } from '../support/test-chain.js';
import { artifactPath, type Browser, buildUi, launchBrowser, requireChromium } from './ui-browser.js';

const text = async (locator: Locator): Promise<string> => (await locator.textContent()) ?? '';

/** The hex string with one byte XORed (a one-byte tamper). */
function flipByte(hex: string, byteIndex: number): string {
  const b = Number.parseInt(hex.slice(byteIndex * 2, byteIndex * 2 + 2), 16) ^ 0x40;
  return hex.slice(0, byteIndex * 2) + b.toString(16).padStart(2, '0') + hex.slice(byteIndex * 2 + 2);
}

describe('explorer UI in headless Chromium', { timeout: 240_000 }, () => {
  const key = TestKey.fromSeed('ui-explorer');
  const payee = TestKey.fromSeed('ui-explorer-payee');
  const address = regtestAddress(key);
  const payeeAddress = regtestAddress(payee);
  const tc = new TestChain({ key });
  let node: NodeProcess;
  let browser: Browser;
  let page: Page;
  let base: string;
  /** The spends confirmed in block 106, and one sent to the mempool later. */
  const confirmed: Transaction[] = [];
  let pending: Transaction;
  const PAYEE_VALUE = 1_234_567_890;
  const pageErrors: string[] = [];

  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(15_000) });
    assert.equal(res.status, 200, `${path}: HTTP ${res.status} ${await res.clone().text()}`);
    return (await res.json()) as T;
  };
  const coinbaseCoin = async (height: number) => {
    const hash = await node.call<string>('getblockhash', [height]);
    const block = Block.decode(fromHex(await node.call<string>('getblock', [hash, 0])));
    const coin = tc.outputs(block.txs[0]!).find((o) => equalBytes(o.scriptPubKey, key.p2wpkh()));
    assert.ok(coin !== undefined, `coinbase ${height} pays our key`);
    return coin;
  };
  const send = (tx: Transaction) => node.call<string>('sendrawtransaction', [toHex(tx.encode())]);
  const shot = (name: string, p: Page = page) => p.screenshot({ path: artifactPath(name), fullPage: true });
  const search = async (query: string) => {
    await page.fill('input[name=q]', query);
    await page.press('input[name=q]', 'Enter');
  };

  before(async () => {
    requireChromium();
    buildUi();
    node = await NodeProcess.start({ args: ['--explorer'] });
    base = `http://127.0.0.1:${node.rpcPort}`;
    // Coinbases 1..5 are spent below: each must be 100 blocks deep for the block after the tip.
    await node.call('generatetoaddress', [105, address]);
    // Three spends confirmed together (positions 1..3 of block 106), one paying the payee.
    const toPayee = tc.spend([await coinbaseCoin(1)], {
      outputs: [
        { value: PAYEE_VALUE, scriptPubKey: payee.p2wpkh() },
        { value: 5_000_000_000 - PAYEE_VALUE - 2000 },
      ],
    });
    confirmed.push(
      toPayee,
      tc.spend([await coinbaseCoin(2)]),
      tc.spend([await coinbaseCoin(3)], { fee: 5000 }),
    );
    for (const tx of confirmed) await send(tx);
    await node.call('generatetoaddress', [1, address]);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  after(async () => {
    await browser?.close();
    await NodeProcess.killAll();
    await node?.destroy();
  });

  it('serves the UI on GET / and renders the dashboard at the tip', async () => {
    await page.goto(`${base}/`);
    await page.locator('[data-testid=tip-height]', { hasText: '#106' }).waitFor();
    await page.locator('tr[data-height="106"]').waitFor();
    assert.equal(await page.title(), 'Tally explorer');
    await shot('dashboard.png');
  });

  it('searches a txid and verifies its Merkle proof in the browser', async () => {
    const tx = confirmed[1]!;
    await search(tx.txidHex());
    await page.waitForURL(`${base}/tx/${tx.txidHex()}`);
    const verdict = page.locator('#proof [data-testid=proof-verdict]').first();
    await verdict.waitFor();
    assert.match(await text(verdict), /Proof verified/);
    // The miner orders by fee rate: read the position from the node, not from the sending order.
    const block = await node.call<{ tx: string[] }>('getblock', [await node.call('getblockhash', [106]), 1]);
    const position = block.tx.indexOf(tx.txidHex());
    assert.ok(position > 0);
    const where = await text(page.locator('[data-testid=proof-where]'));
    assert.match(where, new RegExp(`In block #106 at position ${position}$`));
    const checks = page.locator('#proof .proof-result').first().locator('[data-check]');
    assert.equal(await checks.count(), 5);
    for (const id of ['format', 'merkle-root', 'proof-of-work', 'block-hash', 'chain-link']) {
      assert.equal(
        await checks.and(page.locator(`[data-check="${id}"]`)).getAttribute('data-ok'),
        'true',
        id,
      );
    }
    assert.equal(await page.locator('#proof svg .mk-path').count(), 2, 'a 2-level branch: tx and one parent');
    await shot('tx-proof.png');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download proof' }).click();
    const file = await (await download).path();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as TxProof;
    assert.deepEqual(saved, await getJson<TxProof>(`/api/tx/${tx.txidHex()}/proof`));
  });

  it('shows a newly mined block without a reload', async () => {
    await page.evaluate('window.__sameDocument = true');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('[data-testid=tip-height]', { hasText: '#106' }).waitFor();
    const [hash] = await node.call<string[]>('generatetoaddress', [1, address]);
    await page.locator('[data-testid=tip-height]', { hasText: '#107' }).waitFor();
    await page.locator(`tr[data-height="107"]`).waitFor();
    await page.locator('.new-block[data-height="107"]').waitFor();
    assert.equal((await page.locator(`a[href="/block/${hash}"]`).count()) > 0, true);
    const same = await page.evaluate('window.__sameDocument');
    assert.equal(same, true, 'the page was not reloaded');
    await shot('live-new-block.png');
  });

  it('opens an address page from the search box', async () => {
    await search(payeeAddress);
    await page.waitForURL(`${base}/address/${payeeAddress}`);
    const balance = page.locator('[data-testid=address-balance]');
    await balance.waitFor();
    assert.equal(await text(balance), '12.34567890 BTC');
    await page.locator('#address-txs a', { hasText: confirmed[0]!.txidHex().slice(0, 8) }).waitFor();
    await shot('address.png');
  });

  it('refuses a proof with one byte changed and names the failed check', async () => {
    const tx = confirmed[0]!;
    await page.goto(`${base}/tx/${tx.txidHex()}`);
    await page.locator('#proof [data-testid=proof-verdict]').first().waitFor();
    const proof = await getJson<TxProof>(`/api/tx/${tx.txidHex()}/proof`);
    await page.locator('#verify-file summary').click();
    const result = page.locator('[data-testid=verify-file-result]');
    /** Pastes `json`, presses Verify and waits for a verdict matching `expect` (the old one may linger). */
    const verify = async (json: string, expect: RegExp) => {
      await page.fill('textarea[name=proof-json]', json);
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
      await result.locator('[data-testid=proof-verdict]', { hasText: expect }).waitFor();
    };
    // The untouched proof passes the same form, so the refusals below are the tamper's doing.
    await verify(JSON.stringify(proof), /Proof verified/);

    const branchTampered = { ...proof, branch: [flipByte(proof.branch[0]!, 7), ...proof.branch.slice(1)] };
    await verify(JSON.stringify(branchTampered), /INVALID/);
    assert.equal(await result.locator('[data-check="merkle-root"]').getAttribute('data-ok'), 'false');
    assert.match(await text(result.locator('[data-check="merkle-root"]')), /differs from the header/);
    await shot('proof-tampered-branch.png');

    // One byte of the nonce, uploaded as a file: the header is no longer the block at that height.
    const headerTampered = { ...proof, header: flipByte(proof.header, 77) };
    await page.fill('textarea[name=proof-json]', '');
    await page.setInputFiles('input[type=file]', {
      name: 'proof.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(headerTampered)),
    });
    await result.locator('[data-check="block-hash"][data-ok="false"]').waitFor();
    assert.match(await text(result.locator('[data-testid=proof-verdict]')), /INVALID/);

    await page.fill('textarea[name=proof-json]', '{"txid": 1}');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await result.locator('.error', { hasText: 'Not a proof' }).waitFor();
  });

  it('lists the unconfirmed transaction on the mempool page and follows new ones live', async () => {
    // Sent now: the block mined above emptied the mempool.
    pending = tc.spend([await coinbaseCoin(4)], { fee: 3000 });
    await send(pending);
    await page.getByRole('link', { name: 'Mempool' }).click();
    await page.locator(`a[href="/tx/${pending.txidHex()}"]`).waitFor();
    const count = page.locator('[data-testid=mempool-count]');
    assert.equal(await text(count), '1');
    await send(tc.spend([await coinbaseCoin(5)], { fee: 4000 }));
    await page.locator('[data-testid=mempool-count]', { hasText: '2' }).waitFor();
    await shot('mempool.png');
  });

  it('confirms a watched transaction live: its proof appears when a block includes it', async () => {
    await page.goto(`${base}/tx/${pending.txidHex()}`);
    await page.locator('[data-testid=tx-status]', { hasText: 'unconfirmed' }).waitFor();
    assert.equal(await page.locator('#proof').count(), 0, 'no proof for a mempool transaction');
    await page.evaluate('window.__sameDocument = true');
    const [hash] = await node.call<string[]>('generatetoaddress', [1, address]);
    await page.locator('[data-testid=tx-status]', { hasText: '1 confirmation' }).waitFor();
    await shot('tx-confirmed-live.png');
    await page.locator('#proof [data-testid=proof-verdict]', { hasText: 'Proof verified' }).first().waitFor();
    assert.equal((await page.locator(`#proof a[href="/block/${hash}"]`).count()) > 0, true);
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'the page was not reloaded');
  });

  it('shows search errors inline and finds a block by height', async () => {
    await search('not-a-thing');
    await page.locator('.search-error').waitFor();
    assert.match(await text(page.locator('.search-error')), /Nothing found|invalid|not/i);
    await search('5');
    const hash5 = await node.call<string>('getblockhash', [5]);
    await page.waitForURL(`${base}/block/${hash5}`);
    await page.locator('h1', { hasText: 'Block #5' }).waitFor();
    // Every header field, as the node's getblockheader has it.
    const header = await node.call<Record<string, string | number>>('getblockheader', [hash5]);
    const field = (name: string) =>
      text(
        page
          .locator('.kv-row', { has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) })
          .locator('dd'),
      );
    assert.equal(await field('Hash'), hash5);
    assert.equal(await field('Previous block'), header.previousblockhash);
    assert.equal(await field('Merkle root'), header.merkleroot);
    assert.match(await field('Version'), new RegExp(`^${header.version} \\(0x${header.versionHex}\\)$`));
    assert.equal(await field('Bits'), header.bits);
    assert.equal(await field('Nonce'), String(header.nonce));
    assert.match(
      await field('Time'),
      new RegExp(new Date(Number(header.time) * 1000).toISOString().slice(0, 19).replace('T', ' ')),
    );
    await shot('block.png');
  });

  it('pages through the block list', async () => {
    await page.getByRole('link', { name: 'Blocks' }).click();
    const rows = page.locator('table.blocks tbody tr');
    await rows.first().waitFor();
    const tip = await node.call<number>('getblockcount');
    assert.equal(await rows.count(), 25);
    assert.equal(await rows.first().getAttribute('data-height'), String(tip));
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.locator(`table.blocks tr[data-height="${tip - 25}"]`).waitFor();
    assert.equal(await rows.first().getAttribute('data-height'), String(tip - 25));
  });

  it('asks for each API answer once when a tx page loads (the early requests are used)', async () => {
    const fresh = await browser.context.newPage();
    const requests: string[] = [];
    fresh.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname.startsWith('/api/') && url.pathname !== '/api/events')
        requests.push(url.pathname + url.search);
    });
    try {
      const txid = confirmed[2]!.txidHex();
      await fresh.goto(`${base}/tx/${txid}`);
      await fresh
        .locator('#proof [data-testid=proof-verdict]', { hasText: 'Proof verified' })
        .first()
        .waitFor();
      const height = (await getJson<TxProof>(`/api/tx/${txid}/proof`)).height;
      assert.deepEqual(requests.sort(), [
        `/api/block/${height - 1}`,
        `/api/block/${height}`,
        `/api/tx/${txid}`,
        `/api/tx/${txid}/proof`,
      ]);
    } finally {
      await fresh.close();
    }
  });

  it('renders on a phone-sized screen without sideways scrolling', async () => {
    const phone = await browser.context.newPage();
    phone.on('pageerror', (err) => pageErrors.push(err.message));
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      for (const [path, ready, name] of [
        ['/', '[data-testid=tip-height]', 'mobile-dashboard.png'],
        [`/tx/${confirmed[0]!.txidHex()}`, '#proof [data-testid=proof-verdict]', 'mobile-tx-proof.png'],
        [`/address/${payeeAddress}`, '[data-testid=address-balance]', 'mobile-address.png'],
      ] as const) {
        await phone.goto(`${base}${path}`);
        await phone.locator(ready).first().waitFor();
        const width = Number(await phone.evaluate('document.documentElement.scrollWidth'));
        assert.ok(width <= 390, `${path}: page is ${width}px wide on a 390px screen`);
        // Tables may scroll sideways inside their card, but on a phone none has to.
        const cut = await phone.evaluate(
          "[...document.querySelectorAll('.table-wrap')].filter((t) => t.scrollWidth > t.clientWidth + 1).length",
        );
        assert.equal(cut, 0, `${path}: a table is wider than the screen`);
        await shot(name, phone);
      }
    } finally {
      await phone.close();
    }
  });

  it('raised no script errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
