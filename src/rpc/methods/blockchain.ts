import type { ChainEntry } from '../../chain/chain-entry.js';
import { isInitialBlockDownload as catchingUp } from '../../chain/initial-download.js';
import { toDisplayHex, toHex } from '../../encoding/hex.js';
import { BufferReader } from '../../encoding/reader.js';
import type { Block } from '../../primitives/block.js';
import { type ChainApi, ensureChain, type RpcContext } from '../context.js';
import { RpcError, RpcErrorCode } from '../errors.js';
import { blockHeaderJson, blockJson, difficulty, hex32, targetHex, uint256Hex } from '../json/block.js';
import { parseHash, parseVerbosity } from '../params.js';
import type { RpcMethod } from '../registry.js';

type Method = RpcMethod<RpcContext>;

/** bitcoind's -chain names (GetChainTypeString): testnet3 is "test". */
export function chainName(ctx: RpcContext): string {
  return ctx.network.name === 'testnet' ? 'test' : ctx.network.name;
}

/** Core's IsInitialBlockDownload, without its latch unless the node supplies one. */
export function isInitialBlockDownload(ctx: RpcContext, chain: ChainApi): boolean {
  if (ctx.isInitialBlockDownload !== undefined) return ctx.isInitialBlockDownload();
  return catchingUp(chain.tip, ctx.network, ctx.now());
}

export function lookupBlock(chain: ChainApi, hash: Uint8Array): ChainEntry {
  const entry = chain.getEntry(hash);
  if (entry === undefined) throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Block not found');
  return entry;
}

/** Core's GetBlockChecked / CheckBlockDataAvailability. */
export async function readBlock(chain: ChainApi, entry: ChainEntry): Promise<Block> {
  const block = entry.hasData() ? await chain.getBlock(entry.hash) : undefined;
  if (block === undefined) {
    throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'Block not available (not fully downloaded)');
  }
  return block;
}

/** nTx of a block: its stored transaction count, 0 when only the header is known (as Core). */
async function txCount(chain: ChainApi, entry: ChainEntry): Promise<number> {
  if (!entry.hasData()) return 0;
  const raw = await chain.getRawBlock(entry.hash);
  if (raw === undefined) return 0;
  const r = new BufferReader(raw);
  r.offset = 80;
  return r.compactSize();
}

const blockhashParam = {
  name: 'blockhash',
  type: 'hex',
  required: true,
  description: 'The block hash',
} as const;

export const getblockchaininfo: Method = {
  name: 'getblockchaininfo',
  category: 'blockchain',
  params: [],
  description: 'Returns an object containing various state info regarding blockchain processing.',
  result: `{
  "chain" : "str", "blocks" : n, "headers" : n, "bestblockhash" : "hex", "bits" : "hex",
  "target" : "hex", "difficulty" : n, "time" : xxx, "mediantime" : xxx, "verificationprogress" : n,
  "initialblockdownload" : true|false, "chainwork" : "hex", "size_on_disk" : n, "pruned" : true|false,
  "warnings" : [ "str", ... ]
}`,
  examples: [''],
  handler: (ctx) => {
    const chain = ensureChain(ctx);
    const tip = chain.tip;
    const ibd = isInitialBlockDownload(ctx, chain);
    return {
      chain: chainName(ctx),
      blocks: tip.height,
      headers: chain.bestHeader.height,
      bestblockhash: tip.hashHex(),
      bits: hex32(tip.bits),
      target: targetHex(tip.bits, ctx.network.consensus.powLimit),
      difficulty: difficulty(tip.bits),
      time: tip.time,
      mediantime: chain.medianTimePast(tip),
      verificationprogress:
        ctx.verificationProgress?.() ?? (ibd ? tip.height / Math.max(1, chain.bestHeader.height) : 1),
      initialblockdownload: ibd,
      chainwork: uint256Hex(tip.chainwork),
      size_on_disk: ctx.sizeOnDisk?.() ?? 0,
      pruned: false,
      warnings: [],
    };
  },
};

export const getblockcount: Method = {
  name: 'getblockcount',
  category: 'blockchain',
  params: [],
  description: 'Returns the height of the most-work fully-validated chain.\nThe genesis block has height 0.',
  result: 'n    (numeric) The current block count',
  examples: [''],
  handler: (ctx) => ensureChain(ctx).height,
};

export const getbestblockhash: Method = {
  name: 'getbestblockhash',
  category: 'blockchain',
  params: [],
  description: 'Returns the hash of the best (tip) block in the most-work fully-validated chain.',
  result: '"hex"    (string) the block hash, hex-encoded',
  examples: [''],
  handler: (ctx) => ensureChain(ctx).tip.hashHex(),
};

export const getblockhash: Method = {
  name: 'getblockhash',
  category: 'blockchain',
  params: [{ name: 'height', type: 'number', required: true, description: 'The height index' }],
  description: 'Returns hash of block in best-block-chain at height provided.',
  result: '"hex"    (string) The block hash',
  examples: ['1000'],
  handler: (ctx, args) => {
    const chain = ensureChain(ctx);
    const height = args.int(0);
    const entry = height < 0 ? undefined : chain.getEntryAtHeight(height);
    if (entry === undefined)
      throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Block height out of range');
    return entry.hashHex();
  },
};

