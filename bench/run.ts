/**
 * `npm run bench`: every benchmark, one after another (never concurrently: they would share the two
 * cores). Each prints absolute figures and a ratio against a reference measured in the same run.
 */
import { benchBlock } from './block.js';
import { benchDescriptors } from './descriptors.js';
import { benchEcdsa } from './ecdsa.js';
import { benchExplorerMempool } from './explorer-mempool.js';
import { benchExplorerUi } from './explorer-ui.js';
import { benchMempool } from './mempool.js';
import { benchMining } from './mining.js';
import { benchExplorer } from './explorer.js';
import { benchRpc } from './rpc.js';
import { benchSync } from './sync.js';
import { benchWallet } from './wallet.js';

/** In the order they run; `npm run bench -- wallet explorer` runs only the named ones. */
const BENCHES: Record<string, () => Promise<unknown>> = {
  ecdsa: benchEcdsa,
  block: benchBlock,
  mining: benchMining,
  mempool: benchMempool,
  rpc: benchRpc,
  descriptors: benchDescriptors,
  wallet: benchWallet,
  sync: benchSync,
  explorer: benchExplorer,
  'explorer-mempool': benchExplorerMempool,
  'explorer-ui': benchExplorerUi,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
console.log(`node ${process.version}, ${new Date().toISOString()}`);
for (const [name, run] of Object.entries(BENCHES)) {
  if (wanted.length === 0 || wanted.includes(name)) await run();
}
