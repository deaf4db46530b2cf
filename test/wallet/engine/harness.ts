/**
 * A wallet engine on a real regtest Chain and Mempool in a temp directory, with blocks from the
 * test-chain builder. `mine(n)` builds blocks with the mempool's transactions and connects them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../../../src/chain/chain.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import type { Block } from '../../../src/primitives/block.js';
import type { Transaction } from '../../../src/primitives/transaction.js';
import { addressFromScript, scriptFromAddress } from '../../../src/script/address.js';
import { type WalletApi, WalletError } from '../../../src/wallet/api.js';
import { WalletManager, type WalletManagerOptions } from '../../../src/wallet/wallet-manager.js';
import { TestChain } from '../../support/test-chain.js';

/** A clock after every block the builder makes (they start at regtest genesis, 2011). */
export const NOW = 1_700_000_000;
export const FAST_KDF = { kdf: { log2N: 10, r: 8, p: 1 } };
export const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

export class EngineHarness {
  readonly tc = new TestChain();
  private constructor(
    readonly dir: string,
    public chain: Chain,
    public mempool: Mempool,
    public wallets: WalletManager,
    private readonly walletOptions: Partial<WalletManagerOptions>,
  ) {}

  static async create(
    walletOptions: Partial<WalletManagerOptions> = {},
    dir?: string,
  ): Promise<EngineHarness> {
    const root = dir ?? mkdtempSync(join(tmpdir(), 'tally-wallet-'));
    const { chain, mempool, wallets } = await EngineHarness.#open(root, walletOptions);
    return new EngineHarness(root, chain, mempool, wallets, walletOptions);
  }

  static async #open(root: string, walletOptions: Partial<WalletManagerOptions>) {
    const chain = await Chain.open({ network: regtest, dataDir: root, now: () => NOW });
    const mempool = new Mempool(
      { network: regtest, persistPath: join(root, 'regtest', 'mempool.dat') },
      { chain, now: () => NOW },
    );
    await mempool.load();
    const wallets = await WalletManager.open(
      { networkDir: join(root, 'regtest'), keypool: 20, kdf: FAST_KDF, now: () => NOW, ...walletOptions },
      { chain, mempool },
    );
    return { chain, mempool, wallets };
  }

  /** Stops like the node: wallets, then mempool, then chain. */
  async stop(): Promise<void> {
    await this.wallets.close();
    await this.mempool.save();
    this.mempool.close();
    await this.chain.close();
  }

  async restart(walletOptions: Partial<WalletManagerOptions> = this.walletOptions): Promise<void> {
    await this.stop();
    const parts = await EngineHarness.#open(this.dir, walletOptions);
    this.chain = parts.chain;
    this.mempool = parts.mempool;
    this.wallets = parts.wallets;
  }

  /** Restarts as after kill -9: the mempool is not saved, so it comes back empty. */
  async restartAfterCrash(): Promise<void> {
    await this.wallets.close();
    this.mempool.close();
    rmSync(join(this.dir, 'regtest', 'mempool.dat'), { force: true });
    await this.chain.close();
    const parts = await EngineHarness.#open(this.dir, this.walletOptions);
    this.chain = parts.chain;
    this.mempool = parts.mempool;
    this.wallets = parts.wallets;
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  script(address: string): Uint8Array {
    return scriptFromAddress(address, regtest.addressPrefixes);
  }

  async connect(blocks: readonly Block[]): Promise<void> {
    for (const b of blocks) {
      const r = await this.chain.processBlock(b);
      if (r.status !== 'connected' && r.status !== 'reorganized' && r.status !== 'stored') {
        throw new Error(`block not accepted: ${JSON.stringify(r)}`);
      }
    }
  }

  /** Mines `n` blocks on the builder's last block; the first includes `txs` (default: the mempool). */
  async mine(n = 1, txs?: readonly Transaction[], payTo?: Uint8Array): Promise<Block[]> {
    const included = txs ?? [...this.mempool.entries()].map((e) => e.tx);
    const blocks: Block[] = [];
    for (let i = 0; i < n; i++) {
      blocks.push(this.tc.block({ txs: i === 0 ? included : [], ...(payTo === undefined ? {} : { payTo }) }));
    }
    await this.connect(blocks);
    return blocks;
  }

  /** A builder-signed transaction paying `value` to `address` from a mature builder coin. */
  payTo(address: string, value: number, coinBlock: Block): Transaction {
    const coin = this.tc.coinbaseOutput(coinBlock);
    return this.tc.spend([coin], {
      outputs: [{ value, scriptPubKey: this.script(address) }, { value: coin.value - value - 10_000 }],
    });
  }

  async accept(tx: Transaction): Promise<void> {
    const r = await this.mempool.accept(tx);
    if (!r.ok) throw new Error(`mempool rejected: ${r.reason} ${r.debug}`);
  }
}

/** Asserts `p` rejects with a WalletError of `code` whose message is (or matches) `message`. */
export async function rejectsWalletError(
  p: Promise<unknown>,
  code: string,
  message: string | RegExp,
): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof WalletError, String(e));
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

/** Waits for a wallet's queued writes (tests read the database after events). */
export async function settle(w: WalletApi): Promise<void> {
  const q = (w as unknown as { queue?: { drain(): Promise<void> } }).queue;
  await q?.drain();
}

/** Two wallets on a fresh harness, as the PSBT tests start: `a` from MNEMONIC, `b` with a new seed. */
export interface TwoWallets {
  readonly h: EngineHarness;
  readonly a: WalletApi;
  readonly b: WalletApi;
  /** 110 blocks, so the coinbases of heights 1..10 are mature. */
  readonly blocks: Block[];
  /** An address of neither wallet (the test chain's own key). */
  readonly dest: string;
}

export async function createTwoWallets(): Promise<TwoWallets> {
  const h = await EngineHarness.create();
  const a = await h.wallets.create({ name: 'a', mnemonic: MNEMONIC });
  const b = await h.wallets.create({ name: 'b' });
  const blocks = await h.mine(110, []);
  const dest = addressFromScript(h.tc.key.p2wpkh(), h.chain.network.addressPrefixes)!;
  return { h, a, b, blocks, dest };
}
