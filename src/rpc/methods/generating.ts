import { fromHex, toDisplayHex, toHex } from '../../encoding/hex.js';
import { BlockTemplate } from '../../mining/block-template.js';
import { MiningError } from '../../mining/errors.js';
import type { Transaction } from '../../primitives/transaction.js';
import type { AddressPrefixes } from '../../script/address.js';
import { ensureChain, ensureMempool, ensureMining, type RpcContext } from '../context.js';
import { decodeDestination } from '../destination.js';
import { RpcError, RpcErrorCode, typeError } from '../errors.js';
import { isHex } from '../params.js';
import type { RpcMethod } from '../registry.js';
import { decodeTransactionHex } from '../tx-decode.js';
import { scriptFromDescriptor } from './descriptors.js';

type Method = RpcMethod<RpcContext>;

/** Core's DEFAULT_MAX_TRIES (rpc/mining.h). */
const DEFAULT_MAX_TRIES = 1_000_000;

/** The output script of an address, or undefined (Core's DecodeDestination + IsValidDestination). */
function addressScript(text: string, prefixes: AddressPrefixes): Uint8Array | undefined {
  const decoded = decodeDestination(text, prefixes);
  return decoded.ok ? decoded.destination.script : undefined;
}

/**
 * getScriptFromDescriptor's two refusals that generateblock passes on (Core throws them), where
 * every other failure (not a descriptor, keys it cannot derive) lets it try the text as an address.
 */
const DESCRIPTOR_REFUSALS: ReadonlySet<string> = new Set([
  'Multipath descriptor not accepted',
  'Ranged descriptor not accepted. Maybe pass through deriveaddresses first?',
]);

/**
 * generateblock's output argument (Core: the descriptor's script, else the address's). No text is
 * both: an address never has a descriptor's parentheses, so trying the address first is the same.
 */
function outputScript(ctx: RpcContext, text: string): Uint8Array {
  const address = addressScript(text, ctx.network.addressPrefixes);
  if (address !== undefined) return address;
  try {
    return scriptFromDescriptor(ctx, text);
  } catch (err) {
    if (err instanceof RpcError && DESCRIPTOR_REFUSALS.has(err.message)) throw err;
    throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Error: Invalid address or descriptor');
  }
}

/** Core's generateBlocks result: the hashes mined, also when maxtries ran out part way. */
async function generate(ctx: RpcContext, n: number, script: Uint8Array, maxTries: number): Promise<string[]> {
  const { miner } = ensureMining(ctx);
  ensureChain(ctx);
  if (n <= 0) return [];
  try {
    return (await miner.generate(n, script, { maxTries })).map(toDisplayHex);
  } catch (err) {
    if (!(err instanceof MiningError)) throw err;
    if (err.code === 'max-tries') return err.hashes.map(toDisplayHex);
    if (err.code === 'block-rejected') {
      throw new RpcError(RpcErrorCode.RPC_INTERNAL_ERROR, 'ProcessNewBlock, block not accepted');
    }
    throw new RpcError(RpcErrorCode.RPC_INTERNAL_ERROR, err.message);
  }
}

/** maxtries is read with getInt<int> and used as a uint64: a negative value means "practically unlimited". */
function maxTriesArg(value: number): number {
  return value < 0 ? Number.MAX_SAFE_INTEGER : value;
}

const maxTriesParam = {
  name: 'maxtries',
  type: 'number',
  default: DEFAULT_MAX_TRIES,
  description: 'How many iterations to try.',
} as const;

export const generatetoaddress: Method = {
  name: 'generatetoaddress',
  category: 'generating',
  params: [
    { name: 'nblocks', type: 'number', required: true, description: 'How many blocks are generated.' },
    {
      name: 'address',
      type: 'string',
      required: true,
      description: 'The address to send the newly generated bitcoin to.',
    },
    maxTriesParam,
  ],
  description: 'Mine to a specified address and return the block hashes.',
  result: '[ "hex", ... ]    (json array) hashes of blocks generated',
  examples: ['11 "myaddress"'],
  handler: (ctx, args) => {
    const n = args.int(0);
    const script = addressScript(args.str(1), ctx.network.addressPrefixes);
    if (script === undefined)
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Error: Invalid address');
    return generate(ctx, n, script, maxTriesArg(args.int(2)));
  },
};

