import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './context.js';
import { jsonRoute } from './http-error.js';
import { parseTxid } from './params.js';

/** GET /api/tx/<txid> and /api/tx/<txid>/proof. */
export function registerTxRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(
    '/api/tx/:txid',
    jsonRoute(async (req) => ctx.txs.json(parseTxid((req.params as { txid: string }).txid)), ctx.log),
  );
  app.get(
    '/api/tx/:txid/proof',
    jsonRoute(async (req) => ctx.txs.proof(parseTxid((req.params as { txid: string }).txid)), ctx.log),
  );
}
