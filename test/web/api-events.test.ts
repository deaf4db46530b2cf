import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ExplorerFixture } from './api-fixture.js';
import type { Status } from './api-types.js';

interface SseEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** Reads an SSE stream, parsing `event:`/`data:` frames into a list a test can wait on. */
class SseReader {
  readonly events: SseEvent[] = [];
  readonly commentLines: string[] = [];
  comments = 0;
  private readonly controller = new AbortController();
  private buffer = '';
  readonly done: Promise<void>;

  constructor(url: string) {
    this.done = this.read(url).catch((err: Error) => {
      if (err.name !== 'AbortError') throw err;
    });
  }

  private async read(url: string): Promise<void> {
    const res = await fetch(url, { signal: this.controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      this.buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = this.buffer.indexOf('\n\n');
      while (end !== -1) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const lines = frame.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event !== undefined && data !== undefined) this.events.push({ event, data: JSON.parse(data) });
        else {
          this.comments++;
          this.commentLines.push(...lines.filter((l) => l.startsWith(':')));
        }
        end = this.buffer.indexOf('\n\n');
      }
    }
  }

  async waitFor(predicate: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no matching event; got ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.controller.abort();
  }
}

describe('explorer events: GET /api/events (Server-Sent Events)', () => {
  let f: ExplorerFixture;
  before(async () => {
    f = await ExplorerFixture.create();
  });
  after(async () => {
    await f?.destroy();
  });

  it('streams block, tx and reorg events, and forgets a client that goes away', async () => {
    const listenersBefore = f.chain.listenerCount('block-connected');
    const sse = new SseReader(f.url('/api/events'));
    const sse2 = new SseReader(f.url('/api/events'));
    try {
      // Wait for the stream to be attached (its greeting comment).
      const attached = Date.now();
      while (sse.comments === 0 || sse2.comments === 0) {
        assert.ok(Date.now() - attached < 5000, 'stream greeting');
        await new Promise((r) => setTimeout(r, 20));
      }
      // One set of chain listeners serves every client.
      assert.equal(f.chain.listenerCount('block-connected'), listenersBefore);

      const fork = f.tc.last;
      const [b104] = f.tc.mine(1);
      await f.process(b104!);
      const block = await sse.waitFor((e) => e.event === 'block' && e.data.height === 104);
      assert.deepEqual(block.data, {
        hash: b104!.hashHex(),
        height: 104,
        time: b104!.header.time,
        txCount: 1,
      });

      const tx = f.tc.spend([f.tc.coinbaseOutput(f.blocks[2]!)]);
      const accepted = await f.mempool.accept(tx);
      assert.ok(accepted.ok);
      const txEvent = await sse.waitFor((e) => e.event === 'tx');
      assert.deepEqual(txEvent.data, { txid: tx.txidHex(), vsize: tx.vsize(), fee: 1000 });

      // A two-block branch from 103 replaces 104.
      const side1 = f.tc.block({ parent: fork });
      const side2 = f.tc.block({ parent: side1 });
      await f.chain.processBlock(side1);
      await f.process(side2);
      const reorg = await sse.waitFor((e) => e.event === 'reorg');
      assert.deepEqual(reorg.data, {
        forkHeight: 103,
        disconnected: [b104!.hashHex()],
        connected: [side2.hashHex(), side1.hashHex()],
      });
      await sse2.waitFor((e) => e.event === 'reorg');
    } finally {
      sse.close();
      sse2.close();
      await sse.done;
      await sse2.done;
    }
    // The server drops closed clients; new events reach nobody and nothing breaks.
    await new Promise((r) => setTimeout(r, 100));
    for (const b of f.tc.mine(1)) await f.process(b);
    const status = await f.get<Status>('/api/status');
    assert.equal(status.json.height, 106);
  });

  it('coalesces a burst of mempool transactions (at most 50 tx events per flush)', async () => {
    // 60 coins in one block, then 60 transactions spending them reach the mempool at once.
    const fan = f.tc.spend([f.tc.coinbaseOutput(f.blocks[3]!)], {
      outputs: Array.from({ length: 60 }, () => ({ value: 50_000_000 })),
    });
    await f.process(f.tc.block({ txs: [fan] }));
    const spends = f.tc.outputs(fan).map((coin) => f.tc.spend([coin]));
    const sse = new SseReader(f.url('/api/events'));
    try {
      const attached = Date.now();
      while (sse.comments === 0) {
        assert.ok(Date.now() - attached < 5000, 'stream greeting');
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const tx of spends) assert.ok((await f.mempool.accept(tx)).ok);
      await sse.waitFor((e) => e.event === 'tx' && e.data.txid === spends[59]!.txidHex());
      await new Promise((r) => setTimeout(r, 400));
      const txEvents = sse.events.filter((e) => e.event === 'tx');
      assert.ok(txEvents.length <= 60 && txEvents.length >= 50, `${txEvents.length} tx events`);
      if (txEvents.length === 50)
        assert.ok(sse.commentLines.some((l) => /10 more tx events coalesced/.test(l)));
    } finally {
      sse.close();
      await sse.done;
    }
  });
});
