import type { FastifyInstance } from 'fastify';
import { toDisplayHex, toHex } from '../../encoding/hex.js';
import { OutPoint } from '../../primitives/outpoint.js';
import { classifyScript } from '../../script/templates.js';
import type { ApiContext } from './context.js';
import type { ExplorerAddressIndex } from './deps.js';
import { ApiError, jsonRoute } from './http-error.js';
import { MempoolScripts, type PendingActivity } from './mempool-scripts.js';
import { parseAddress, parseLimit, parseOffset, type Query } from './params.js';

/**
 * How far (blocks) the index may trail the tip and still answer: it catches up within moments of
 * each new block, and refusing during that moment would make pages flicker. Further behind, it is
 * building (a first sync or catching up after a restart) and answers 503 with its progress.
 */
const MAX_LAG = 2;

/** GET /api/address/<addr>, /txs and /utxos (address index + mempool). */
export function registerAddressRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { chain, network } = ctx.deps;

  const ready = (): ExplorerAddressIndex => {
    const index = ctx.deps.addressIndex;
    if (index === undefined) {
      throw new ApiError(
        503,
        'address-index-disabled',
        'the address index is off: start the node with -addressindex',
      );
    }
    const status = index.status();
    if (chain.height - status.height > MAX_LAG) {
      throw new ApiError(
        503,
        'address-index-syncing',
        `the address index is building: block ${status.height} of ${chain.height}`,
        { progress: status.progress, height: status.height },
      );
    }
    return index;
  };

  const mempoolScripts =
    ctx.deps.mempool === undefined ? undefined : new MempoolScripts(ctx.deps.mempool, chain);
  app.addHook('onClose', async () => mempoolScripts?.close());
  const pending = (script: Uint8Array): PendingActivity[] => mempoolScripts?.activity(script) ?? [];

  const script = (req: { params: unknown }): { address: string; script: Uint8Array } => {
    const address = (req.params as { addr: string }).addr;
    return { address, script: parseAddress(address, network.addressPrefixes, network.name) };
  };

  app.get(
    '/api/address/:addr',
    jsonRoute(async (req) => {
      const a = script(req);
      const index = ready();
      const s = (await index.summary(a.script)) ?? { received: 0, sent: 0, txCount: 0, utxoCount: 0 };
      const unconfirmed = pending(a.script);
      const status = index.status();
      return {
        address: a.address,
        scriptPubKey: toHex(a.script),
        type: classifyScript(a.script).type,
        balance: s.received - s.sent,
        received: s.received,
        sent: s.sent,
        txCount: s.txCount,
        utxoCount: s.utxoCount,
        unconfirmed: {
          balance: unconfirmed.reduce((sum, p) => sum + p.delta, 0),
          txCount: unconfirmed.length,
        },
        index: { height: status.height, synced: status.synced },
      };
    }, ctx.log),
  );

  /**
   * GET one of an address's lists, newest first: its unconfirmed entries, then the index's
   * confirmed ones, one offset running through both.
   */
  const listRoute = (
    path: string,
    unconfirmed: (script: Uint8Array) => Record<string, unknown>[],
    confirmed: (
      index: ExplorerAddressIndex,
      script: Uint8Array,
      offset: number,
      count: number,
    ) => Promise<Record<string, unknown>[]>,
    confirmedCount: 'txCount' | 'utxoCount',
  ): void => {
    app.get(
      path,
      jsonRoute(async (req) => {
        const a = script(req);
        const query = req.query as Query;
        const offset = parseOffset(query);
        const limit = parseLimit(query);
        const index = ready();
        const pool = unconfirmed(a.script);
        const items = pool.slice(offset, offset + limit);
        if (items.length < limit) {
          const from = Math.max(0, offset - pool.length);
          items.push(...(await confirmed(index, a.script, from, limit - items.length)));
        }
        const total = pool.length + ((await index.summary(a.script))?.[confirmedCount] ?? 0);
        return { items, next: offset + items.length < total ? offset + items.length : null };
      }, ctx.log),
    );
  };

  listRoute(
    '/api/address/:addr/txs',
    (addressScript) =>
      pending(addressScript).map((p) => ({
        txid: p.entry.tx.txidHex(),
        height: null,
        time: null,
        delta: p.delta,
        confirmations: 0,
      })),
    async (index, addressScript, offset, count) =>
      (await index.history(addressScript, offset, count)).map((h) => ({
        txid: toDisplayHex(h.txid),
        height: h.height,
        time: chain.getEntryAtHeight(h.height)?.time ?? null,
        delta: h.delta,
        confirmations: Math.max(0, chain.height - h.height + 1),
      })),
    'txCount',
  );

  /** The mempool transaction spending an output, if any (the output is then on its way out). */
  const spentBy = (txid: Uint8Array, vout: number): { txid: string; vin: number } | null => {
    const outpoint = new OutPoint(txid, vout);
    const spender = ctx.deps.mempool?.spender(outpoint);
    if (spender === undefined) return null;
    const vin = spender.tx.inputs.findIndex((i) => i.prevout.equals(outpoint));
    return { txid: spender.tx.txidHex(), vin };
  };

  listRoute(
    '/api/address/:addr/utxos',
    (addressScript) =>
      pending(addressScript).flatMap((p) =>
        p.outputs.map(([vout, value]) => ({
          txid: p.entry.tx.txidHex(),
          vout,
          value,
          height: null,
          confirmations: 0,
          spentBy: spentBy(p.entry.txid, vout),
        })),
      ),
    async (index, addressScript, offset, count) =>
      (await index.utxos(addressScript, offset, count)).map((u) => ({
        txid: toDisplayHex(u.txid),
        vout: u.vout,
        value: u.value,
        height: u.height,
        confirmations: Math.max(0, chain.height - u.height + 1),
        spentBy: spentBy(u.txid, u.vout),
      })),
    'utxoCount',
  );
}
