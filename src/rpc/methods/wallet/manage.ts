import type { RpcContext } from '../../context.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import type { RpcMethod } from '../../registry.js';
import { engine, ensureWallets, walletForRequest } from './wallet-context.js';

/**
 * Loading and describing wallets (Core's wallet/rpc/wallet.cpp): createwallet, loadwallet,
 * unloadwallet, listwallets, listwalletdir, getwalletinfo.
 */

type Method = RpcMethod<RpcContext>;

const loadOnStartupParam = {
  name: 'load_on_startup',
  type: 'boolean',
  description:
    'Save wallet name to persistent settings and load on startup. True to add wallet to startup list, false to remove, null to leave unchanged.',
} as const;

/** Core's PushWarnings: the member only when there is something to say. */
function withWarnings(result: Record<string, unknown>, warnings: readonly string[]): Record<string, unknown> {
  if (warnings.length > 0) result.warnings = [...warnings];
  return result;
}

export const createwallet: Method = {
  name: 'createwallet',
  category: 'wallet',
  params: [
    {
      name: 'wallet_name',
      type: 'string',
      required: true,
      description:
        'The name for the new wallet. If this is a path, the wallet will be created at the path location.',
    },
    {
      name: 'disable_private_keys',
      type: 'boolean',
      default: false,
      description: 'Disable the possibility of private keys (only watchonlys are possible in this mode).',
    },
    {
      name: 'blank',
      type: 'boolean',
      default: false,
      description: 'Create a blank wallet. A blank wallet has no keys.',
    },
    { name: 'passphrase', type: 'string', description: 'Encrypt the wallet with this passphrase.' },
    {
      name: 'avoid_reuse',
      type: 'boolean',
      default: false,
      description:
        'Keep track of coin reuse, and treat dirty and clean coins differently with privacy considerations in mind.',
    },
    { name: 'descriptors', type: 'boolean', default: true, description: 'If set, must be "true"' },
    loadOnStartupParam,
    {
      name: 'external_signer',
      type: 'boolean',
      default: false,
      description:
        'Use an external signer such as a hardware wallet. Requires -signer to be configured. Wallet creation will fail if keys cannot be fetched. Requires disable_private_keys and descriptors set to true.',
    },
  ],
  description: 'Creates and loads a new wallet.',
  result: '{ "name", "warnings" }',
  examples: ['"testwallet"'],
  handler: async (ctx, args) => {
    const wallets = ensureWallets(ctx);
    const name = args.str(0);
    const disablePrivateKeys = args.bool(1);
    const blank = args.bool(2);
    const warnings: string[] = [];
    let passphrase: string | undefined;
    if (!args.isNull(3)) {
      passphrase = args.str(3);
      if (passphrase === '') {
        warnings.push('Empty string given as passphrase, wallet will not be encrypted.');
        passphrase = undefined;
      }
    }
    if (args.bool(4)) {
      // Tally's wallet does not track address reuse; refusing beats silently ignoring the flag.
      throw new RpcError(RpcErrorCode.RPC_WALLET_ERROR, 'avoid_reuse is not supported by this wallet');
    }
    if (!args.bool(5)) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_ERROR,
        'descriptors argument must be set to "true"; it is no longer possible to create a legacy wallet.',
      );
    }
    if (args.bool(7)) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_ERROR,
        'Compiled without external signing support (required for external signing)',
      );
    }
    if (disablePrivateKeys && passphrase !== undefined) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_ERROR,
        'Passphrase provided but private keys are disabled. A passphrase is only used to encrypt private keys, so cannot be used for wallets with private keys disabled.',
      );
    }
    const loadOnStartup = args.isNull(6) ? undefined : args.bool(6);
    const wallet = await engine(() =>
      wallets.create({
        name,
        disablePrivateKeys,
        blank,
        ...(passphrase !== undefined && { passphrase }),
        ...(loadOnStartup !== undefined && { loadOnStartup }),
      }),
    );
    return withWarnings({ name: wallet.name }, warnings);
  },
};

