import { isJsonObject } from './args.js';
import { RpcError, RpcErrorCode } from './errors.js';
import { writeJson } from './json/write.js';

/**
 * JSON-RPC over HTTP as bitcoind speaks it (httprpc.cpp HTTPReq_JSONRPC, rpc/request.cpp), kept apart
 * from the HTTP server so it can be tested and fuzzed without sockets.
 *
 * - 1.0 ("legacy", the default): replies carry both `result` and `error`; a failed single request
 *   is also an HTTP error (404 method not found, 400 invalid request, 500 otherwise).
 * - 2.0 (`"jsonrpc": "2.0"`): replies carry only one of them, errors are HTTP 200, and a request
 *   without an `id` is a notification: executed, never answered (HTTP 204).
 * - A batch (array) is always HTTP 200; its members are executed in order, each with its own version.
 */

export type JsonRpcVersion = '1.0' | '2.0';

/** What bitcoind knows of a request so far: an error reply echoes the id parsed before the failure. */
export interface RequestState {
  /** The request's id; undefined when the member is absent (Core's std::nullopt). */
  id: unknown;
  version: JsonRpcVersion;
  method: string;
  params: unknown[] | Record<string, unknown>;
}

export interface HttpReply {
  readonly status: number;
  /** Undefined for 204 No Content. */
  readonly body?: string;
}

/** Runs one parsed request; throws RpcError (or anything else, a bug) on failure. */
export type Executor = (request: RequestState) => Promise<unknown>;

/** Core's JSONRPCRequest::parse. Fills `state` as it goes so that an error reply has the id. */
export function parseRequest(value: unknown, state: RequestState): void {
  if (!isJsonObject(value)) throw new RpcError(RpcErrorCode.RPC_INVALID_REQUEST, 'Invalid Request object');
  state.id = Object.hasOwn(value, 'id') ? value.id : undefined;
  state.version = '1.0';
  const version = value.jsonrpc;
  if (version !== undefined && version !== null) {
    if (typeof version !== 'string') {
      throw new RpcError(RpcErrorCode.RPC_INVALID_REQUEST, 'jsonrpc field must be a string');
    }
    // Some old documentation put "jsonrpc": "1.0" in requests; Core accepts it as the legacy protocol.
    if (version === '2.0') state.version = '2.0';
    else if (version !== '1.0')
      throw new RpcError(RpcErrorCode.RPC_INVALID_REQUEST, 'JSON-RPC version not supported');
  }
  const method = value.method;
  if (method === undefined || method === null)
    throw new RpcError(RpcErrorCode.RPC_INVALID_REQUEST, 'Missing method');
  if (typeof method !== 'string')
    throw new RpcError(RpcErrorCode.RPC_INVALID_REQUEST, 'Method must be a string');
  state.method = method;
  const params = value.params;
  if (Array.isArray(params) || isJsonObject(params)) state.params = params;
  else if (params === undefined || params === null) state.params = [];
  else throw new RpcError(RpcErrorCode.RPC_INVALID_REQUEST, 'Params must be an array or object');
}

function freshState(): RequestState {
  // Core's JSONRPCRequest starts with a null id, so a reply to unparseable input says "id": null.
  return { id: null, version: '1.0', method: '', params: [] };
}

const isNotification = (s: RequestState): boolean => s.id === undefined && s.version === '2.0';

/** Core's JSONRPCReplyObj. */
export function replyObject(
  result: unknown,
  error: { code: number; message: string } | null,
  state: RequestState,
): Record<string, unknown> {
  const reply: Record<string, unknown> = {};
  if (state.version === '2.0') reply.jsonrpc = '2.0';
  if (error === null) {
    reply.result = result ?? null;
    if (state.version === '1.0') reply.error = null;
  } else {
    if (state.version === '1.0') reply.result = null;
    reply.error = error;
  }
  if (state.id !== undefined) reply.id = state.id;
  return reply;
}

/** Any non-RpcError from a handler is a bug; Core reports std::exception as RPC_MISC_ERROR. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RpcError(RpcErrorCode.RPC_MISC_ERROR, message);
}

/** Core's JSONRPCExec: run and wrap; with catchErrors (2.0, batches) failures become error replies. */
async function execOne(
  state: RequestState,
  exec: Executor,
  catchErrors: boolean,
): Promise<Record<string, unknown>> {
  if (!catchErrors) return replyObject(await exec(state), null, state);
  try {
    return replyObject(await exec(state), null, state);
  } catch (err) {
    return replyObject(null, toRpcError(err).toJson(), state);
  }
}

function httpStatusFor(code: number): number {
  if (code === RpcErrorCode.RPC_INVALID_REQUEST) return 400;
  if (code === RpcErrorCode.RPC_METHOD_NOT_FOUND) return 404;
  return 500;
}

const json = (value: unknown): string => `${writeJson(value)}\n`;

/**
 * Answers one HTTP request body. Never throws: whatever the body holds, the reply is a JSON-RPC
 * document with the status bitcoind would send.
 */
export async function handleBody(body: string, exec: Executor): Promise<HttpReply> {
  const state = freshState();
  try {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw new RpcError(RpcErrorCode.RPC_PARSE_ERROR, 'Parse error');
    }
    if (nestedDeeperThan(value, MAX_JSON_DEPTH))
      throw new RpcError(RpcErrorCode.RPC_PARSE_ERROR, 'Parse error');
    if (isJsonObject(value)) {
      parseRequest(value, state);
      const reply = await execOne(state, exec, state.version === '2.0');
      if (isNotification(state)) return { status: 204 };
      return { status: 200, body: json(reply) };
    }
    if (Array.isArray(value)) {
      const replies: Record<string, unknown>[] = [];
      for (const member of value) {
        // A fresh state per member: an invalid member is answered with "id": null, as JSON-RPC 2.0
        // asks (Core reuses the previous member's id here; that is not something to copy).
        const s = freshState();
        let reply: Record<string, unknown>;
        try {
          parseRequest(member, s);
          reply = await execOne(s, exec, true);
        } catch (err) {
          reply = replyObject(null, toRpcError(err).toJson(), s);
        }
        if (!isNotification(s)) replies.push(reply);
      }
      // An all-notification batch gets no body; an empty batch still gets "[]" (Core keeps that for
      // old clients that send no version).
      if (replies.length === 0 && value.length > 0) return { status: 204 };
      return { status: 200, body: json(replies) };
    }
    throw new RpcError(RpcErrorCode.RPC_PARSE_ERROR, 'Top-level object parse error');
  } catch (err) {
    const error = toRpcError(err);
    return { status: httpStatusFor(error.code), body: json(replyObject(null, error.toJson(), state)) };
  }
}

/**
 * UniValue's reader refuses documents nested deeper than 512 (MAX_JSON_DEPTH) as a parse error.
 * The same limit here keeps every later recursive walk (argument checks, the id echoed back, the
 * writer) far from the stack limit. Iterative, so a hostile body cannot overflow this check either.
 */
const MAX_JSON_DEPTH = 512;

function nestedDeeperThan(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}
