import { WalletError } from './api.js';
import type { Keystore } from './keystore/keystore.js';
import { fromKeystoreError } from './wallet-errors.js';
import type { WalletState } from './wallet-state.js';

/**
 * encryptwallet, walletpassphrase, walletlock, walletpassphrasechange over the wallet's keystore,
 * with Core's messages. Derived signing keys are wiped whenever the keystore locks or re-keys.
 */

export async function encryptWallet(s: WalletState, passphrase: string): Promise<void> {
  const ks = s.keystore;
  if (ks === undefined) {
    throw new WalletError(
      'ENCRYPTION_FAILED',
      'Error: wallet does not contain private keys, nothing to encrypt.',
    );
  }
  if (passphrase === '') throw new WalletError('INVALID_PARAMETER', 'passphrase cannot be empty');
  try {
    await ks.encrypt(passphrase, s.kdf);
    s.signingKeys.wipe();
  } catch (e) {
    throw fromKeystoreError(e);
  }
}

export async function unlockWallet(s: WalletState, passphrase: string, seconds: number): Promise<void> {
  const ks = encryptedKeystore(s, 'walletpassphrase');
  if (passphrase === '') throw new WalletError('INVALID_PARAMETER', 'passphrase cannot be empty');
  try {
    await ks.unlock(passphrase, seconds);
  } catch (e) {
    throw fromKeystoreError(e);
  }
}

export function lockWallet(s: WalletState): void {
  encryptedKeystore(s, 'walletlock').lock();
  s.signingKeys.wipe();
}

export async function changeWalletPassphrase(
  s: WalletState,
  oldPass: string,
  newPass: string,
): Promise<void> {
  const ks = encryptedKeystore(s, 'walletpassphrasechange');
  if (oldPass === '' || newPass === '')
    throw new WalletError('INVALID_PARAMETER', 'passphrase cannot be empty');
  try {
    await ks.changePassphrase(oldPass, newPass, s.kdf);
  } catch (e) {
    throw fromKeystoreError(e);
  }
}

function encryptedKeystore(s: WalletState, rpc: string): Keystore {
  const ks = s.keystore;
  if (ks === undefined || !ks.isEncrypted) {
    throw new WalletError(
      'WRONG_ENC_STATE',
      `Error: running with an unencrypted wallet, but ${rpc} was called.`,
    );
  }
  return ks;
}
