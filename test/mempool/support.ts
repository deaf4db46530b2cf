/**
 * A real regtest Chain (in a temporary directory) with a Mempool following it, for mempool tests.
 *
 * ```ts
 * const h = await MempoolHarness.create();      // 130 blocks: 31 mature coinbase coins
 * const tx = h.tc.spend([h.coin()]);             // signed P2WPKH spend
 * assertAccepted(await h.mempool.accept(tx));
 * await h.mine([tx]);                            // a block with it: the pool drops it
 * await h.destroy();
 * ```
 */
import assert from 'node:assert/strict';
import type { MempoolEntry } from '../../src/mempool/entry.js';
import { Mempool } from '../../src/mempool/mempool.js';
import type { MempoolAcceptResult, MempoolOptions } from '../../src/mempool/options.js';
import type { Block } from '../../src/primitives/block.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { type SpendableOutput, TestChain } from '../support/test-chain.js';
import { assertStatus } from '../support/test-chain-assert.js';
import { TEST_NOW, TestChainStore } from '../support/test-chain-store.js';

export class MempoolHarness {
  /** The mempool's clock (Unix seconds); tests move it. */
  now = TEST_NOW;
  private nextCoin = 0;

  private constructor(
    readonly store: TestChainStore,
    readonly tc: TestChain,
    readonly blocks: Block[],
    public mempool: Mempool,
    private readonly options: Partial<MempoolOptions>,
  ) {}

  static async create(options: Partial<MempoolOptions> = {}, blockCount = 130): Promise<MempoolHarness> {
    const store = await TestChainStore.create();
    const tc = new TestChain();
    const blocks = tc.mine(blockCount);
    for (const b of blocks) assertStatus(await store.chain.processBlock(b), 'connected');
    const harness = new MempoolHarness(store, tc, blocks, undefined as never, options);
    harness.mempool = harness.newMempool();
    return harness;
  }

  get chain() {
    return this.store.chain;
  }

  /** Another Mempool on the same chain and clock (for persistence round trips). */
  newMempool(extra: Partial<MempoolOptions> = {}): Mempool {
    return new Mempool(
      { network: this.tc.network, ...this.options, ...extra },
      { chain: this.store.chain, now: () => this.now, random: () => 0 },
    );
  }

  /** The next unused mature coinbase output (50 BTC, P2WPKH to tc.key). */
  coin(): SpendableOutput {
    const height = this.chain.height;
    const block = this.blocks[this.nextCoin++];
    assert.ok(block !== undefined && this.tc.heightOf(block) + 100 <= height + 1, 'out of mature coins');
    return this.tc.coinbaseOutput(block);
  }

  /** A confirmed transaction splitting one coin into `n` outputs of `value` (P2WPKH to tc.key). */
  async fanOut(n: number, value = 1_000_000): Promise<SpendableOutput[]> {
    const tx = this.tc.spend([this.coin()], { outputs: Array.from({ length: n }, () => ({ value })) });
    await this.mine([tx]);
    return this.tc.outputs(tx);
  }

  /** Builds a block with `txs` on the chain's tip and connects it. */
  async mine(txs: Transaction[] = []): Promise<Block> {
    const block = this.tc.block({ txs });
    assertStatus(await this.chain.processBlock(block), 'connected');
    return block;
  }

  async destroy(): Promise<void> {
    this.mempool.close();
    await this.store.destroy();
  }
}

export function assertAccepted(result: MempoolAcceptResult): void {
  assert.ok(result.ok, result.ok ? '' : `rejected: ${result.reason} (${result.debug})`);
}

/** Asserts a rejection with exactly this reason (and result, when given). */
export function assertRejected(result: MempoolAcceptResult, reason: string | RegExp, kind?: string): void {
  assert.equal(result.ok, false, `expected ${String(reason)}, but it was accepted`);
  if (result.ok) return;
  if (typeof reason === 'string') assert.equal(result.reason, reason, result.debug);
  else assert.match(result.reason, reason, result.debug);
  if (kind !== undefined) assert.equal(result.result, kind, `${result.reason}: ${result.debug}`);
}

/** Every entry's ancestor and descendant package figures equal a recount from scratch. */
export function assertPackageFigures(entries: Iterable<MempoolEntry>): void {
  for (const e of entries) {
    const anc = e.ancestors();
    const desc = e.descendants();
    assert.equal(e.ancestorCount, anc.size + 1);
    assert.equal(
      e.ancestorSize,
      [...anc].reduce((s, a) => s + a.vsize, e.vsize),
    );
    assert.equal(
      e.ancestorFees,
      [...anc].reduce((s, a) => s + a.modifiedFee, e.modifiedFee),
    );
    assert.equal(
      e.ancestorSigOpCost,
      [...anc].reduce((s, a) => s + a.sigOpCost, e.sigOpCost),
    );
    assert.equal(e.descendantCount, desc.size + 1);
    assert.equal(
      e.descendantSize,
      [...desc].reduce((s, d) => s + d.vsize, e.vsize),
    );
    assert.equal(
      e.descendantFees,
      [...desc].reduce((s, d) => s + d.modifiedFee, e.modifiedFee),
    );
  }
}
