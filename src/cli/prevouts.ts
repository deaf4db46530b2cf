import { readFileSync } from 'node:fs';
import { DecodeError } from '../encoding/errors.js';
import { fromDisplayHex, fromHex } from '../encoding/hex.js';
import { Coin } from '../primitives/coin.js';
import type { Block } from '../primitives/block.js';
import { OutPoint } from '../primitives/outpoint.js';
import { UsageError } from './errors.js';

/**
 * The prevouts file described in ../shared/blocks/README.md: the coins spent by every non-coinbase
 * input of a block, in block order. Each entry must name the outpoint the block's input spends, so a
 * file that does not belong to the block is refused up front rather than failing a script later.
 */
export interface PrevoutsFile {
  block?: string;
  height?: number | null;
  network?: string;
  prevouts: Array<{
    txid: string;
    vout: number;
    value: number;
    scriptPubKey: string;
    height?: number | null;
    coinbase?: boolean | null;
  }>;
}

export interface LoadedPrevouts {
  height: number | null;
  network: string | null;
  /** The coins the block spends from before it, keyed by outpoint (in-block spends excluded). */
  coins: Map<string, { outpoint: OutPoint; coin: Coin }>;
}

export function loadPrevouts(path: string, block: Block): LoadedPrevouts {
  let parsed: PrevoutsFile;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as PrevoutsFile;
  } catch (err) {
    throw new UsageError(
      `cannot read prevouts '${path}': ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!parsed || !Array.isArray(parsed.prevouts)) {
    throw new UsageError(`prevouts '${path}': expected an object with a "prevouts" array`);
  }
  if (parsed.block !== undefined && parsed.block !== block.hashHex()) {
    throw new UsageError(`prevouts '${path}' are for block ${parsed.block}, not ${block.hashHex()}`);
  }
  const inputs = block.txs.filter((tx) => !tx.isCoinbase()).flatMap((tx) => tx.inputs);
  if (parsed.prevouts.length !== inputs.length) {
    throw new UsageError(
      `prevouts '${path}' list ${parsed.prevouts.length} coins but the block has ${inputs.length} non-coinbase inputs`,
    );
  }
  // Coins created inside the block are listed too (they are spent by it), but they are not part of
  // the UTXO set the block connects to: the block creates them itself, and BIP30 would see them as
  // overwritten if they were in the view. They are checked against the block's outputs instead.
  const createdHere = new Set(block.txs.map((tx) => tx.txidHex()));
  const coins = new Map<string, { outpoint: OutPoint; coin: Coin }>();
  parsed.prevouts.forEach((p, i) => {
    const where = `prevouts[${i}]`;
    let outpoint: OutPoint;
    let script: Uint8Array;
    try {
      outpoint = new OutPoint(fromDisplayHex(p.txid), p.vout);
      script = fromHex(p.scriptPubKey);
    } catch (err) {
      if (err instanceof DecodeError) throw new UsageError(`${where}: ${err.message}`);
      throw err;
    }
    if (!Number.isSafeInteger(p.value) || !Number.isInteger(p.vout) || p.vout < 0) {
      throw new UsageError(`${where}: value and vout must be non-negative integers`);
    }
    const input = inputs[i]!;
    if (!input.prevout.equals(outpoint)) {
      throw new UsageError(`${where} is ${outpoint} but input ${i} spends ${input.prevout}`);
    }
    if (createdHere.has(p.txid)) return;
    coins.set(outpoint.key(), {
      outpoint,
      coin: new Coin(p.value, script, p.height ?? 0, p.coinbase === true),
    });
  });
  return { height: parsed.height ?? null, network: parsed.network ?? null, coins };
}
