/**
 * Two `tally node` processes over P2P on loopback: B syncs A's chain (`--connect 127.0.0.1:<A>`)
 * and is SIGKILLed at random moments while it syncs. After every restart B resumes from where its
 * store stood (every tip it reported before the kill is still on its chain) and syncs on; every
 * other kill it is first restarted without peers, so that its block index, UTXO set (against a clean
 * replay) and mempool can be checked while nothing moves. At the end B reaches A's tip with A's
 * UTXO digest. The kill plan comes from a seeded PRNG (seed printed; TALLY_SYNC_SEED replays it).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { equalBytes } from '../../src/encoding/bytes.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import { NodeProcess } from '../support/node-process.js';
import { type SpendableOutput, TestChain, TestKey } from '../support/test-chain.js';
import {
  checkMempool,
  readActiveChain,
  regtestAddress,
  replayActiveChain,
  type TxOutSetInfo,
} from './node-checks.js';
import { seededRandom } from './node-workload.js';

const KILLS = 6;
/** A's chain: this many blocks, with spends of its first mature coinbases spread over them. */
const CHAIN_BLOCKS = 2000;
const SPENT_COINBASES = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `node` until its height reaches `height` (or `deadlineMs` passes); the last tip seen. */
async function waitForHeight(
  node: NodeProcess,
  height: number,
  deadlineMs: number,
): Promise<{ height: number; hash: string }> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const [count, hash] = await node.batch<number | string>([
      ['getblockcount', []],
      ['getbestblockhash', []],
    ]);
    const tip = { height: count as number, hash: hash as string };
    if (tip.height >= height) return tip;
    if (Date.now() > deadline) {
      throw new Error(`sync stalled at ${tip.height} (waiting for ${height}):\n${node.log().slice(-3000)}`);
    }
    await sleep(10);
  }
}

/** Mines A's chain over RPC: mature coinbases spent in chains of three, between batches of blocks. */
async function buildChain(a: NodeProcess, key: TestKey): Promise<number> {
  const address = regtestAddress(key);
  const tc = new TestChain({ key });
  const first = await a.call<string[]>('generatetoaddress', [SPENT_COINBASES + 100, address]);
  const raws = await a.batch<string>(first.slice(0, SPENT_COINBASES).map((h) => ['getblock', [h, 0]]));
  const coins: SpendableOutput[] = raws.map((raw) => {
    const coinbase = Block.decode(fromHex(raw)).txs[0]!;
    return tc.outputs(coinbase).find((o) => equalBytes(o.scriptPubKey, key.p2wpkh()))!;
  });
  let sent = 0;
  const rounds = 20;
  const perRound = Math.ceil((CHAIN_BLOCKS - SPENT_COINBASES - 100) / rounds);
  for (let round = 0; round < rounds; round++) {
    for (const coin of coins.splice(0, SPENT_COINBASES / rounds)) {
      let input = coin;
      for (let i = 0; i < 3; i++) {
        const half = Math.floor(input.value / 2);
        const tx = tc.spend([input], { outputs: [{ value: half }, { value: input.value - half - 1000 }] });
        await a.call('sendrawtransaction', [toHex(tx.encode())]);
        sent++;
        input = tc.outputs(tx)[1]!;
      }
    }
    await a.call('generatetoaddress', [perRound, address]);
  }
  return sent;
}

describe('tally node: P2P sync resumes after SIGKILL', { timeout: 180_000 }, () => {
  const dirA = mkdtempSync(join(tmpdir(), 'tally-node-sync-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'tally-node-sync-b-'));
  after(async () => {
    await NodeProcess.killAll();
    rmSync(dirA, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  });

  it(`B, killed ${KILLS} times while syncing from A, resumes each time and reaches A's tip and UTXO digest`, async (t) => {
    const seed = Number(process.env.TALLY_SYNC_SEED ?? Math.floor(Math.random() * 2 ** 32));
    const random = seededRandom(seed);
    const started = Date.now();
    const a = await NodeProcess.start({ datadir: dirA, listen: true });
    const sent = await buildChain(a, TestKey.fromSeed('node-sync'));
    const aHeight = await a.call<number>('getblockcount');
    const aTip = await a.call<string>('getbestblockhash');
    const aInfo = await a.call<TxOutSetInfo>('gettxoutsetinfo');
    const built = Date.now() - started;

    const connect = ['--connect', `127.0.0.1:${a.p2pPort}`];
    let b = await NodeProcess.start({ datadir: dirB, args: connect });
    const killedAt: number[] = [];
    let offlineChecks = 0;
    for (let k = 0; k < KILLS; k++) {
      const where = `seed ${seed}, kill ${k}`;
      // The first kill comes a few ms after start-up (handshake, headers); later ones once B has
      // synced a random share of what is left.
      const from = await b.call<number>('getblockcount');
      const target = k === 0 ? from : from + 1 + Math.floor((aHeight - from) * (0.05 + 0.2 * random()));
      await waitForHeight(b, Math.min(target, aHeight), 30_000);
      await sleep(Math.floor(random() * 40));
      const seen = await waitForHeight(b, 0, 1000);
      await b.kill();
      killedAt.push(seen.height);

      if (k % 2 === 1) {
        // Restarted without peers: nothing moves while the store the kill left is checked.
        const offline = await NodeProcess.start({ datadir: dirB });
        const chain = await readActiveChain(offline);
        assert.equal(chain.hashes[seen.height], seen.hash, `${where}: the tip seen before the kill is kept`);
        await (await replayActiveChain(offline, chain)).destroy();
        await checkMempool(offline, chain);
        await offline.kill();
        offlineChecks++;
      }
      b = await NodeProcess.start({ datadir: dirB, args: connect });
      const header = await b.call<{ confirmations: number }>('getblockheader', [seen.hash]);
      assert.ok(header.confirmations >= 1, `${where}: ${seen.hash} (height ${seen.height}) left the chain`);
    }

    // B resumes and reaches A's tip; with both quiet, everything B holds is checked against A.
    const final = await waitForHeight(b, aHeight, 60_000);
    assert.equal(final.hash, aTip);
    const chain = await readActiveChain(b);
    await (await replayActiveChain(b, chain)).destroy();
    await checkMempool(b, chain);
    const bInfo = await b.call<TxOutSetInfo>('gettxoutsetinfo');
    const digest = (i: TxOutSetInfo) => [
      i.height,
      i.bestblock,
      i.hash_serialized_3,
      i.txouts,
      i.total_amount,
    ];
    assert.deepEqual(digest(bInfo), digest(aInfo), "B's UTXO set is A's");
    const peers = await b.call<{ addr: string; inbound: boolean }[]>('getpeerinfo');
    assert.ok(
      peers.some((p) => p.addr === `127.0.0.1:${a.p2pPort}` && !p.inbound),
      JSON.stringify(peers),
    );
    assert.deepEqual(await b.stop(), { code: 0, signal: null });
    assert.deepEqual(await a.stop(), { code: 0, signal: null });

    const during = killedAt.filter((h) => h < aHeight).length;
    t.diagnostic(`seed ${seed} (TALLY_SYNC_SEED=${seed} replays this plan)`);
    t.diagnostic(
      `A: ${aHeight} blocks, ${sent} transactions, built in ${built} ms; B killed at heights ` +
        `${killedAt.join(', ')} (${during} of ${KILLS} before the tip), ${offlineChecks} offline checks; ` +
        `total ${Date.now() - started} ms`,
    );
    assert.ok(during >= KILLS - 1, `only ${during} kills landed during the sync`);
  });
});
