export * from './bytes.js';
export * from './compact-size.js';
export * from './errors.js';
export * from './hex.js';
export { BufferReader } from './reader.js';
export { BufferWriter } from './writer.js';