export const getblockheader: Method = {
  name: 'getblockheader',
  category: 'blockchain',
  params: [
    { name: 'blockhash', type: 'hex', required: true, description: 'The block hash' },
    {
      name: 'verbose',
      type: 'boolean',
      default: true,
      description: 'true for a json object, false for the hex-encoded data',
    },
  ],
  description:
    "If verbose is false, returns a string that is serialized, hex-encoded data for blockheader 'hash'.\n" +
    'If verbose is true, returns an Object with information about blockheader <hash>.',
  result: `{ "hash", "confirmations", "height", "version", "versionHex", "merkleroot", "time", "mediantime",
  "nonce", "bits", "target", "difficulty", "chainwork", "nTx", "previousblockhash", "nextblockhash" }
or "hex" when verbose is false`,
  examples: ['"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"'],
  handler: async (ctx, args) => {
    const chain = ensureChain(ctx);
    const entry = lookupBlock(chain, parseHash(args.raw(0), 'hash'));
    if (!args.bool(1)) return toHex(entry.header.encode());
    return blockHeaderJson(chain, entry, await txCount(chain, entry));
  },
};

export const getblock: Method = {
  name: 'getblock',
  category: 'blockchain',
  params: [
    blockhashParam,
    {
      name: 'verbosity|verbose',
      type: 'any',
      helpType: 'numeric',
      default: 1,
      description:
        '0 for hex-encoded data, 1 for a JSON object, 2 for JSON object with transaction data, and 3 for JSON object with transaction data including prevout information for inputs',
    },
  ],
  description:
    "If verbosity is 0, returns a string that is serialized, hex-encoded data for block 'hash'.\n" +
    'If verbosity is 1, returns an Object with information about block <hash>.\n' +
    'If verbosity is 2, returns an Object with information about block <hash> and information about each transaction.\n' +
    'If verbosity is 3, returns an Object with information about block <hash> and information about each transaction, including prevout information for inputs (only for unpruned blocks in the current best chain).',
  result: `"hex" (verbosity 0), or { header fields, "strippedsize", "size", "weight", "tx" : [...] }`,
  examples: ['"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"', '"<hash>" 2'],
  handler: async (ctx, args) => {
    const chain = ensureChain(ctx);
    const entry = lookupBlock(chain, parseHash(args.raw(0), 'blockhash'));
    const verbosity = parseVerbosity(args.raw(1), 1, true);
    // Every verbosity starts from the stored bytes: hex for 0, txids hashed from them for 1, and the
    // transactions' hex sliced from them for 2 and 3 (no decode-then-reserialize).
    const raw = entry.hasData() ? await chain.getRawBlock(entry.hash) : undefined;
    if (raw === undefined)
      throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'Block not available (not fully downloaded)');
    if (verbosity <= 0) return toHex(raw);
    const undo = verbosity >= 2 ? await chain.getUndo(entry.hash) : undefined;
    return blockJson(chain, entry, raw, verbosity, undo, ctx.network.addressPrefixes);
  },
};

export const getchaintips: Method = {
  name: 'getchaintips',
  category: 'blockchain',
  params: [],
  description:
    'Return information about all known tips in the block tree, including the main chain as well as orphaned branches.',
  result: `[ { "height" : n, "hash" : "hex", "branchlen" : n,
    "status" : "invalid" | "headers-only" | "valid-headers" | "valid-fork" | "active" }, ... ]`,
  examples: [''],
  handler: (ctx) =>
    ensureChain(ctx)
      .getChainTips()
      .map((t) => ({
        height: t.height,
        hash: toDisplayHex(t.hash),
        branchlen: t.branchlen,
        status: t.status,
      })),
};

export const getdifficulty: Method = {
  name: 'getdifficulty',
  category: 'blockchain',
  params: [],
  description: 'Returns the proof-of-work difficulty as a multiple of the minimum difficulty.',
  result: 'n    (numeric) the proof-of-work difficulty as a multiple of the minimum difficulty.',
  examples: [''],
  handler: (ctx) => difficulty(ensureChain(ctx).tip.bits),
};

/** invalidateblock/reconsiderblock: the chain's refusals become RPC_DATABASE_ERROR, as Core's state errors. */
async function changeValidity(ctx: RpcContext, hashArg: unknown, action: 'invalidate' | 'reconsider') {
  const chain = ensureChain(ctx);
  const entry = lookupBlock(chain, parseHash(hashArg, 'blockhash'));
  try {
    if (action === 'invalidate') await chain.invalidateBlock(entry.hash);
    else await chain.reconsiderBlock(entry.hash);
  } catch (err) {
    if (err instanceof RpcError) throw err;
    throw new RpcError(RpcErrorCode.RPC_DATABASE_ERROR, err instanceof Error ? err.message : String(err));
  }
  return null;
}

export const invalidateblock: Method = {
  name: 'invalidateblock',
  category: 'blockchain',
  params: [
    {
      name: 'blockhash',
      type: 'hex',
      required: true,
      description: 'the hash of the block to mark as invalid',
    },
  ],
  description: 'Permanently marks a block as invalid, as if it violated a consensus rule.',
  result: 'null    (json null)',
  examples: ['"blockhash"'],
  handler: (ctx, args) => changeValidity(ctx, args.raw(0), 'invalidate'),
};

export const reconsiderblock: Method = {
  name: 'reconsiderblock',
  category: 'blockchain',
  params: [
    { name: 'blockhash', type: 'hex', required: true, description: 'the hash of the block to reconsider' },
  ],
  description:
    'Removes invalidity status of a block, its ancestors and its descendants, reconsider them for activation.\n' +
    'This can be used to undo the effects of invalidateblock.',
  result: 'null    (json null)',
  examples: ['"blockhash"'],
  handler: (ctx, args) => changeValidity(ctx, args.raw(0), 'reconsider'),
};
