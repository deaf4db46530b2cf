import type { FastifyInstance } from 'fastify';
import { estimateHashRate } from '../../chain/hash-rate.js';
import { blockSubsidy } from '../../consensus/subsidy.js';
import { toDisplayHex, toHex } from '../../encoding/hex.js';
import { difficulty, hex32, targetHex, uint256Hex } from '../../rpc/json/block.js';
import type { ApiContext } from './context.js';
import { jsonRoute } from './http-error.js';
import { mempoolStats } from './mempool-stats.js';
import { parseBlockId, parseLimit, parseOffset, parseStart, type Query } from './params.js';

/** Blocks over which /api/status estimates the hash rate (Core's getnetworkhashps default). */
const HASHRATE_WINDOW = 120;

/** GET /api/status, /api/blocks, /api/block/<id>, /api/block/<id>/txs. */
export function registerChainRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { chain, network } = ctx.deps;
  const powLimit = network.consensus.powLimit;

  app.get(
    '/api/status',
    jsonRoute(async () => {
      const tip = chain.tip;
      const peers = ctx.deps.peers?.peers() ?? [];
      const inbound = peers.filter((p) => p.inbound).length;
      return {
        network: network.name,
        height: tip.height,
        bestBlockHash: tip.hashHex(),
        time: tip.time,
        medianTime: chain.medianTimePast(tip),
        bits: hex32(tip.bits),
        target: targetHex(tip.bits, powLimit),
        difficulty: difficulty(tip.bits),
        chainwork: uint256Hex(tip.chainwork),
        hashRate: estimateHashRate(tip, HASHRATE_WINDOW),
        mempool: mempoolStats(ctx.deps.mempool),
        peers: { count: peers.length, inbound, outbound: peers.length - inbound },
        addressIndex: ctx.deps.addressIndex?.status() ?? {
          enabled: false,
          height: 0,
          synced: false,
          progress: 0,
        },
      };
    }, ctx.log),
  );

  app.get(
    '/api/blocks',
    jsonRoute(async (req) => {
      const query = req.query as Query;
      const start = parseStart(query, chain.height);
      const limit = parseLimit(query);
      const items = [];
      for (let h = start; h >= 0 && h > start - limit; h--) {
        const entry = chain.getEntryAtHeight(h);
        if (entry === undefined) break;
        const { block } = await ctx.blocks.read(entry);
        const paid = block.txs[0]!.outputs.reduce((sum, o) => sum + o.value, 0);
        items.push({
          hash: entry.hashHex(),
          height: entry.height,
          time: entry.time,
          txCount: block.txs.length,
          size: block.totalSize(),
          weight: block.weight(),
          // What the coinbase claimed above the subsidy: the fees (a miner may claim less, never more).
          fees: Math.max(0, paid - blockSubsidy(entry.height, network.consensus)),
          miner: null,
        });
      }
      const next = start - limit;
      return { items, next: next >= 0 ? next : null };
    }, ctx.log),
  );

  app.get(
    '/api/block/:id',
    jsonRoute(async (req) => {
      const entry = ctx.blocks.entry(parseBlockId((req.params as { id: string }).id));
      const { block } = await ctx.blocks.read(entry);
      const active = chain.isOnActiveChain(entry);
      const next = active ? chain.getEntryAtHeight(entry.height + 1) : undefined;
      const h = entry.header;
      return {
        hash: entry.hashHex(),
        height: entry.height,
        // Core's convention: -1 for a block off the active chain.
        confirmations: active ? chain.height - entry.height + 1 : -1,
        version: h.version,
        versionHex: hex32(h.version),
        previousBlockHash: entry.prev?.hashHex() ?? null,
        nextBlockHash: next?.hashHex() ?? null,
        merkleRoot: toDisplayHex(h.merkleRoot),
        time: h.time,
        medianTime: chain.medianTimePast(entry),
        bits: hex32(h.bits),
        target: targetHex(h.bits, powLimit),
        nonce: h.nonce,
        difficulty: difficulty(h.bits),
        chainwork: uint256Hex(entry.chainwork),
        size: block.totalSize(),
        strippedSize: block.baseSize(),
        weight: block.weight(),
        txCount: block.txs.length,
        header: toHex(h.encode()),
        inActiveChain: active,
      };
    }, ctx.log),
  );

  app.get(
    '/api/block/:id/txs',
    jsonRoute(async (req) => {
      const entry = ctx.blocks.entry(parseBlockId((req.params as { id: string }).id));
      const query = req.query as Query;
      const offset = parseOffset(query);
      const limit = parseLimit(query);
      const { block } = await ctx.blocks.read(entry);
      const undo = await ctx.blocks.undo(entry);
      const end = Math.min(block.txs.length, offset + limit);
      const items = [];
      for (let i = offset; i < end; i++) {
        items.push(await ctx.txs.confirmedJson(block.txs[i]!, entry, i, i === 0 ? undefined : undo?.[i - 1]));
      }
      return { items, next: end < block.txs.length ? end : null };
    }, ctx.log),
  );
}
