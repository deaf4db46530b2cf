import type { RpcContext } from '../../context.js';
import { RpcError, RpcErrorCode } from '../../errors.js';
import type { WalletApi } from '../../../wallet/api.js';
import type { CallInfo, RpcMethod } from '../../registry.js';
import { engine, walletForRequest } from './wallet-context.js';

/**
 * Wallet encryption (Core's wallet/rpc/encrypt.cpp). Passphrases travel only in arguments: the RPC
 * server logs method names, never parameters, and nothing here logs or echoes them.
 */

type Method = RpcMethod<RpcContext>;

/** Core clamps the unlock time: larger values trigger a libevent bug on macOS. */
const MAX_SLEEP_TIME = 100_000_000;

const emptyPassphrase = () => new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'passphrase cannot be empty');

const scanning = () =>
  new RpcError(
    RpcErrorCode.RPC_WALLET_ERROR,
    'Error: the wallet is currently being used to rescan the blockchain for related transactions. Please call `abortrescan` before changing the passphrase.',
  );

/** The request's wallet for a method that needs it encrypted and not rescanning (Core's checks, in its order). */
function encryptedWallet(ctx: RpcContext, call: CallInfo, method: string): WalletApi {
  const wallet = walletForRequest(ctx, call);
  if (!wallet.isEncrypted()) {
    throw new RpcError(
      RpcErrorCode.RPC_WALLET_WRONG_ENC_STATE,
      `Error: running with an unencrypted wallet, but ${method} was called.`,
    );
  }
  if (wallet.info().scanning !== false) throw scanning();
  return wallet;
}

export const encryptwallet: Method = {
  name: 'encryptwallet',
  category: 'wallet',
  params: [
    {
      name: 'passphrase',
      type: 'string',
      required: true,
      description:
        'The pass phrase to encrypt the wallet with. It must be at least 1 character, but should be long.',
    },
  ],
  description:
    "Encrypts the wallet with 'passphrase'. This is for first time encryption.\n" +
    'After this, any calls that interact with private keys such as sending or signing\n' +
    'will require the passphrase to be set prior to making these calls.\n' +
    'Use the walletpassphrase call for this, and then walletlock call.\n' +
    'If the wallet is already encrypted, use the walletpassphrasechange call.\n' +
    '** IMPORTANT **\n' +
    'For security reasons, the encryption process will generate a new HD seed, resulting\n' +
    'in the creation of a fresh set of active descriptors. Therefore, it is crucial to\n' +
    'securely back up the newly generated wallet file using the backupwallet RPC.',
  result: '"str"    (string) A string with further instructions',
  examples: ['"my pass phrase"'],
  handler: async (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    if (!wallet.info().privateKeysEnabled) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_ENCRYPTION_FAILED,
        'Error: wallet does not contain private keys, nothing to encrypt.',
      );
    }
    if (wallet.isEncrypted()) {
      throw new RpcError(
        RpcErrorCode.RPC_WALLET_WRONG_ENC_STATE,
        'Error: running with an encrypted wallet, but encryptwallet was called.',
      );
    }
    const passphrase = args.str(0);
    if (passphrase === '') throw emptyPassphrase();
    await engine(() => wallet.encrypt(passphrase));
    return 'wallet encrypted; The keypool has been flushed and a new HD seed was generated. You need to make a new backup with the backupwallet RPC.';
  },
};

export const walletpassphrase: Method = {
  name: 'walletpassphrase',
  category: 'wallet',
  params: [
    { name: 'passphrase', type: 'string', required: true, description: 'The wallet passphrase' },
    {
      name: 'timeout',
      type: 'number',
      required: true,
      description: 'The time to keep the decryption key in seconds; capped at 100000000 (~3 years).',
    },
  ],
  description:
    "Stores the wallet decryption key in memory for 'timeout' seconds.\n" +
    'This is needed prior to performing transactions related to private keys such as sending bitcoins\n\n' +
    'Note:\n' +
    'Issuing the walletpassphrase command while the wallet is already unlocked will set a new unlock\n' +
    'time that overrides the old one.',
  result: 'null',
  examples: ['"my pass phrase" 60'],
  handler: async (ctx, args, call) => {
    const wallet = encryptedWallet(ctx, call, 'walletpassphrase');
    const passphrase = args.str(0);
    const timeout = args.int64(1);
    if (timeout < 0) throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Timeout cannot be negative.');
    if (passphrase === '') throw emptyPassphrase();
    await engine(() => wallet.unlock(passphrase, Math.min(timeout, MAX_SLEEP_TIME)));
    return null;
  },
};

export const walletpassphrasechange: Method = {
  name: 'walletpassphrasechange',
  category: 'wallet',
  params: [
    { name: 'oldpassphrase', type: 'string', required: true, description: 'The current passphrase' },
    { name: 'newpassphrase', type: 'string', required: true, description: 'The new passphrase' },
  ],
  description: "Changes the wallet passphrase from 'oldpassphrase' to 'newpassphrase'.",
  result: 'null',
  examples: ['"old one" "new one"'],
  handler: async (ctx, args, call) => {
    const wallet = encryptedWallet(ctx, call, 'walletpassphrasechange');
    const oldPass = args.str(0);
    const newPass = args.str(1);
    if (oldPass === '' || newPass === '') throw emptyPassphrase();
    await engine(() => wallet.changePassphrase(oldPass, newPass));
    return null;
  },
};

export const walletlock: Method = {
  name: 'walletlock',
  category: 'wallet',
  params: [],
  description:
    'Removes the wallet encryption key from memory, locking the wallet.\n' +
    'After calling this method, you will need to call walletpassphrase again\n' +
    'before being able to call any methods which require the wallet to be unlocked.',
  result: 'null',
  examples: [''],
  handler: (ctx, _args, call) => {
    const wallet = encryptedWallet(ctx, call, 'walletlock');
    wallet.lock();
    return null;
  },
};
