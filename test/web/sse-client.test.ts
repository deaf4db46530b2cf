import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { SseClient } from '../../src/web/api/sse-client.js';

/**
 * A real Writable whose reader can be stalled and resumed: while stalled, chunks pile up in the
 * stream's buffer exactly as they do in a socket whose peer stopped reading.
 */
function stallableSink(highWaterMark: number) {
  const received: string[] = [];
  let stalled = false;
  const waiting: (() => void)[] = [];
  const sink = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _enc, callback) {
      received.push(chunk);
      if (stalled) waiting.push(callback);
      else callback();
    },
  });
  return {
    sink,
    received,
    stall: () => {
      stalled = true;
    },
    /** The reader catches up: everything queued is written, then 'drain' fires. */
    resume: async () => {
      stalled = false;
      while (waiting.length > 0) waiting.shift()!();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const block = (n: number) => `event: block\ndata: {"height":${n}}\n\n`;
const tx = (n: number) => `event: tx\ndata: {"n":${n}}\n\n`;

describe('SSE client backpressure', () => {
  it('a reader that keeps up gets every event in order', async () => {
    const s = stallableSink(1024);
    const client = new SseClient(s.sink, { highWater: 1024, maxBacklog: 4 });
    for (let i = 0; i < 200; i++) client.send(i % 2 === 0 ? block(i) : tx(i), i % 2 === 1);
    await new Promise((r) => setImmediate(r));
    assert.equal(s.received.length, 200);
    assert.equal(s.received[199], tx(199));
    assert.equal(client.dropped, 0);
  });

  it('a stalled reader costs bounded memory: tx events dropped, only the newest blocks kept', async () => {
    const s = stallableSink(256);
    const client = new SseClient(s.sink, { highWater: 256, maxBacklog: 4 });
    s.stall();
    for (let i = 0; i < 10_000; i++) {
      client.send(tx(i), true);
      client.send(block(i), false);
    }
    // What waits in memory: the stream's buffer (about one high-water mark) and 4 events.
    assert.ok(s.sink.writableLength <= 256 + block(10_000).length, `${s.sink.writableLength} bytes queued`);
    assert.equal(client.backlogLength, 4);
    assert.ok(client.dropped > 19_000, `${client.dropped} dropped`);

    await s.resume();
    assert.equal(client.backlogLength, 0);
    // After the ones written before the stall took hold, the reader gets the four newest blocks, in order.
    assert.deepEqual(s.received.slice(-4), [block(9_996), block(9_997), block(9_998), block(9_999)]);
    // Once caught up, nothing is dropped any more.
    const before = client.dropped;
    client.send(tx(1), true);
    client.send(block(10_000), false);
    await new Promise((r) => setImmediate(r));
    assert.equal(client.dropped, before);
    assert.deepEqual(s.received.slice(-2), [tx(1), block(10_000)]);
  });

  it('a backlog longer than one drain can write is written over several drains', async () => {
    const s = stallableSink(64);
    const client = new SseClient(s.sink, { highWater: 64, maxBacklog: 50 });
    s.stall();
    for (let i = 0; i < 50; i++) client.send(block(i), false);
    assert.ok(client.backlogLength > 40);
    for (let round = 0; round < 100 && client.backlogLength > 0; round++) await s.resume();
    await s.resume();
    assert.equal(client.backlogLength, 0);
    assert.deepEqual(
      s.received,
      Array.from({ length: 50 }, (_, i) => block(i)),
      'every block, in order, none lost',
    );
  });
});
