/**
 * Keystore failures, one class per thing a caller does differently. The RPC layer maps them onto
 * Bitcoin Core's codes: wrong passphrase -> RPC_WALLET_PASSPHRASE_INCORRECT (-14), locked ->
 * RPC_WALLET_UNLOCK_NEEDED (-13), not encrypted -> RPC_WALLET_WRONG_ENC_STATE (-15).
 */
export type KeystoreErrorCode =
  | 'wrong-passphrase'
  | 'authentication-failed'
  | 'corrupt'
  | 'unsupported-version'
  | 'locked'
  | 'wrong-encryption-state'
  | 'invalid-argument'
  | 'exists';

export class KeystoreError extends Error {
  override readonly name: string = 'KeystoreError';
  constructor(
    readonly code: KeystoreErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The passphrase does not match the key check. Nothing was decrypted and nothing changed. */
export class WrongPassphraseError extends KeystoreError {
  override readonly name = 'WrongPassphraseError';
  constructor() {
    // Core's text for RPC_WALLET_PASSPHRASE_INCORRECT.
    super('wrong-passphrase', 'Error: The wallet passphrase entered was incorrect.');
  }
}

/**
 * The passphrase is right but AES-GCM refused the ciphertext: the file was modified by someone who
 * also fixed its checksum. Nothing is returned from such a file.
 */
export class KeystoreAuthenticationError extends KeystoreError {
  override readonly name = 'KeystoreAuthenticationError';
  constructor() {
    super('authentication-failed', 'keystore authentication failed: the encrypted data was tampered with');
  }
}

/** The file does not parse or fails its checksum (disk or copy damage, truncation). */
export class KeystoreCorruptError extends KeystoreError {
  override readonly name = 'KeystoreCorruptError';
  constructor(why: string, options?: ErrorOptions) {
    super('corrupt', `keystore file is corrupt: ${why}`, options);
  }
}

/** Secrets were asked for while the keystore is locked. */
export class KeystoreLockedError extends KeystoreError {
  override readonly name = 'KeystoreLockedError';
  constructor() {
    // Core's text for RPC_WALLET_UNLOCK_NEEDED.
    super('locked', 'Error: Please enter the wallet passphrase with walletpassphrase first.');
  }
}