export const generatetodescriptor: Method = {
  name: 'generatetodescriptor',
  category: 'generating',
  params: [
    { name: 'num_blocks', type: 'number', required: true, description: 'How many blocks are generated.' },
    {
      name: 'descriptor',
      type: 'string',
      required: true,
      description: 'The descriptor to send the newly generated bitcoin to.',
    },
    maxTriesParam,
  ],
  description: 'Mine to a specified descriptor and return the block hashes.',
  result: '[ "hex", ... ]    (json array) hashes of blocks generated',
  examples: ['11 "mydesc"'],
  handler: (ctx, args) => {
    // Core reads num_blocks and maxtries before the descriptor, so their errors come first.
    const n = args.int(0);
    const maxTries = maxTriesArg(args.int(2));
    // Any descriptor with one script (combo(): Core's pick of its scripts); ranged and multipath refused.
    const script = scriptFromDescriptor(ctx, args.str(1));
    return generate(ctx, n, script, maxTries);
  },
};

export const generateblock: Method = {
  name: 'generateblock',
  category: 'generating',
  params: [
    {
      name: 'output',
      type: 'string',
      required: true,
      description: 'The address or descriptor to send the newly generated bitcoin to.',
    },
    {
      name: 'transactions',
      type: 'array',
      required: true,
      description:
        'An array of hex strings which are either txids or raw transactions.\n' +
        'Txids must reference transactions currently in the mempool.\n' +
        'All transactions must be valid and in valid order, otherwise the block will be rejected.',
      oneline: '["rawtx/txid",...]',
    },
    {
      name: 'submit',
      type: 'boolean',
      default: true,
      description: 'Whether to submit the block before the RPC call returns or to return it as hex.',
    },
  ],
  description:
    'Mine a set of ordered transactions to a specified address or descriptor and return the block hash.',
  result: '{ "hash" : "hex", "hex" : "hex" (only when submit is false) }',
  examples: ['"myaddress" \'["rawtx", "mempool_txid"]\''],
  handler: async (ctx, args) => {
    const script = outputScript(ctx, args.str(0));
    const txs: Transaction[] = [];
    for (const item of args.array(1)) {
      if (typeof item !== 'string') throw typeError(item, 'string');
      if (item.length === 64 && isHex(item)) {
        const entry = ensureMempool(ctx).get(fromHex(item).reverse());
        if (entry === undefined) {
          throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Transaction ${item} not in mempool.`);
        }
        txs.push(entry.tx);
        continue;
      }
      const tx = decodeTransactionHex(item);
      if (tx === undefined) {
        throw new RpcError(
          RpcErrorCode.RPC_DESERIALIZATION_ERROR,
          `Transaction decode failed for ${item}. Make sure the tx has at least one input.`,
        );
      }
      txs.push(tx);
    }
    const submit = args.bool(2);
    const chain = ensureChain(ctx);
    const { assembler, miner } = ensureMining(ctx);
    // Core builds an empty template (no mempool transactions) and inserts exactly these. The coinbase
    // claims only the subsidy, as Core's does: RegenerateCommitments does not add the fees.
    const base = assembler.createTemplate({ coinbaseScript: script });
    const template = new BlockTemplate({
      version: base.version,
      prevBlock: base.prevBlock,
      height: base.height,
      bits: base.bits,
      time: base.time,
      minTime: base.minTime,
      coinbaseScript: script,
      ...(base.coinbaseTag !== undefined && { coinbaseTag: base.coinbaseTag }),
      subsidy: base.subsidy,
      transactions: txs.map((tx) => ({ tx, fee: 0, sigOpCost: 0, weight: tx.weight(), depends: [] })),
      segwit: base.segwit,
      longPollId: base.longPollId,
      rules: base.rules,
    });
    const outcome = await miner.mineTemplate(template, DEFAULT_MAX_TRIES);
    if (outcome.status !== 'solved') throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'Failed to make block.');
    const block = outcome.block;
    if (!submit) return { hash: block.hashHex(), hex: toHex(block.encode()) };
    const result = await chain.processBlock(block);
    if (result.status === 'invalid') {
      const state = result.debug === '' ? result.reason : `${result.reason}, ${result.debug}`;
      throw new RpcError(RpcErrorCode.RPC_VERIFY_ERROR, `TestBlockValidity failed: ${state}`);
    }
    if (result.status === 'orphan') {
      throw new RpcError(RpcErrorCode.RPC_INTERNAL_ERROR, 'ProcessNewBlock, block not accepted');
    }
    return { hash: block.hashHex() };
  },
};
