/**
 * A node serving its chain to a hand-driven peer: getheaders, getblocks, getdata (with and
 * without witness data, notfound for the unknown), block announcements by `headers` (BIP130) or
 * `inv`, and stall detection when a peer announces blocks it never delivers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { equalBytes } from '../../src/encoding/bytes.js';
import { blockLocator } from '../../src/net/block-locator.js';
import { InvType } from '../../src/net/wire/inventory.js';
import type { NetMessage } from '../../src/net/wire/message.js';
import type { Block } from '../../src/primitives/block.js';
import { TestChain } from '../support/test-chain.js';
import { busyChain } from '../support/test-chain-workload.js';
import { RawPeer } from './raw-peer.js';
import { TestNode, sameTip, stopAll, waitFor } from './test-node.js';

const ZERO = new Uint8Array(32);
const raws: RawPeer[] = [];
after(async () => {
  for (const r of raws) r.destroy();
  await stopAll();
});

async function rawPeer(port: number): Promise<RawPeer> {
  const raw = await RawPeer.connect(port);
  raws.push(raw);
  await raw.handshake();
  return raw;
}

/** The n-th message of a command received after `from` messages. */
async function next<C extends NetMessage['command']>(
  raw: RawPeer,
  command: C,
  from: number,
): Promise<Extract<NetMessage, { command: C }>> {
  await raw.until(command, () => raw.received.slice(from).some((m) => m.command === command));
  return raw.received.slice(from).find((m) => m.command === command) as Extract<NetMessage, { command: C }>;
}

describe('serving the chain', () => {
  const tc = new TestChain();
  let blocks: Block[];
  let node: TestNode;

  before(async () => {
    // 120 blocks, the last 20 with witness transactions.
    blocks = busyChain(tc, { blocks: 120, txsPerBlock: 2 });
    node = await TestNode.start('server');
    await node.mine(blocks);
  });

  it('getheaders: headers after the locator fork, up to hashStop; an empty locator names one', async () => {
    const raw = await rawPeer(node.port);
    let from = raw.received.length;
    const locator = [blocks[9]!.hash(), tc.genesis.hash()];
    raw.send({ command: 'getheaders', version: 70016, locator, hashStop: ZERO });
    let m = await next(raw, 'headers', from);
    assert.equal(m.headers.length, 110);
    assert.ok(equalBytes(m.headers[0]!.hash(), blocks[10]!.hash()));

    from = raw.received.length;
    raw.send({ command: 'getheaders', version: 70016, locator, hashStop: blocks[14]!.hash() });
    m = await next(raw, 'headers', from);
    assert.equal(m.headers.length, 5);

    from = raw.received.length;
    raw.send({ command: 'getheaders', version: 70016, locator: [], hashStop: blocks[50]!.hash() });
    m = await next(raw, 'headers', from);
    assert.equal(m.headers.length, 1);
    assert.ok(equalBytes(m.headers[0]!.hash(), blocks[50]!.hash()));

    // A locator of unknown hashes falls back to genesis.
    from = raw.received.length;
    raw.send({
      command: 'getheaders',
      version: 70016,
      locator: [new Uint8Array(32).fill(9)],
      hashStop: ZERO,
    });
    m = await next(raw, 'headers', from);
    assert.equal(m.headers.length, 120);
  });

  it('getblocks: an inv of the block hashes after the fork', async () => {
    const raw = await rawPeer(node.port);
    const from = raw.received.length;
    raw.send({ command: 'getblocks', version: 70016, locator: [blocks[99]!.hash()], hashStop: ZERO });
    const inv = await next(raw, 'inv', from);
    assert.equal(inv.items.length, 20);
    assert.ok(inv.items.every((i) => i.type === InvType.BLOCK));
    assert.ok(equalBytes(inv.items[19]!.hash, blocks[119]!.hash()));
  });

  it('getdata: blocks with or without witness data, notfound for unknown items', async () => {
    const raw = await rawPeer(node.port);
    const block = blocks[115]!;
    assert.ok(block.txs.some((tx) => tx.hasWitness()));
    const unknown = new Uint8Array(32).fill(3);
    let from = raw.received.length;
    raw.send({
      command: 'getdata',
      items: [
        { type: InvType.WITNESS_BLOCK, hash: block.hash() },
        { type: InvType.BLOCK, hash: unknown },
        { type: InvType.WITNESS_TX, hash: unknown },
      ],
    });
    const got = await next(raw, 'block', from);
    assert.deepEqual(got.block.encode(), block.encode());
    const notfound = await next(raw, 'notfound', from);
    assert.deepEqual(
      notfound.items.map((i) => i.type),
      [InvType.BLOCK, InvType.WITNESS_TX],
    );

    from = raw.received.length;
    raw.send({ command: 'getdata', items: [{ type: InvType.BLOCK, hash: block.hash() }] });
    const stripped = await next(raw, 'block', from);
    assert.ok(
      stripped.block.txs.every((tx) => !tx.hasWitness()),
      'MSG_BLOCK is served without witnesses',
    );
    assert.ok(equalBytes(stripped.block.hash(), block.hash()));
  });

  it('announces a new block by headers to peers that sent sendheaders, by inv to others', async () => {
    const withHeaders = await rawPeer(node.port);
    withHeaders.send({ command: 'sendheaders' });
    const withInv = await rawPeer(node.port);
    // Both peers tell the node what they have (our tip), so only the new block is news to them.
    for (const raw of [withHeaders, withInv])
      raw.send({ command: 'headers', headers: [blocks[119]!.header] });
    const ids = new Set<number>();
    await waitFor('the node knows what both peers have', () => {
      const fresh = node.peers.getPeerInfo().filter((p) => p.syncedHeaders === 120 && p.inbound);
      for (const p of fresh) ids.add(p.id);
      return ids.size >= 2;
    });
    const fromH = withHeaders.received.length;
    const fromI = withInv.received.length;
    const fresh = tc.block({ parent: blocks[119]! });
    await node.mine([fresh]);
    const h = await next(withHeaders, 'headers', fromH);
    assert.equal(h.headers.length, 1);
    assert.ok(equalBytes(h.headers[0]!.hash(), fresh.hash()));
    const inv = await next(withInv, 'inv', fromI);
    assert.equal(inv.items.length, 1);
    assert.equal(inv.items[0]!.type, InvType.BLOCK);
    assert.ok(equalBytes(inv.items[0]!.hash, fresh.hash()));
    blocks.push(fresh);
  });
});

