/**
 * bitcoind's RPC error codes (Core's src/rpc/protocol.h, RPCErrorCode). Clients written against
 * bitcoind branch on these numbers, so they are kept exactly, aliases included. The JSON-RPC 2.0
 * standard codes (-32xxx) come first, then Core's application codes.
 */
export const RpcErrorCode = {
  // JSON-RPC 2.0 standard errors.
  RPC_INVALID_REQUEST: -32600,
  RPC_METHOD_NOT_FOUND: -32601,
  RPC_INVALID_PARAMS: -32602,
  /** Core also uses it for failures it cannot attribute to the caller (e.g. an unreadable block). */
  RPC_INTERNAL_ERROR: -32603,
  RPC_PARSE_ERROR: -32700,

  // General application errors.
  /** Any other failure while executing a command (Core: a std::exception in the handler). */
  RPC_MISC_ERROR: -1,
  RPC_TYPE_ERROR: -3,
  RPC_INVALID_ADDRESS_OR_KEY: -5,
  RPC_OUT_OF_MEMORY: -7,
  RPC_INVALID_PARAMETER: -8,
  RPC_DATABASE_ERROR: -20,
  RPC_DESERIALIZATION_ERROR: -22,
  RPC_VERIFY_ERROR: -25,
  RPC_VERIFY_REJECTED: -26,
  RPC_VERIFY_ALREADY_IN_CHAIN: -27,
  RPC_IN_WARMUP: -28,
  RPC_METHOD_DEPRECATED: -32,

  // Aliases Core keeps for backward compatibility (same numbers as above).
  RPC_TRANSACTION_ERROR: -25,
  RPC_TRANSACTION_REJECTED: -26,
  RPC_TRANSACTION_ALREADY_IN_CHAIN: -27,
  RPC_VERIFY_ALREADY_IN_UTXO_SET: -27,

  // P2P client errors.
  RPC_CLIENT_NOT_CONNECTED: -9,
  RPC_CLIENT_IN_INITIAL_DOWNLOAD: -10,
  RPC_CLIENT_NODE_ALREADY_ADDED: -23,
  RPC_CLIENT_NODE_NOT_ADDED: -24,
  RPC_CLIENT_NODE_NOT_CONNECTED: -29,
  RPC_CLIENT_INVALID_IP_OR_SUBNET: -30,
  RPC_CLIENT_P2P_DISABLED: -31,
  RPC_CLIENT_MEMPOOL_DISABLED: -33,
  RPC_CLIENT_NODE_CAPACITY_REACHED: -34,

  // Wallet errors (reserved for the wallet's methods).
  RPC_WALLET_ERROR: -4,
  RPC_WALLET_INSUFFICIENT_FUNDS: -6,
  RPC_WALLET_INVALID_LABEL_NAME: -11,
  RPC_WALLET_KEYPOOL_RAN_OUT: -12,
  RPC_WALLET_UNLOCK_NEEDED: -13,
  RPC_WALLET_PASSPHRASE_INCORRECT: -14,
  RPC_WALLET_WRONG_ENC_STATE: -15,
  RPC_WALLET_ENCRYPTION_FAILED: -16,
  RPC_WALLET_ALREADY_UNLOCKED: -17,
  RPC_WALLET_NOT_FOUND: -18,
  RPC_WALLET_NOT_SPECIFIED: -19,
  RPC_WALLET_ALREADY_LOADED: -35,
  RPC_WALLET_ALREADY_EXISTS: -36,
} as const;

export type RpcErrorCodeName = keyof typeof RpcErrorCode;
export type RpcErrorCodeValue = (typeof RpcErrorCode)[RpcErrorCodeName];

/** Names that share a number with another (Core's backward-compatible aliases). */
export const RPC_ERROR_ALIASES: ReadonlySet<RpcErrorCodeName> = new Set([
  'RPC_TRANSACTION_ERROR',
  'RPC_TRANSACTION_REJECTED',
  'RPC_TRANSACTION_ALREADY_IN_CHAIN',
  'RPC_VERIFY_ALREADY_IN_UTXO_SET',
]);

/**
 * An error a method reports to its caller: becomes the `error` member `{code, message}` of the reply.
 * Anything else thrown by a handler is a bug, reported as RPC_MISC_ERROR like Core's std::exception.
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  toJson(): { code: number; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** UniValue's type names, as Core's messages print them. */
export function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/**
 * Core's UniValue::type_error, which ExecuteCommand turns into RPC_TYPE_ERROR: a handler read a
 * value as a type it is not (e.g. a string where getInt was called).
 */
export function typeError(value: unknown, expected: string): RpcError {
  return new RpcError(
    RpcErrorCode.RPC_TYPE_ERROR,
    `JSON value of type ${jsonTypeName(value)} is not of expected type ${expected}`,
  );
}
