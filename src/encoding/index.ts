export * from './bytes.js';
export * from './compact-size.js';
export * from './errors.js';
export * from './hex.js';
export { BufferReader } from './reader.js';
export { BufferWriter } from './writer.js';
export * from './base58.js';
export * from './bech32.js';
