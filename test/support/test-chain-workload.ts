/**
 * A busy regtest chain for tests and benchmarks: after the first 100 blocks, every block carries
 * transactions that spend earlier outputs (mature coinbases and outputs of earlier transactions),
 * each splitting its input in two, with real signatures over P2WPKH and P2PKH outputs.
 *
 * ```ts
 * const tc = new TestChain();
 * const blocks = busyChain(tc, { blocks: 250, txsPerBlock: 4 });
 * ```
 */
import type { Block } from '../../src/primitives/block.js';
import { OP_TRUE, type SpendableOutput, type TestChain, TestKey } from './test-chain.js';

export interface WorkloadOptions {
  /** Blocks to build on the builder's last block. */
  readonly blocks: number;
  /** Transactions per block once coins are mature (default 4). */
  readonly txsPerBlock?: number;
  /** Output scripts: signed key scripts (default) or OP_TRUE (no signatures: cheap to build). */
  readonly scripts?: 'signed' | 'op-true';
}

/** Builds the blocks (heights continue from `tc.last`) and returns them in order. */
export function busyChain(tc: TestChain, options: WorkloadOptions): Block[] {
  const perBlock = options.txsPerBlock ?? 4;
  const legacy = TestKey.fromSeed('workload-p2pkh');
  tc.addKey(legacy);
  const scripts = options.scripts === 'op-true' ? [OP_TRUE] : [tc.key.p2wpkh(), legacy.p2pkh()];
  const pool: SpendableOutput[] = [];
  const blocks: Block[] = [];
  const start = tc.heightOf(tc.last);
  const coinbases: SpendableOutput[] = [];
  for (let i = 0; i < options.blocks; i++) {
    const height = start + i + 1;
    // A coinbase can be spent in the block 100 above it (COINBASE_MATURITY).
    const matureIndex = height - 100 - (start + 1);
    if (matureIndex >= 0 && matureIndex < coinbases.length) pool.push(coinbases[matureIndex]!);
    const txs = [];
    for (let t = 0; t < perBlock && pool.length > 0; t++) {
      const input = pool.shift()!;
      const fee = 500 + t;
      const half = Math.floor((input.value - fee) / 2);
      if (half < 10_000) continue;
      const tx = tc.spend([input], {
        outputs: [
          { value: half, scriptPubKey: scripts[(i + t) % scripts.length]! },
          { value: input.value - fee - half, scriptPubKey: scripts[(i + t + 1) % scripts.length]! },
        ],
      });
      txs.push(tx);
      pool.push(...tc.outputs(tx));
    }
    const block = tc.block({ txs, payTo: scripts[i % scripts.length]! });
    coinbases.push(tc.coinbaseOutput(block));
    blocks.push(block);
  }
  return blocks;
}
