/**
 * Opens a regtest Chain in a fresh directory under os.tmpdir() for a test, with a fixed clock.
 *
 * ```ts
 * const store = await TestChainStore.create();
 * await store.chain.processBlock(block);
 * await store.reopen();          // close and open again on the same directory
 * await store.destroy();         // close and delete the directory
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain, type ChainDeps, type ChainOptions } from '../../src/chain/chain.js';
import { regtest } from '../../src/consensus/networks/regtest.js';

/** A clock well after any block a TestChain builds (they start at regtest's genesis, 2011). */
export const TEST_NOW = 1_700_000_000;

export type TestChainOptions = Partial<Omit<ChainOptions, 'dataDir'>>;

export class TestChainStore {
  private constructor(
    readonly dir: string,
    public chain: Chain,
    private readonly options: ChainOptions,
    private readonly deps: ChainDeps,
  ) {}

  static async create(options: TestChainOptions = {}, deps: ChainDeps = {}): Promise<TestChainStore> {
    const dir = mkdtempSync(join(tmpdir(), 'tally-chain-'));
    const full: ChainOptions = { network: regtest, now: () => TEST_NOW, ...options, dataDir: dir };
    return new TestChainStore(dir, await Chain.open(full, deps), full, deps);
  }

  /** Opens another Chain on the same directory (the current one must be closed). */
  open(options: TestChainOptions = {}): Promise<Chain> {
    return Chain.open({ ...this.options, ...options }, this.deps);
  }

  async reopen(options: TestChainOptions = {}): Promise<Chain> {
    await this.chain.close();
    this.chain = await this.open(options);
    return this.chain;
  }

  async destroy(): Promise<void> {
    await this.chain.close().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
