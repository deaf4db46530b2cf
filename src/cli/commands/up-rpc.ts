import type { RpcContext } from '../../rpc/context.js';
import { writeJson } from '../../rpc/json/write.js';
import type { RpcRegistry } from '../../rpc/registry.js';

/** A JSON-RPC call; `wallet` routes it as `/wallet/<name>` would. Rejects with RpcError. */
export type RpcCall = (method: string, params?: unknown[], wallet?: string) => Promise<unknown>;

/**
 * Calls the node's own method table in process, exactly as an HTTP request would reach it (same
 * argument checks, same errors), without credentials: `tally up` is the node, so it needs no cookie
 * and works with any -rpcauth setting. Results come back as plain JSON (amounts as numbers), the
 * shape a client sees.
 */
export function inProcessRpc(registry: RpcRegistry<RpcContext>, context: RpcContext): RpcCall {
  return async (method, params = [], wallet) => {
    const uri = wallet === undefined ? '/' : `/wallet/${encodeURIComponent(wallet)}`;
    const result = await registry.execute(context, method, params, { user: undefined, wallet, uri });
    return result === undefined ? null : JSON.parse(writeJson(result));
  };
}
