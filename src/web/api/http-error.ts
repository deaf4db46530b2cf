import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/**
 * An explorer API failure as the contract shapes it: HTTP 400 (malformed input), 404 (unknown),
 * 503 (not ready) with `{"error":{"code":"<slug>","message":"<sentence>"}}`, plus optional extra
 * fields (e.g. `progress` of an index still building).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: 400 | 404 | 405 | 503,
    readonly code: string,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string): ApiError => new ApiError(400, code, message);
export const notFound = (code: string, message: string): ApiError => new ApiError(404, code, message);

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply
    .code(err.status)
    .header('Cache-Control', 'no-store')
    .send({ error: { code: err.code, message: err.message, ...err.extra } });
}

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Wraps a route: the value it resolves to is sent as JSON; an ApiError becomes its JSON error; any
 * other failure is logged and answered 500 without details, so no input can take the node down.
 */
export function jsonRoute(
  handler: Handler,
  log?: Logger,
): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (req, reply) => {
    try {
      const body = await handler(req, reply);
      if (!reply.sent) await reply.header('Cache-Control', 'no-cache').send(body);
    } catch (err) {
      if (err instanceof ApiError) {
        await sendError(reply, err);
        return;
      }
      log?.error({ err, url: req.url }, 'explorer API request failed');
      await reply
        .code(500)
        .send({ error: { code: 'internal-error', message: 'internal error: see the node log' } });
    }
  };
}
