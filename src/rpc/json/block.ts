import type { ChainEntry } from '../../chain/chain-entry.js';
import { deriveTarget } from '../../consensus/pow.js';
import { toDisplayHex } from '../../encoding/hex.js';
import type { Block } from '../../primitives/block.js';
import type { Coin } from '../../primitives/coin.js';
import type { AddressPrefixes } from '../../script/address.js';
import type { ChainApi } from '../context.js';
import { transactionJson } from './transaction.js';

/** Core's GetDifficulty: how many times harder than the easiest (0x1d00ffff) target, as a double. */
export function difficulty(bits: number): number {
  let shift = (bits >>> 24) & 0xff;
  let diff = 0xffff / (bits & 0x00ffffff);
  while (shift < 29) {
    diff *= 256;
    shift++;
  }
  while (shift > 29) {
    diff /= 256;
    shift--;
  }
  return diff;
}

/** A uint256 as Core's GetHex prints it: 64 hex digits, most significant first. */
export function uint256Hex(value: bigint): string {
  return value.toString(16).padStart(64, '0');
}

/** `%08x` of a 32-bit field (negative versions print as their unsigned bits, as in C). */
export function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

export function targetHex(bits: number, powLimit: bigint): string {
  return uint256Hex(deriveTarget(bits, powLimit) ?? 0n);
}

/** Core's ComputeNextBlockAndDepth: depth on the active chain (-1 off it) and the next block. */
export function depthAndNext(
  chain: ChainApi,
  entry: ChainEntry,
): { confirmations: number; next?: ChainEntry } {
  if (!chain.isOnActiveChain(entry)) return { confirmations: -1 };
  const next = chain.getEntryAtHeight(entry.height + 1);
  return { confirmations: chain.height - entry.height + 1, ...(next !== undefined && { next }) };
}

/** Core's blockheaderToJSON, in its key order. `txCount` is the block's nTx (0 if never downloaded). */
export function blockHeaderJson(
  chain: ChainApi,
  entry: ChainEntry,
  txCount: number,
): Record<string, unknown> {
  const h = entry.header;
  const { confirmations, next } = depthAndNext(chain, entry);
  return {
    hash: entry.hashHex(),
    confirmations,
    height: entry.height,
    version: h.version,
    versionHex: hex32(h.version),
    merkleroot: toDisplayHex(h.merkleRoot),
    time: h.time,
    mediantime: chain.medianTimePast(entry),
    nonce: h.nonce,
    bits: hex32(h.bits),
    target: targetHex(h.bits, chain.network.consensus.powLimit),
    difficulty: difficulty(h.bits),
    chainwork: uint256Hex(entry.chainwork),
    nTx: txCount,
    previousblockhash: entry.prev?.hashHex(),
    nextblockhash: next?.hashHex(),
  };
}

/**
 * Core's blockToJSON: the header fields, sizes, and the transactions as txids (verbosity 1), as
 * decoded objects with hex and fee (2), plus each input's spent output (3). Fees and prevouts come
 * from the block's undo data; without it (a block never connected) they are left out, as Core does.
 */
export function blockJson(
  chain: ChainApi,
  entry: ChainEntry,
  block: Block,
  verbosity: number,
  undo: readonly (readonly Coin[])[] | undefined,
  prefixes: AddressPrefixes,
): Record<string, unknown> {
  const json = blockHeaderJson(chain, entry, block.txs.length);
  json.strippedsize = block.baseSize();
  json.size = block.totalSize();
  json.weight = block.weight();
  if (verbosity <= 1) {
    json.tx = block.txs.map((tx) => tx.txidHex());
    return json;
  }
  json.tx = block.txs.map((tx, i) => {
    // Undo data has one entry per non-coinbase transaction.
    const spent = i > 0 ? undo?.[i - 1] : undefined;
    return transactionJson(tx, prefixes, {
      includeHex: true,
      showPrevouts: verbosity >= 3,
      ...(spent !== undefined && { prevouts: spent }),
    });
  });
  return json;
}
