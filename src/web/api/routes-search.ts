import type { FastifyInstance } from 'fastify';
import { fromDisplayHex } from '../../encoding/hex.js';
import type { ApiContext } from './context.js';
import { badRequest, jsonRoute, notFound } from './http-error.js';
import { isHash, parseAddress, type Query } from './params.js';

/**
 * GET /api/search?q=: a number is a height, 64 hex a block hash and then a txid, anything else an
 * address of this network. Answers where to go: `{type, id, url}`, or 404 not-found.
 */
export function registerSearchRoute(app: FastifyInstance, ctx: ApiContext): void {
  const { chain, network } = ctx.deps;
  app.get(
    '/api/search',
    jsonRoute(async (req) => {
      const raw = (req.query as Query).q;
      if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 200) {
        throw badRequest('invalid-query', 'q must be a height, a block hash, a txid or an address');
      }
      const q = raw.trim();
      if (/^\d{1,10}$/.test(q)) {
        const entry = chain.getEntryAtHeight(Number(q));
        if (entry === undefined)
          throw notFound('not-found', `no block at height ${q}: the tip is at ${chain.height}`);
        return { type: 'block', id: entry.hashHex(), url: `/block/${entry.hashHex()}` };
      }
      if (isHash(q)) {
        const hash = fromDisplayHex(q);
        const id = q.toLowerCase();
        if (chain.getEntry(hash) !== undefined) return { type: 'block', id, url: `/block/${id}` };
        if (ctx.deps.mempool?.get(hash) !== undefined || (await chain.getTxLocation(hash)) !== undefined) {
          return { type: 'tx', id, url: `/tx/${id}` };
        }
        throw notFound('not-found', 'no block or transaction with this hash');
      }
      try {
        parseAddress(q, network.addressPrefixes, network.name);
      } catch {
        throw notFound('not-found', 'not a height, block hash, txid or address of this network');
      }
      return { type: 'address', id: q, url: `/address/${q}` };
    }, ctx.log),
  );
}
