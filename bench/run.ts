/**
 * `npm run bench`: every benchmark, one after another (never concurrently: they would share the two
 * cores). Each prints absolute figures and a ratio against a reference measured in the same run.
 */
import { benchBlock } from './block.js';
import { benchEcdsa } from './ecdsa.js';
import { benchMempool } from './mempool.js';
import { benchMining } from './mining.js';
import { benchRpc } from './rpc.js';
import { benchSync } from './sync.js';

console.log(`node ${process.version}, ${new Date().toISOString()}`);
await benchEcdsa();
await benchBlock();
await benchMining();
await benchMempool();
await benchRpc();
await benchSync();
