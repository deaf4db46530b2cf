import type { AddressType, WalletApi, WalletManagerApi } from '../../../wallet/api.js';
import { WalletError } from '../../../wallet/api.js';
import type { RpcContext } from '../../context.js';
import { RpcError, RpcErrorCode, typeError } from '../../errors.js';
import type { RpcParam } from '../../args.js';
import type { CallInfo } from '../../registry.js';

/**
 * How wallet methods find their wallet and report the engine's errors (Core's wallet/rpc/util.cpp:
 * GetWalletForJSONRPCRequest, EnsureWalletContext, LabelFromValue, and the RPC codes the engine's
 * WalletError codes stand for).
 */

/** Core's EnsureWalletContext: a node started without wallet support has no wallet manager. */
export function ensureWallets(ctx: RpcContext): WalletManagerApi {
  if (ctx.wallets === undefined)
    throw new RpcError(RpcErrorCode.RPC_INTERNAL_ERROR, 'Wallet context not found');
  return ctx.wallets;
}

/** Core's GetWalletForJSONRPCRequest. */
export function walletForRequest(ctx: RpcContext, call: CallInfo): WalletApi {
  const wallets = ensureWallets(ctx);
  if (call.wallet !== undefined) {
    const wallet = wallets.get(call.wallet);
    if (wallet === undefined) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_NOT_FOUND,
        'Requested wallet does not exist or is not loaded',
      );
    }
    return wallet;
  }
  const loaded = wallets.loaded();
  if (loaded.length === 1) {
    const only = wallets.get(loaded[0]!);
    if (only !== undefined) return only;
  }
  if (loaded.length === 0) {
    throw new RpcError(
      RpcErrorCode.RPC_WALLET_NOT_FOUND,
      'No wallet is loaded. Load a wallet using loadwallet or create a new one with createwallet. (Note: A default wallet is no longer automatically created)',
    );
  }
  throw new RpcError(
    RpcErrorCode.RPC_WALLET_NOT_SPECIFIED,
    'Multiple wallets are loaded. Please select which wallet to use by requesting the RPC through the /wallet/<walletname> URI path.',
  );
}

/**
 * The engine's WalletError as the RPC error bitcoind returns. Core's HandleWalletError reports an
 * existing wallet as RPC_WALLET_ALREADY_EXISTS (-36), which the engine's table lists as -4.
 */
export function rpcErrorOf(err: unknown): unknown {
  if (!(err instanceof WalletError)) return err;
  const code = err.code === 'WALLET_ALREADY_EXISTS' ? RpcErrorCode.RPC_WALLET_ALREADY_EXISTS : err.rpcCode;
  return new RpcError(code, err.message);
}

/** Runs an engine call, translating its WalletError into the RPC error. */
export async function engine<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw rpcErrorOf(err);
  }
}

/** Core's EnsureWalletIsUnlocked. */
export function ensureUnlocked(wallet: WalletApi): void {
  if (wallet.isLocked()) {
    throw new RpcError(
      RpcErrorCode.RPC_WALLET_UNLOCK_NEEDED,
      'Error: Please enter the wallet passphrase with walletpassphrase first.',
    );
  }
}

/** Core's LabelFromValue: "*" means "all labels" elsewhere and cannot name one. */
export function labelFromValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') throw typeError(value, 'string');
  if (value === '*') throw new RpcError(RpcErrorCode.RPC_WALLET_INVALID_LABEL_NAME, 'Invalid label name');
  return value;
}

/**
 * Core's ParseOutputType for wallet addresses: legacy, p2sh-segwit, bech32 and bech32m (BIP86
 * taproot). A wallet without a chain of the type fails later, as Core's GetNewDestination does.
 */
export function parseAddressType(value: unknown, kind = 'address type'): AddressType {
  if (typeof value !== 'string') throw typeError(value, 'string');
  if (value === 'legacy' || value === 'p2sh-segwit' || value === 'bech32' || value === 'bech32m')
    return value;
  throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Unknown ${kind} '${value}'`);
}

export const walletNameParam = {
  name: 'wallet_name',
  type: 'string',
  required: true,
  description: 'The wallet name',
} as const;

/** Parameters several wallet RPCs share, with Core's help texts. */
export const INCLUDE_IMMATURE_COINBASE_PARAM: RpcParam = {
  name: 'include_immature_coinbase',
  type: 'boolean',
  default: false,
  description: 'Include immature coinbase transactions.',
};

export function includeWatchonlyParam(description: string): RpcParam {
  return {
    name: 'include_watchonly',
    type: 'boolean',
    defaultHint: 'true for watch-only wallets, otherwise false',
    description,
  };
}

export function minconfParam(description: string): RpcParam {
  return { name: 'minconf', type: 'number', default: 1, description };
}
