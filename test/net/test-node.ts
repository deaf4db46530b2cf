/**
 * In-process Tally nodes for multi-node tests: each is a real Chain (LevelDB in a temporary
 * directory), a Mempool following it and a PeerManager listening on 127.0.0.1 with an ephemeral
 * port. Every wait is bounded in time; `stopAll` stops and deletes everything.
 *
 * ```ts
 * const a = await TestNode.start('a');
 * const b = await TestNode.start('b', { connect: [a.addr] });
 * await waitFor('b syncs', () => b.chain.height === a.chain.height);
 * await stopAll();
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../../src/chain/chain.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { Mempool } from '../../src/mempool/mempool.js';
import type { MempoolOptions } from '../../src/mempool/options.js';
import { PeerManager, type PenaltyEvent, type PeerManagerOptions } from '../../src/net/peer-manager.js';
import type { Block } from '../../src/primitives/block.js';
import { assertStatus } from '../support/test-chain-assert.js';

export interface TestNodeOptions extends Partial<Omit<PeerManagerOptions, 'network'>> {
  readonly mempool?: Partial<MempoolOptions>;
}

const nodes: TestNode[] = [];

/** Test speed: quick ticks and announcement rounds, short retries. */
const FAST: Partial<PeerManagerOptions> = {
  bind: '127.0.0.1',
  port: 0,
  tickMs: 50,
  txRelayIntervalMs: 20,
  retryMs: 100,
};

export class TestNode {
  /** Every penalty decision the node made, in order. */
  readonly penalties: PenaltyEvent[] = [];

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly chain: Chain,
    readonly mempool: Mempool,
    readonly peers: PeerManager,
  ) {
    peers.on('penalty', (e) => this.penalties.push(e));
  }

  static async start(name: string, options: TestNodeOptions = {}): Promise<TestNode> {
    const dir = mkdtempSync(join(tmpdir(), `tally-net-${name}-`));
    const chain = await Chain.open({ network: regtest, dataDir: dir });
    const { mempool: mempoolOptions, ...net } = options;
    const mempool = new Mempool({ network: regtest, ...mempoolOptions }, { chain });
    const peers = new PeerManager(
      { network: regtest, ...FAST, userAgent: `/Tally:test-${name}/`, ...net },
      { chain, mempool },
    );
    const node = new TestNode(name, dir, chain, mempool, peers);
    nodes.push(node);
    await peers.start();
    return node;
  }

  /** `127.0.0.1:<port>` to connect to. */
  get addr(): string {
    return `127.0.0.1:${this.peers.listeningPort}`;
  }

  get port(): number {
    return this.peers.listeningPort!;
  }

  /** Connects blocks directly, as if mined here (each must connect). */
  async mine(blocks: readonly Block[]): Promise<void> {
    for (const b of blocks) assertStatus(await this.chain.processBlock(b), 'connected');
  }

  async stop(): Promise<void> {
    const i = nodes.indexOf(this);
    if (i >= 0) nodes.splice(i, 1);
    await this.peers.stop();
    this.mempool.close();
    await this.chain.close().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Stops every node still running (call from `after`). */
export async function stopAll(): Promise<void> {
  for (const node of [...nodes]) await node.stop();
}

/** Polls `cond` every 10 ms for at most `ms`; fails with `what` on timeout. */
export async function waitFor(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every node has the same tip as the first. */
export function sameTip(...all: TestNode[]): boolean {
  const tip = all[0]!.chain.tip;
  return all.every((n) => n.chain.tip.key === tip.key);
}
