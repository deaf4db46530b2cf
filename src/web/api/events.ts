import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ChainEntry } from '../../chain/chain-entry.js';
import type { ReorgInfo } from '../../chain/events.js';
import type { MempoolEntry } from '../../mempool/entry.js';
import type { Block } from '../../primitives/block.js';
import type { ApiContext } from './context.js';
import { ApiError, sendError } from './http-error.js';
import { SseClient } from './sse-client.js';

/** Comment pings keep proxies and browsers from timing the stream out. */
export const PING_INTERVAL_MS = 15_000;
/** tx events are gathered this long and sent together (mempool bursts come hundreds at a time). */
const TX_FLUSH_MS = 250;
/** At most this many tx events per flush; the rest of a burst is summed up in one comment. */
const MAX_TX_PER_FLUSH = 50;
const MAX_CLIENTS = 100;
/** Hashes listed per side of a reorg event (a deeper reorg is cut, the counts say so). */
const MAX_REORG_HASHES = 100;

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * GET /api/events: Server-Sent Events for new blocks, mempool transactions and reorgs. One set of
 * chain and mempool listeners fans out to every client (attached with the first route, removed
 * when the server closes); a client's state goes away with its socket. Backpressure: while a
 * client's socket is full, tx events are dropped for it and block/reorg events wait in a small
 * backlog (oldest dropped first), so a stalled reader costs bounded memory (SseClient).
 */
export function registerEventsRoute(app: FastifyInstance, ctx: ApiContext): void {
  const clients = new Set<SseClient<ServerResponse>>();
  let txQueue: MempoolEntry[] = [];
  let txTimer: NodeJS.Timeout | undefined;

  const broadcast = (text: string, droppable: boolean) => {
    for (const client of clients) client.send(text, droppable);
  };

  const onBlock = (block: Block, entry: ChainEntry) =>
    broadcast(
      frame('block', {
        hash: entry.hashHex(),
        height: entry.height,
        time: entry.time,
        txCount: block.txs.length,
      }),
      false,
    );
  const onReorg = (info: ReorgInfo) => {
    const walk = (from: ChainEntry): string[] => {
      const hashes: string[] = [];
      for (let e: ChainEntry | undefined = from; e !== undefined && e !== info.fork; e = e.prev) {
        if (hashes.length < MAX_REORG_HASHES) hashes.push(e.hashHex());
      }
      return hashes;
    };
    broadcast(
      frame('reorg', {
        forkHeight: info.fork.height,
        disconnected: walk(info.oldTip),
        connected: walk(info.newTip),
      }),
      false,
    );
  };
  const flushTxs = () => {
    txTimer = undefined;
    const queue = txQueue;
    txQueue = [];
    const sent = queue.slice(-MAX_TX_PER_FLUSH);
    let text =
      queue.length > sent.length ? `: ${queue.length - sent.length} more tx events coalesced\n\n` : '';
    for (const entry of sent)
      text += frame('tx', { txid: entry.tx.txidHex(), vsize: entry.vsize, fee: entry.fee });
    broadcast(text, true);
  };
  const onTx = (entry: MempoolEntry) => {
    if (clients.size === 0) return;
    txQueue.push(entry);
    txTimer ??= setTimeout(flushTxs, TX_FLUSH_MS);
  };
  const ping = setInterval(() => broadcast(': ping\n\n', true), PING_INTERVAL_MS);
  ping.unref();

  const { chain, mempool } = ctx.deps;
  chain.on('block-connected', onBlock);
  chain.on('reorg', onReorg);
  mempool?.on('tx', onTx);
  app.addHook('onClose', async () => {
    chain.off('block-connected', onBlock);
    chain.off('reorg', onReorg);
    mempool?.off('tx', onTx);
    clearInterval(ping);
    if (txTimer !== undefined) clearTimeout(txTimer);
    for (const client of clients) client.sink.end();
    clients.clear();
  });

  app.get('/api/events', async (req, reply) => {
    if (clients.size >= MAX_CLIENTS) {
      await sendError(
        reply,
        new ApiError(503, 'too-many-clients', `at most ${MAX_CLIENTS} event streams at once`),
      );
      return;
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 3000\n: connected at height ${chain.height}\n\n`);
    const client = new SseClient(res);
    clients.add(client);
    const done = () => clients.delete(client);
    res.on('close', done);
    req.raw.on('close', done);
  });
}
