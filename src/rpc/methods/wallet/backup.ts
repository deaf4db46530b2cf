import type { RpcContext } from '../../context.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import type { RpcMethod } from '../../registry.js';
import { engine, ensureUnlocked, ensureWallets, walletForRequest } from './wallet-context.js';

/**
 * Wallet backup and key management (Core's wallet/rpc/backup.cpp and addresses.cpp):
 * listdescriptors, backupwallet, restorewallet, keypoolrefill.
 */

type Method = RpcMethod<RpcContext>;

export const listdescriptors: Method = {
  name: 'listdescriptors',
  category: 'wallet',
  params: [{ name: 'private', type: 'boolean', default: false, description: 'Show private descriptors.' }],
  description: 'List all descriptors present in a descriptor-enabled wallet.',
  result:
    '{ "wallet_name", "descriptors": [{ "desc", "timestamp", "active", "internal"?, "range"?, "next"?, "next_index"? }] }',
  examples: ['', 'true'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const priv = args.bool(0);
    // Core's order: EnsureWalletIsUnlocked before any descriptor is printed.
    if (priv) ensureUnlocked(wallet);
    const listed = await engine(() => wallet.listDescriptors(priv));
    return {
      wallet_name: wallet.name,
      descriptors: listed.map((d) => ({
        desc: d.desc,
        timestamp: d.timestamp,
        active: d.active,
        ...(d.internal === undefined ? {} : { internal: d.internal }),
        ...(d.range === undefined ? {} : { range: [...d.range] }),
        // Core prints both: "next" is kept for compatibility.
        ...(d.nextIndex === undefined ? {} : { next: d.nextIndex, next_index: d.nextIndex }),
      })),
    };
  },
};

export const backupwallet: Method = {
  name: 'backupwallet',
  category: 'wallet',
  params: [
    {
      name: 'destination',
      type: 'string',
      required: true,
      description:
        'The destination directory or file (a directory gets "<wallet name>.bak"; an existing file is never overwritten)',
    },
  ],
  description:
    'Safely copies the current wallet file to the specified destination, which can either be a directory or a path with a filename.',
  result: 'null',
  examples: ['"backup.dat"'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const destination = args.str(0);
    await engine(() => wallet.backup(destination));
    return null;
  },
};

export const restorewallet: Method = {
  name: 'restorewallet',
  category: 'wallet',
  params: [
    {
      name: 'wallet_name',
      type: 'string',
      required: true,
      description: 'The name that will be applied to the restored wallet',
    },
    {
      name: 'backup_file',
      type: 'string',
      required: true,
      description: 'The backup file that will be used to restore the wallet.',
    },
    {
      name: 'load_on_startup',
      type: 'boolean',
      description:
        'Save wallet name to persistent settings and load on startup. True to add wallet to startup list, false to remove, null to leave unchanged.',
    },
  ],
  description:
    'Restores and loads a wallet from backup.\n\n' +
    'The rescan starts from the last block the backup had processed, so only newer blocks are scanned.',
  result: '{ "name", "warnings"? }',
  examples: ['"testwallet" "home\\\\backups\\\\backup-file.bak"'],
  handler: async (ctx, args) => {
    const wallets = ensureWallets(ctx);
    const name = args.str(0);
    const backupFile = args.str(1);
    const loadOnStartup = args.isNull(2) ? undefined : args.bool(2);
    const wallet = await engine(() => wallets.restore(name, backupFile, loadOnStartup));
    return { name: wallet.name };
  },
};

export const keypoolrefill: Method = {
  name: 'keypoolrefill',
  category: 'wallet',
  params: [
    {
      name: 'newsize',
      type: 'number',
      defaultHint: '1000, or as set by -keypool',
      description: 'The new keypool size',
    },
  ],
  description:
    'Fills the keypool.\n' +
    'Unlike Core, a locked encrypted wallet refills too: its addresses derive from the account xpubs it stores.',
  result: 'null',
  examples: ['', '2000'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const newSize = args.isNull(0) ? 0 : args.int(0);
    if (newSize < 0) {
      throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Invalid parameter, expected valid size.');
    }
    await engine(() => wallet.keypoolRefill(newSize));
    return null;
  },
};
