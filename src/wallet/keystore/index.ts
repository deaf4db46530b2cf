export * from './errors.js';
export { DEFAULT_SCRYPT_PARAMS, type ScryptParams, SCRYPT_LIMITS } from './kdf.js';
export { Keystore, type KeystoreDependencies, type KeystoreOptions, MAX_UNLOCK_SECONDS } from './keystore.js';
export { type ImportedKey, WalletSecrets, type WalletSecretsInit } from './secrets.js';
export { type ExtendedKeySecret, sameExtendedKey } from './extended-keys.js';
