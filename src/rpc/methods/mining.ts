import { BlockStatus, FAILED_MASK } from '../../chain/chain-entry.js';
import { estimateHashRate } from '../../chain/hash-rate.js';
import { difficultyAdjustmentInterval } from '../../consensus/params.js';
import { DEFAULT_BLOCK_MIN_TX_FEE } from '../../policy/constants.js';
import { equalBytes } from '../../encoding/bytes.js';
import { type ChainApi, ensureChain, ensureMining, type RpcContext } from '../context.js';
import { RpcError, RpcErrorCode, typeError } from '../errors.js';
import { Amount } from '../json/amount.js';
import { difficulty, hex32, targetHex } from '../json/block.js';
import { decodeHexBlock } from '../params.js';
import type { RpcMethod } from '../registry.js';
import { chainName, isInitialBlockDownload } from './blockchain.js';

type Method = RpcMethod<RpcContext>;

/** Core's GetNetworkHashPS: chain work over the time span of the last `lookup` blocks. */
export function networkHashPs(chain: ChainApi, lookup: number, height: number): number {
  if (lookup < -1 || lookup === 0) {
    throw new RpcError(
      RpcErrorCode.RPC_INVALID_PARAMETER,
      'Invalid nblocks. Must be a positive number or -1.',
    );
  }
  if (height < -1 || height > chain.height) {
    throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Block does not exist at specified height');
  }
  const pb = height >= 0 ? chain.getEntryAtHeight(height) : chain.tip;
  if (pb === undefined) return 0;
  // -1: the blocks since the last difficulty change.
  if (lookup === -1) lookup = (pb.height % difficultyAdjustmentInterval(chain.network.consensus)) + 1;
  return estimateHashRate(pb, lookup);
}

export const getnetworkhashps: Method = {
  name: 'getnetworkhashps',
  category: 'mining',
  params: [
    {
      name: 'nblocks',
      type: 'number',
      default: 120,
      description:
        'The number of previous blocks to calculate estimate from, or -1 for blocks since last difficulty change.',
    },
    {
      name: 'height',
      type: 'number',
      default: -1,
      description: 'To estimate at the time of the given height.',
    },
  ],
  description:
    'Returns the estimated network hashes per second based on the last n blocks.\n' +
    'Pass in [blocks] to override # of blocks, -1 specifies since last difficulty change.\n' +
    'Pass in [height] to estimate the network speed at the time when a certain block was found.',
  result: 'n    (numeric) Hashes per second estimated',
  examples: ['', '-1'],
  handler: (ctx, args) => networkHashPs(ensureChain(ctx), args.int(0), args.int(1)),
};

export const getmininginfo: Method = {
  name: 'getmininginfo',
  category: 'mining',
  params: [],
  description: 'Returns a json object containing mining-related information.',
  result: `{ "blocks" : n, "bits" : "hex", "difficulty" : n, "target" : "hex", "networkhashps" : n, "pooledtx" : n,
  "blockmintxfee" : n, "chain" : "str", "next" : { "height", "bits", "difficulty", "target" }, "warnings" : [...] }`,
  examples: [''],
  handler: (ctx) => {
    const chain = ensureChain(ctx);
    const tip = chain.tip;
    const powLimit = ctx.network.consensus.powLimit;
    // Core's NextEmptyBlockIndex: the next block's difficulty at the earliest time it may have.
    const nextBits = chain.nextWorkRequired(tip, Math.max(chain.medianTimePast(tip) + 1, ctx.now()));
    return {
      blocks: tip.height,
      bits: hex32(tip.bits),
      difficulty: difficulty(tip.bits),
      target: targetHex(tip.bits, powLimit),
      networkhashps: networkHashPs(chain, 120, -1),
      pooledtx: ctx.mempool === undefined ? 0 : ctx.mempool.info().size,
      blockmintxfee: new Amount(DEFAULT_BLOCK_MIN_TX_FEE),
      chain: chainName(ctx),
      next: {
        height: tip.height + 1,
        bits: hex32(nextBits),
        difficulty: difficulty(nextBits),
        target: targetHex(nextBits, powLimit),
      },
      warnings: [],
    };
  },
};

/** Known-block answers of submitblock and of proposals (BIP22/BIP23). */
function knownBlockVerdict(chain: ChainApi, hash: Uint8Array): string | undefined {
  const entry = chain.getEntry(hash);
  if (entry === undefined) return undefined;
  if ((entry.status & BlockStatus.VALID_SCRIPTS) !== 0) return 'duplicate';
  if ((entry.status & FAILED_MASK) !== 0) return 'duplicate-invalid';
  return undefined;
}

