import type { ChainEntry } from '../../chain/chain-entry.js';
import { deriveTarget } from '../../consensus/pow.js';
import { hash256 } from '../../crypto/hash.js';
import { DecodeError } from '../../encoding/errors.js';
import { toDisplayHex, toHex } from '../../encoding/hex.js';
import { BufferReader } from '../../encoding/reader.js';
import { Block } from '../../primitives/block.js';
import { BlockHeader, HEADER_SIZE } from '../../primitives/block-header.js';
import type { Coin } from '../../primitives/coin.js';
import { Transaction, WITNESS_SCALE_FACTOR } from '../../primitives/transaction.js';
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
 * `raw` is the block as stored: verbosity 1 reads txids and sizes straight from it, and higher
 * verbosities take each transaction's `hex` from it instead of re-serializing.
 */
export function blockJson(
  chain: ChainApi,
  entry: ChainEntry,
  raw: Uint8Array,
  verbosity: number,
  undo: readonly (readonly Coin[])[] | undefined,
  prefixes: AddressPrefixes,
): Record<string, unknown> {
  if (verbosity <= 1) {
    const summary = summarizeRawBlock(raw);
    const json = blockHeaderJson(chain, entry, summary.txids.length);
    json.strippedsize = summary.strippedSize;
    json.size = raw.length;
    json.weight = summary.strippedSize * (WITNESS_SCALE_FACTOR - 1) + raw.length;
    json.tx = summary.txids;
    return json;
  }
  const r = new BufferReader(raw);
  const header = BlockHeader.read(r);
  const count = r.compactSize();
  if (count * MIN_TX_SIZE > r.remaining)
    throw new DecodeError('truncated', 'transaction count exceeds block');
  const txs: Transaction[] = [];
  const spans: number[] = [];
  for (let i = 0; i < count; i++) {
    spans.push(r.offset);
    txs.push(Transaction.read(r));
  }
  r.end();
  spans.push(r.offset);
  const block = new Block(header, txs);
  const hex = toHex(raw);
  const json = blockHeaderJson(chain, entry, txs.length);
  json.strippedsize = block.baseSize();
  json.size = raw.length;
  json.weight = block.weight();
  json.tx = txs.map((tx, i) => {
    // Undo data has one entry per non-coinbase transaction.
    const spent = i > 0 ? undo?.[i - 1] : undefined;
    return transactionJson(tx, prefixes, {
      hex: hex.slice(2 * spans[i]!, 2 * spans[i + 1]!),
      showPrevouts: verbosity >= 3,
      ...(spent !== undefined && { prevouts: spent }),
    });
  });
  return json;
}

/** Core's smallest decodable transaction (see primitives/block.ts): bounds the count before allocating. */
const MIN_TX_SIZE = 10;

/** What getblock verbosity 1 needs of a block's transactions. */
export interface RawBlockSummary {
  /** Display-order txids, in block order. */
  readonly txids: string[];
  /** The block's size without witness data (Core's strippedsize). */
  readonly strippedSize: number;
}

/**
 * Txids and stripped size from a serialized block without decoding it. Decoding builds every input,
 * output, script and witness item and hashes each transaction twice (txid and wtxid); verbosity 1
 * shows only txids. On bench/rpc.ts's block of 101 witness transactions this walk measured 105 µs
 * against 340 µs for decoding, listing txids and summing sizes.
 * Malformed bytes fail as Block.decode does (a DecodeError): the same BIP144 flag rules, bounds
 * checks and trailing-byte refusal.
 */
export function summarizeRawBlock(raw: Uint8Array): RawBlockSummary {
  const r = new BufferReader(raw);
  r.offset = HEADER_SIZE;
  const count = r.compactSize();
  if (count * MIN_TX_SIZE > r.remaining)
    throw new DecodeError('truncated', 'transaction count exceeds block');
  // Every txid, byte-reversed, into one buffer hex-encoded once (see below).
  const reversed = new Uint8Array(32 * count);
  let strippedSize = r.offset;
  for (let i = 0; i < count; i++) {
    const start = r.offset;
    skip(r, 4);
    let bodyStart = r.offset;
    // BIP144 (Core's UnserializeTransaction): an empty input vector then a non-zero flag byte.
    const extended = r.remaining >= 2 && raw[bodyStart] === 0 && raw[bodyStart + 1] !== 0;
    if (extended) {
      if (raw[bodyStart + 1] !== 1) throw new DecodeError('bad-format', 'Unknown transaction optional data');
      bodyStart += 2;
      r.offset = bodyStart;
    }
    const inputs = r.compactSize();
    for (let j = 0; j < inputs; j++) {
      skip(r, 36);
      skip(r, r.compactSize());
      skip(r, 4);
    }
    const outputs = r.compactSize();
    for (let j = 0; j < outputs; j++) {
      skip(r, 8);
      skip(r, r.compactSize());
    }
    const bodyEnd = r.offset;
    if (extended) {
      let witnessItems = 0;
      for (let j = 0; j < inputs; j++) {
        const items = r.compactSize();
        witnessItems += items;
        for (let k = 0; k < items; k++) skip(r, r.compactSize());
      }
      // Core refuses a witness flag whose witnesses are all empty (the serialization is not canonical).
      if (witnessItems === 0) throw new DecodeError('bad-format', 'Superfluous witness record');
    }
    skip(r, 4);
    const stripped = extended
      ? strippedBytes(raw, start, bodyStart, bodyEnd, r.offset)
      : raw.subarray(start, r.offset);
    reversed.set(hash256(stripped).reverse(), 32 * i);
    strippedSize += stripped.length;
  }
  r.end();
  return { txids: splitHashes(toHex(reversed), count), strippedSize };
}

function skip(r: BufferReader, n: number): void {
  if (n > r.remaining) throw new DecodeError('truncated', `need ${n} bytes at offset ${r.offset}`);
  r.offset += n;
}

/** Reused for stripped serializations: hashing is synchronous, so one buffer serves every call. */
let scratch = new Uint8Array(4096);

/**
 * version || inputs and outputs || locktime of a BIP144 transaction, copied out of the block's
 * bytes. The 4-byte fields are copied by hand: a subarray view per field cost more than the copy.
 */
function strippedBytes(
  raw: Uint8Array,
  start: number,
  bodyStart: number,
  bodyEnd: number,
  end: number,
): Uint8Array {
  const length = 4 + (bodyEnd - bodyStart) + 4;
  if (scratch.length < length) scratch = new Uint8Array(Math.max(length, 2 * scratch.length));
  for (let i = 0; i < 4; i++) {
    scratch[i] = raw[start + i]!;
    scratch[length - 4 + i] = raw[end - 4 + i]!;
  }
  scratch.set(raw.subarray(bodyStart, bodyEnd), 4);
  return scratch.subarray(0, length);
}

/**
 * 64-character pieces of the hex of `count` hashes. One hex encoding of the whole buffer and a
 * substring per hash measured faster than encoding each hash (toDisplayHex copies, reverses and
 * wraps a Buffer per call) or building each string from a byte table.
 */
function splitHashes(hex: string, count: number): string[] {
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = hex.slice(64 * i, 64 * i + 64);
  return out;
}
