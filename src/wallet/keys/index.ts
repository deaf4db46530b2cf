export * from './bip32.js';
export * from './bip39.js';
export { BIP39_ENGLISH } from './bip39-english.js';
export * from './paths.js';
export { INSPECT_CUSTOM, isZeroed, REDACTED, wipe } from './secret.js';
export * from './wif.js';