export const getblocktemplate: Method = {
  name: 'getblocktemplate',
  category: 'mining',
  params: [
    {
      name: 'template_request',
      type: 'object',
      default: {},
      description:
        'Format of the template: {"mode": "template"|"proposal", "rules": ["segwit", ...], "data": "hex"}',
      oneline:
        '{"mode":"str","capabilities":["str",...],"rules":["segwit",...],"longpollid":"str","data":"hex"}',
    },
  ],
  description:
    "If the request parameters include a 'mode' key, that is used to explicitly select between the default 'template' request or a 'proposal'.\n" +
    'It returns data needed to construct a block to work on.\n' +
    'For full specification, see BIPs 22, 23, 9, and 145.\n' +
    'Long polling is not supported yet: a longpollid is accepted and a template returned at once.',
  result:
    '{ "version", "rules", "vbavailable", "vbrequired", "previousblockhash", "transactions", "coinbaseaux", "coinbasevalue", ... }',
  examples: ['\'{"rules": ["segwit"]}\''],
  handler: (ctx, args) => {
    const chain = ensureChain(ctx);
    const request = args.object(0);
    let mode = 'template';
    if (typeof request.mode === 'string') mode = request.mode;
    else if (request.mode !== undefined && request.mode !== null) {
      throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Invalid mode');
    }
    if (mode === 'proposal') {
      if (typeof request.data !== 'string') {
        throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, 'Missing data String key for proposal');
      }
      const block = decodeHexBlock(request.data);
      if (block === undefined)
        throw new RpcError(RpcErrorCode.RPC_DESERIALIZATION_ERROR, 'Block decode failed');
      if (chain.getEntry(block.hash()) !== undefined) {
        return knownBlockVerdict(chain, block.hash()) ?? 'duplicate-inconclusive';
      }
      if (!equalBytes(block.header.prevBlock, chain.tip.hash)) {
        return 'inconclusive-not-best-prevblk';
      }
      // The chain offers no validity test without connecting; BIP23 allows this answer.
      return 'inconclusive';
    }
    const rules = new Set<string>();
    if (Array.isArray(request.rules)) {
      for (const rule of request.rules) {
        if (typeof rule !== 'string') throw typeError(rule, 'string');
        rules.add(rule);
      }
    }
    if (mode !== 'template') throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, 'Invalid mode');
    // Core's IsTestChain: only mainnet insists on peers and a synced chain.
    if (ctx.network.name === 'main') {
      if (ctx.peers === undefined || ctx.peers.connectionCount() === 0) {
        throw new RpcError(RpcErrorCode.RPC_CLIENT_NOT_CONNECTED, 'Tally is not connected!');
      }
      if (isInitialBlockDownload(ctx, chain)) {
        throw new RpcError(
          RpcErrorCode.RPC_CLIENT_IN_INITIAL_DOWNLOAD,
          'Tally is in initial sync and waiting for blocks...',
        );
      }
    }
    if (!rules.has('segwit')) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})',
      );
    }
    const { assembler } = ensureMining(ctx);
    // The coinbase is the miner's to write: the template only tells its value and commitment.
    return assembler.createTemplate({ coinbaseScript: new Uint8Array(0) }).toGetBlockTemplateJson();
  },
};

export const submitblock: Method = {
  name: 'submitblock',
  category: 'mining',
  params: [
    { name: 'hexdata', type: 'hex', required: true, description: 'the hex-encoded block data to submit' },
    {
      name: 'dummy',
      type: 'any',
      helpType: 'string',
      defaultHint: 'ignored',
      description: 'dummy value, for compatibility with BIP22. This value is ignored.',
    },
  ],
  description:
    'Attempts to submit new block to network.\nSee https://en.bitcoin.it/wiki/BIP_0022 for full specification.',
  result: 'null when the block was accepted, else a string with the reason (BIP22)',
  examples: ['"mydata"'],
  handler: async (ctx, args) => {
    const chain = ensureChain(ctx);
    const block = decodeHexBlock(args.str(0));
    if (block === undefined)
      throw new RpcError(RpcErrorCode.RPC_DESERIALIZATION_ERROR, 'Block decode failed');
    if (block.txs.length === 0 || !block.txs[0]!.isCoinbase()) {
      throw new RpcError(RpcErrorCode.RPC_DESERIALIZATION_ERROR, 'Block does not start with a coinbase');
    }
    const known = knownBlockVerdict(chain, block.hash());
    if (known !== undefined) return known;
    const result = await chain.processBlock(block);
    switch (result.status) {
      case 'connected':
      case 'reorganized':
        return null;
      case 'duplicate':
        return 'duplicate';
      case 'stored':
        // Valid so far but not connected: Core never hears a verdict for it.
        return 'inconclusive';
      case 'orphan':
        return 'prev-blk-not-found';
      default:
        return result.reason === '' ? 'rejected' : result.reason;
    }
  },
};
