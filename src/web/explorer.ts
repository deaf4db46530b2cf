import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { BlockReader } from './api/block-reader.js';
import type { ApiContext } from './api/context.js';
import type { ExplorerDeps } from './api/deps.js';
import { registerEventsRoute } from './api/events.js';
import { ApiError, sendError } from './api/http-error.js';
import { openApiDocument } from './api/openapi.js';
import { registerAddressRoutes } from './api/routes-address.js';
import { registerChainRoutes } from './api/routes-chain.js';
import { registerMempoolRoutes } from './api/routes-mempool.js';
import { registerSearchRoute } from './api/routes-search.js';
import { registerTxRoutes } from './api/routes-tx.js';
import { TxLookup } from './api/tx-lookup.js';
import { registerStaticUi } from './static-files.js';

export type { ExplorerDeps } from './api/deps.js';

export interface ExplorerOptions {
  /** The built UI's folder (default: dist/ui of the package); the API works without it. */
  readonly uiDir?: string;
  readonly logger?: Logger;
}

/**
 * The explorer (issue #5) as a function that registers its GET routes on the RPC server's fastify
 * app: the REST API under /api (read-only, no credentials), its OpenAPI document, the event stream,
 * and the UI's pages and assets. RpcServer keeps JSON-RPC (POST) and its authentication.
 */
export function createExplorer(
  deps: ExplorerDeps,
  options: ExplorerOptions = {},
): (app: FastifyInstance) => void {
  return (app) => {
    const log = options.logger?.child({ module: 'explorer' });
    const blocks = new BlockReader(deps.chain);
    const ctx: ApiContext = { deps, blocks, txs: new TxLookup(deps, blocks), ...(log && { log }) };
    registerChainRoutes(app, ctx);
    registerTxRoutes(app, ctx);
    registerAddressRoutes(app, ctx);
    registerMempoolRoutes(app, ctx);
    registerSearchRoute(app, ctx);
    registerEventsRoute(app, ctx);
    app.get('/api/openapi.json', async (_req, reply) =>
      reply.header('Cache-Control', 'no-cache').send(openApiDocument),
    );
    // Anything else under /api is a JSON 404 (or 405 for other methods), never the RPC server's empty body.
    app.all('/api/*', async (req, reply) =>
      sendError(
        reply,
        req.method === 'GET' || req.method === 'HEAD'
          ? new ApiError(404, 'not-found', `no such API endpoint: ${req.url.split('?')[0]}`)
          : new ApiError(405, 'method-not-allowed', 'the explorer API is read-only: use GET'),
      ),
    );
    registerStaticUi(app, options.uiDir);
  };
}