export const loadwallet: Method = {
  name: 'loadwallet',
  category: 'wallet',
  params: [
    {
      name: 'filename',
      type: 'string',
      required: true,
      description:
        'The path to the directory of the wallet to be loaded, either absolute or relative to the "wallets" directory.',
    },
    loadOnStartupParam,
  ],
  description: 'Loads a wallet from a wallet file or directory.',
  result: '{ "name", "warnings" }',
  examples: ['"walletname"'],
  handler: async (ctx, args) => {
    const wallets = ensureWallets(ctx);
    const name = args.str(0);
    if (wallets.loaded().includes(name)) {
      throw new RpcError(RpcErrorCode.RPC_WALLET_ALREADY_LOADED, `Wallet "${name}" is already loaded.`);
    }
    const loadOnStartup = args.isNull(1) ? undefined : args.bool(1);
    const wallet = await engine(() => wallets.load(name, loadOnStartup));
    return { name: wallet.name };
  },
};

export const unloadwallet: Method = {
  name: 'unloadwallet',
  category: 'wallet',
  params: [
    {
      name: 'wallet_name',
      type: 'string',
      defaultHint: 'the wallet name from the RPC endpoint',
      description:
        'The name of the wallet to unload. If provided both here and in the RPC endpoint, the two must be identical.',
    },
    loadOnStartupParam,
  ],
  description:
    'Unloads the wallet referenced by the request endpoint or the wallet_name argument.\n' +
    'If both are specified, they must be identical.',
  result: '{ "warnings" }',
  examples: ['wallet_name'],
  handler: async (ctx, args, call) => {
    const wallets = ensureWallets(ctx);
    const given = args.isNull(0) ? undefined : args.str(0);
    // Core's EnsureUniqueWalletName.
    let name: string;
    if (call.wallet !== undefined) {
      if (given !== undefined && given !== call.wallet) {
        throw new RpcError(
          RpcErrorCode.RPC_INVALID_PARAMETER,
          'The RPC endpoint wallet and the wallet name parameter specify different wallets',
        );
      }
      name = call.wallet;
    } else if (given !== undefined) name = given;
    else {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'Either the RPC endpoint wallet or the wallet name parameter must be provided',
      );
    }
    if (wallets.get(name) === undefined) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_NOT_FOUND,
        'Requested wallet does not exist or is not loaded',
      );
    }
    const loadOnStartup = args.isNull(1) ? undefined : args.bool(1);
    await engine(() => wallets.unload(name, loadOnStartup));
    return {};
  },
};

export const listwallets: Method = {
  name: 'listwallets',
  category: 'wallet',
  params: [],
  description:
    'Returns a list of currently loaded wallets.\nFor full information on the wallet, use "getwalletinfo"',
  result: '[ "walletname", ... ]',
  examples: [''],
  handler: (ctx) => [...ensureWallets(ctx).loaded()],
};

export const listwalletdir: Method = {
  name: 'listwalletdir',
  category: 'wallet',
  params: [],
  description: 'Returns a list of wallets in the wallet directory.',
  result: '{ "wallets" : [ { "name", "warnings" }, ... ] }',
  examples: [''],
  handler: (ctx) => ({
    wallets: ensureWallets(ctx)
      .onDisk()
      .map((name) => ({ name, warnings: [] })),
  }),
};

export const getwalletinfo: Method = {
  name: 'getwalletinfo',
  category: 'wallet',
  params: [],
  description: 'Returns an object containing various wallet state info.',
  result:
    '{ "walletname", "walletversion", "format", "txcount", "keypoolsize", "keypoolsize_hd_internal", "unlocked_until", "private_keys_enabled", "avoid_reuse", "scanning", "descriptors", "external_signer", "blank", "birthtime", "lastprocessedblock" : { "hash", "height" } }',
  examples: [''],
  handler: (ctx, _args, call) => {
    const info = walletForRequest(ctx, call).info();
    const json: Record<string, unknown> = {
      walletname: info.name,
      // Core keeps reporting the last legacy version (169900) for backwards compatibility.
      walletversion: 169900,
      format: 'tally',
      txcount: info.txCount,
      keypoolsize: info.keypoolSize,
      keypoolsize_hd_internal: info.keypoolSizeHdInternal,
    };
    if (info.unlockedUntil !== undefined) json.unlocked_until = info.unlockedUntil;
    json.private_keys_enabled = info.privateKeysEnabled;
    json.avoid_reuse = false;
    json.scanning = info.scanning === false ? false : { ...info.scanning };
    json.descriptors = true;
    json.external_signer = false;
    json.blank = info.blank ?? false;
    if (info.birthTime !== undefined) json.birthtime = info.birthTime;
    json.lastprocessedblock = { ...info.lastProcessedBlock };
    return json;
  },
};
