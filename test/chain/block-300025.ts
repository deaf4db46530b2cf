import { MapCoinView } from '../../src/consensus/coin-view.js';
import type { ConnectContext } from '../../src/consensus/connect-block.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { blockScriptFlags } from '../../src/consensus/script-flags.js';
import { fromDisplayHex, fromHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import { Coin } from '../../src/primitives/coin.js';
import { computeMerkleRoot } from '../../src/primitives/merkle.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { readShared, readSharedJson } from '../support/shared.js';

export const BLOCK_300025_HASH = '0000000000000000821c4e0acc40f88bedbce3b73ba2358b5ade58a9022cc78c';

interface PrevoutEntry {
  txid: string;
  vout: number;
  value: number;
  scriptPubKey: string;
}

export interface Block300025Files {
  readonly raw: Uint8Array;
  readonly prevouts: readonly PrevoutEntry[];
}

/** The raw block and its prevouts file from ../shared (read once; build as many copies as needed). */
export function read300025Files(): Block300025Files {
  const raw = readShared('blocks', 'mainnet', 'block300025.raw');
  const file = readSharedJson<{ prevouts: PrevoutEntry[] }>('blocks', 'mainnet', 'block300025-prevouts.json');
  return { raw, prevouts: file.prevouts };
}

/**
 * Mainnet block 300025 with the coins it spends, decoded fresh on every call so a caller may mutate
 * it. Coins created inside the block are left out of the view: the block creates them itself.
 */
export function build300025(files: Block300025Files): {
  block: Block;
  view: MapCoinView;
  ctx: ConnectContext;
  prevouts: readonly PrevoutEntry[];
} {
  const block = Block.decode(files.raw);
  const inBlock = new Set(block.txs.map((tx) => tx.txidHex()));
  const view = new MapCoinView();
  for (const p of files.prevouts) {
    if (inBlock.has(p.txid)) continue;
    view.add(
      new OutPoint(fromDisplayHex(p.txid), p.vout),
      new Coin(p.value, fromHex(p.scriptPubKey), 0, false),
    );
  }
  const ctx: ConnectContext = {
    height: 300025,
    flags: blockScriptFlags(300025, block.hash(), mainnet.consensus),
    enforceBIP30: false,
    prevMedianTimePast: block.header.time,
    medianTimePastAt: () => block.header.time,
  };
  return { block, view, ctx, prevouts: files.prevouts };
}

export function load300025(): ReturnType<typeof build300025> {
  return build300025(read300025Files());
}

/** After editing transactions: drop cached hashes and make the header commit to the new Merkle root. */
export function recommit(block: Block): void {
  for (const tx of block.txs) tx.invalidate();
  block.header.merkleRoot = computeMerkleRoot(block.txs.map((tx) => tx.txid())).root;
  block.header.invalidate();
}
