import type { SignatureVerifyPool } from '../crypto/verify-pool.js';
import { ScriptCheckPipeline } from './script-check-pipeline.js';
import type { Block } from '../primitives/block.js';
import { checkBlock } from '../consensus/check-block.js';
import type { CoinView } from '../consensus/coin-view.js';
import {
  type ConnectContext,
  type ConnectResult,
  connectBlockChecks,
  runScriptChecks,
} from '../consensus/connect-block.js';
import { contextualCheckBlock } from '../consensus/contextual.js';
import type { BlockCheck } from '../consensus/errors.js';
import type { NetworkParams } from '../consensus/params.js';

export interface VerifyBlockOptions {
  /** Check the header's proof of work (off only for deliberately tampered test blocks). */
  readonly checkPoW?: boolean;
}

/**
 * Full validation of one block against a view of the coins it spends: CheckBlock,
 * ContextualCheckBlock, ConnectBlock's UTXO rules and every input script. With a pool, scripts run
 * through a ScriptCheckPipeline as ConnectBlock produces them; without one, sequentially.
 */
export class BlockVerifier {
  constructor(private readonly deps: { readonly pool?: SignatureVerifyPool } = {}) {}

  async verify(
    block: Block,
    view: CoinView,
    ctx: ConnectContext,
    params: NetworkParams,
    options: VerifyBlockOptions = {},
  ): Promise<BlockCheck<ConnectResult>> {
    const consensus = params.consensus;
    const context = checkBlock(block, consensus, {
      checkPoW: options.checkPoW ?? true,
      checkMerkleRoot: true,
    });
    if (!context.ok) return context;
    const contextual = contextualCheckBlock(
      block,
      { height: ctx.height, prevMedianTimePast: ctx.prevMedianTimePast },
      consensus,
    );
    if (!contextual.ok) return contextual;
    const pool = this.deps.pool;
    if (pool === undefined) {
      const connect = connectBlockChecks(block, view, ctx, consensus);
      if (!connect.ok) return connect;
      const scripts = runScriptChecks(connect.scriptChecks);
      return scripts.ok ? connect : scripts;
    }
    // One curve check per input is typical of blocks (P2PKH, P2WPKH); the batch grows if needed.
    let inputs = 0;
    for (const tx of block.txs) inputs += tx.inputs.length;
    const pipeline = new ScriptCheckPipeline(pool, inputs);
    const connect = connectBlockChecks(block, view, ctx, consensus, (jobs) => pipeline.add(jobs));
    if (!connect.ok) {
      await pipeline.abandon();
      return connect;
    }
    const scripts = await pipeline.finish();
    return scripts.ok ? connect : scripts;
  }
}
