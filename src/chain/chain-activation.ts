import type { Logger } from 'pino';
import { type ConnectContext, shouldEnforceBIP30 } from '../consensus/connect-block.js';
import type { NetworkParams } from '../consensus/params.js';
import { blockScriptFlags } from '../consensus/script-flags.js';
import type { Block } from '../primitives/block.js';
import type { BlockIndex } from './block-index.js';
import type { BlockVerifier } from './block-verifier.js';
import { BlockStatus, type ChainEntry } from './chain-entry.js';
import type { ChainState } from './chain-state.js';
import { ChainError } from './errors.js';
import type { ChainEmitter, ChainEvents } from './events.js';
import type { ForkChoice } from './fork-choice.js';
import { type Rejection, toRejection } from './types.js';

/** When pending chain state is written (see ChainOptions). */
export interface FlushPolicy {
  readonly cacheBytes: number;
  readonly flushBlocks: number;
  readonly flushIntervalMs: number;
}

export interface ActivationDeps {
  readonly network: NetworkParams;
  readonly index: BlockIndex;
  readonly state: ChainState;
  readonly forks: ForkChoice;
  readonly verifier: BlockVerifier;
  readonly events: ChainEmitter;
  readonly policy: FlushPolicy;
  readonly readBlock: (entry: ChainEntry) => Promise<Block>;
  readonly markInvalid: (entry: ChainEntry) => void;
  readonly log: Logger | undefined;
}

/**
 * Moves the tip (Core's ActivateBestChain, ConnectTip, DisconnectTip): full validation of each
 * block against the UTXO cache, undo on the way back, events, and the flush policy.
 */
export class ChainActivation {
  private lastFlush = Date.now();

  constructor(private readonly deps: ActivationDeps) {}

  private get tip(): ChainEntry {
    return this.deps.index.tip;
  }

  /**
   * While a stored chain has more work than the tip, disconnect back to the fork and connect its
   * blocks; a block that fails is marked invalid with its descendants and the next best chain is
   * tried (possibly the one just left). Then `reorg` (if `startTip` is no longer on the chain) and
   * `tip` (if it moved). Returns the blocks found invalid.
   */
  async activate(startTip: ChainEntry = this.tip): Promise<Map<ChainEntry, Rejection>> {
    const { index, forks } = this.deps;
    const failures = new Map<ChainEntry, Rejection>();
    for (;;) {
      const target = forks.best(this.tip);
      if (target === undefined) break;
      const fork = index.findFork(this.tip, target);
      while (this.tip !== fork) await this.disconnectTip();
      const path: ChainEntry[] = [];
      for (let e: ChainEntry = target; e !== fork; e = e.prev!) path.push(e);
      for (const entry of path.reverse()) {
        const failure = await this.connectTip(entry);
        if (failure !== undefined) {
          failures.set(entry, failure);
          break;
        }
      }
      // After a failed switch the tip may have less work than before: chains pruned as too light
      // for the old tip may be the best again.
      if (this.tip.chainwork < startTip.chainwork) forks.rebuild(index, this.tip);
      else forks.prune(this.tip);
    }
    const tip = this.tip;
    if (tip !== startTip) {
      const fork = index.findFork(startTip, tip);
      if (fork !== startTip) this.emit('reorg', { oldTip: startTip, newTip: tip, fork });
      this.emit('tip', tip);
    }
    return failures;
  }

  /** Core's DisconnectTip: undoes the tip block with its undo data. */
  async disconnectTip(): Promise<void> {
    const { index, state } = this.deps;
    const entry = this.tip;
    const prev = entry.prev;
    if (prev === undefined) throw new ChainError('BAD_REQUEST', 'cannot disconnect the genesis block');
    const block = await this.deps.readBlock(entry);
    const undo = await state.readUndo(entry);
    if (undo === undefined) throw new ChainError('CORRUPT', `no undo data for block ${entry.hashHex()}`);
    if (!state.disconnect(block, entry, undo)) {
      this.deps.log?.warn({ block: entry.hashHex() }, 'disconnected block did not match the coins (unclean)');
    }
    index.setTip(prev);
    await this.maybeFlush();
    this.emit('block-disconnected', block, entry);
  }

  /** Writes everything pending with the current tip as the best block. */
  async flush(keepCoins: boolean): Promise<void> {
    await this.deps.state.flush(this.tip, keepCoins);
    this.lastFlush = Date.now();
  }

  /** Core's ConnectTip: fully validates `entry`'s block and makes it the tip; a rejection if invalid. */
  private async connectTip(entry: ChainEntry): Promise<Rejection | undefined> {
    const { index, state, network } = this.deps;
    const block = await this.deps.readBlock(entry);
    const prev = entry.prev!;
    const params = network.consensus;
    const bip34 = prev.height >= params.bip34Height ? index.ancestor(prev, params.bip34Height) : undefined;
    const ctx: ConnectContext = {
      height: entry.height,
      flags: blockScriptFlags(entry.height, entry.hash, params),
      enforceBIP30: shouldEnforceBIP30(entry.height, entry.hash, bip34?.hash, params),
      prevMedianTimePast: index.medianTimePast(prev),
      medianTimePastAt: (height) => index.medianTimePast(index.ancestor(prev, height)!),
    };
    const result = await this.deps.verifier.verify(block, state.coins, ctx, network);
    if (!result.ok) {
      this.deps.markInvalid(entry);
      this.deps.log?.info(
        { block: entry.hashHex(), reason: result.reason, debug: result.debug },
        'invalid block',
      );
      return toRejection(result);
    }
    state.connect(block, entry, result.spentCoins);
    entry.status |= BlockStatus.VALID_SCRIPTS;
    state.markEntry(entry);
    index.setTip(entry);
    await this.maybeFlush();
    this.emit('block-connected', block, entry, result.spentCoins);
    return undefined;
  }

  /**
   * A listener that throws must not leave the chain half-updated (the block is already applied):
   * its error is logged, and the other listeners still run. (rawListeners keeps `once` working.)
   */
  private emit<K extends keyof ChainEvents>(name: K, ...args: ChainEvents[K]): void {
    for (const listener of this.deps.events.rawListeners(name)) {
      try {
        (listener as (...a: ChainEvents[K]) => void)(...args);
      } catch (err) {
        this.deps.log?.error({ err, event: name }, 'chain event listener failed');
      }
    }
  }

  /** Flushes when the cache is full (emptying it), or after flushBlocks blocks or flushIntervalMs. */
  private async maybeFlush(): Promise<void> {
    const { state, policy } = this.deps;
    if (state.usage > policy.cacheBytes) await this.flush(false);
    else if (
      state.blocksSinceFlush >= policy.flushBlocks ||
      Date.now() - this.lastFlush >= policy.flushIntervalMs
    ) {
      await this.flush(true);
    }
  }
}