describe('block download', () => {
  it('a peer that announces blocks and never delivers them is dropped as a staller', async () => {
    const tc = new TestChain();
    const blocks = tc.mine(200);
    const honest = await TestNode.start('honest');
    await honest.mine(blocks);
    const node = await TestNode.start('syncing', { blockDownload: { stallTimeoutMs: 300 } });
    const reasons: string[] = [];
    node.peers.on('peer-disconnected', (e) =>
      reasons.push(e.cause.kind === 'local' ? e.cause.reason : e.cause.kind),
    );

    // The staller answers the node's getheaders with the whole chain, then ignores getdata.
    const staller = await RawPeer.connect(node.port);
    raws.push(staller);
    await staller.handshake();
    await staller.waitFor('getheaders');
    staller.send({ command: 'headers', headers: blocks.map((b) => b.header) });
    await staller.until('getdata', () => staller.received.some((m) => m.command === 'getdata'));
    const asked = staller.received.find((m) => m.command === 'getdata');
    assert.equal(asked?.command === 'getdata' ? asked.items.length : 0, 16, '16 blocks in flight per peer');
    assert.equal(node.peers.getPeerInfo()[0]!.inflight.length, 16);

    node.peers.addNode(honest.addr, 'onetry');
    await staller.until('the staller is disconnected', () => staller.closed, 10_000);
    await waitFor('the node syncs from the honest peer', () => sameTip(node, honest));
    assert.deepEqual(reasons, ['stalling block download']);
    assert.equal(node.peers.getPeerInfo().length, 1);
    // Stalling is not misbehaviour: no penalty, only the disconnection.
    assert.deepEqual(node.penalties, []);
  });

  it('downloads from two peers at once, each serving part of the chain', async () => {
    const tc = new TestChain();
    const blocks = tc.mine(600);
    const [a, b] = [await TestNode.start('seed-a'), await TestNode.start('seed-b')];
    await a.mine(blocks);
    await b.mine(blocks);
    const node = await TestNode.start('fresh', { connect: [a.addr, b.addr] });
    await waitFor('synced', () => sameTip(node, a, b));
    const served = node.peers.getPeerInfo().map((p) => p.bytesRecv);
    assert.equal(served.length, 2);
    // Both answered the first getheaders with all 600 headers (~49 kB); the blocks (~115 kB) come
    // on top, so each peer that served a fair share has sent well over 75 kB (measured: ~108 kB).
    for (const bytes of served) assert.ok(bytes > 75_000, `one peer sent only ${bytes} bytes`);
    assert.deepEqual(node.penalties, []);
  });

  it('received blocks over the queue budget hold back requests past the first blocks above the tip', async () => {
    const blocks = new TestChain().mine(40);
    const node = await TestNode.start('budget', {
      blockDownload: { maxQueuedBytes: 1, stallTimeoutMs: 60_000 },
    });
    const peer = await RawPeer.connect(node.port);
    raws.push(peer);
    await peer.handshake();
    await peer.waitFor('getheaders');
    peer.send({ command: 'headers', headers: blocks.map((b) => b.header) });
    const requested = () => peer.received.flatMap((m) => (m.command === 'getdata' ? m.items : []));
    await peer.until('the first getdata', () => requested().length > 0);
    assert.equal(requested().length, 16, '16 blocks in flight');

    // Blocks 2-16 arrive, block 1 does not: they wait for it in the queue, over its budget. With
    // room in the queue, each arrival would free a slot for block 17 onwards.
    for (const b of blocks.slice(1, 16)) peer.send({ command: 'block', block: b });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(requested().length, 16, 'nothing past the 16 blocks above the tip');

    // Block 1 lets the queue drain; from then on the node asks for the rest and syncs.
    peer.send({ command: 'block', block: blocks[0]! });
    let served = 16;
    await peer.until(
      'the node asked for every block',
      () => {
        for (const item of requested().slice(served)) {
          const block = blocks.find((b) => equalBytes(b.hash(), item.hash));
          if (block !== undefined) peer.send({ command: 'block', block });
        }
        served = requested().length;
        return served === blocks.length;
      },
      10_000,
    );
    await waitFor('synced', () => node.chain.height === blocks.length);
    assert.deepEqual(node.penalties, []);
  });

  it('over the queue budget, a block that queued blocks wait for is requested again when its peer leaves', async () => {
    const blocks = new TestChain().mine(40);
    const node = await TestNode.start('budget2', {
      blockDownload: { maxQueuedBytes: 1, stallTimeoutMs: 60_000 },
    });
    const requestedFrom = (p: RawPeer) =>
      p.received
        .flatMap((m) => (m.command === 'getdata' ? m.items : []))
        .map((i) => heightOf(blocks, i.hash));
    const connect = async () => {
      const p = await RawPeer.connect(node.port);
      raws.push(p);
      await p.handshake();
      await p.waitFor('getheaders');
      p.send({ command: 'headers', headers: blocks.map((b) => b.header) });
      await p.until('a getdata', () => requestedFrom(p).length > 0);
      return p;
    };
    const x = await connect();
    const y = await connect();
    assert.deepEqual(requestedFrom(y), range(17, 32), 'the second peer gets the next 16');
    // Both deliver all but their first block: 30 blocks wait in the queue, over its budget.
    for (const b of blocks.slice(17, 32)) y.send({ command: 'block', block: b });
    for (const b of blocks.slice(1, 16)) x.send({ command: 'block', block: b });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(requestedFrom(x), range(1, 16));
    // y leaves with block 17 undelivered: blocks 18-32 wait for it, so it is asked of x, and
    // nothing else past the first 16 above the tip is.
    y.destroy();
    await x.until('block 17 asked of x', () => requestedFrom(x).includes(17));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(requestedFrom(x), range(1, 17));
    x.send({ command: 'block', block: blocks[0]! });
    x.send({ command: 'block', block: blocks[16]! });
    let served = 17;
    await x.until(
      'the rest asked of x',
      () => {
        for (const height of requestedFrom(x).slice(served))
          x.send({ command: 'block', block: blocks[height - 1]! });
        served = requestedFrom(x).length;
        return served === 25;
      },
      10_000,
    );
    await waitFor('synced', () => node.chain.height === blocks.length);
  });

  it('blockLocator: eleven hashes a step apart, then doubling steps, ending at genesis', async () => {
    const node = await TestNode.start('locator');
    const tc = new TestChain();
    await node.mine(tc.mine(1000));
    const heights = blockLocator(node.chain, node.chain.tip).map((h) => node.chain.getEntry(h)!.height);
    assert.deepEqual(heights.slice(0, 12), [1000, 999, 998, 997, 996, 995, 994, 993, 992, 991, 990, 989]);
    assert.equal(heights[heights.length - 1], 0);
    assert.ok(heights.length < 25);
    // Core's LocatorEntries doubles the step after the eleventh hash.
    for (let i = 12; i < heights.length - 1; i++) {
      assert.equal(heights[i - 1]! - heights[i]!, 2 ** (i - 11));
    }
  });
});

function heightOf(blocks: readonly Block[], hash: Uint8Array): number {
  return blocks.findIndex((b) => equalBytes(b.hash(), hash)) + 1;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
