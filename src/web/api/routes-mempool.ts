import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './context.js';
import { jsonRoute } from './http-error.js';
import { feeHistogram, mempoolByFeeRate, mempoolStats, mempoolTxItem } from './mempool-stats.js';
import { parseLimit, parseOffset, type Query } from './params.js';

/** GET /api/mempool, /api/mempool/txs and /api/peers. */
export function registerMempoolRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(
    '/api/mempool',
    jsonRoute(
      async () => ({
        ...mempoolStats(ctx.deps.mempool),
        histogram: feeHistogram(ctx.deps.mempool),
      }),
      ctx.log,
    ),
  );

  app.get(
    '/api/mempool/txs',
    jsonRoute(async (req) => {
      const query = req.query as Query;
      const offset = parseOffset(query);
      const limit = parseLimit(query);
      const sorted = mempoolByFeeRate(ctx.deps.mempool);
      const end = Math.min(sorted.length, offset + limit);
      return { items: sorted.slice(offset, end).map(mempoolTxItem), next: end < sorted.length ? end : null };
    }, ctx.log),
  );

  app.get(
    '/api/peers',
    jsonRoute(
      async () => ({
        items: (ctx.deps.peers?.peers() ?? []).map((p) => ({
          id: p.id,
          address: p.addr,
          inbound: p.inbound,
          userAgent: p.subver,
          startingHeight: p.startingHeight,
          syncedHeight: p.syncedBlocks,
          pingMs: p.pingTime === undefined ? null : Math.round(p.pingTime * 1000 * 1000) / 1000,
          connectedAt: p.connTime,
        })),
      }),
      ctx.log,
    ),
  );
}
