/**
 * An RPC server on loopback over a real regtest Chain, Mempool, Miner and WalletManager (the wallet
 * engine, src/wallet), for the wallet RPC tests. Calls go to `/wallet/<name>` when a wallet is
 * named, as bitcoin-cli -rpcwallet does.
 *
 * ```ts
 * const h = await WalletHarness.create();
 * await h.call('createwallet', ['w']);
 * const address = await h.wallet('w').call('getnewaddress');
 * await h.mineTo(address, 101);
 * await h.destroy();
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { Mempool } from '../../src/mempool/mempool.js';
import { BlockAssembler } from '../../src/mining/block-assembler.js';
import { Miner } from '../../src/mining/miner.js';
import { cookiePath, readCookie } from '../../src/rpc/auth.js';
import { RpcClient } from '../../src/rpc/client.js';
import type { RpcContext } from '../../src/rpc/context.js';
import { createRegistry } from '../../src/rpc/methods/index.js';
import { RpcServer } from '../../src/rpc/server.js';
import { WalletManager } from '../../src/wallet/wallet-manager.js';
import { plainJson } from '../support/node-process.js';
import { TEST_NOW, TestChainStore } from '../support/test-chain-store.js';

export interface WalletClient {
  call<T = unknown>(method: string, params?: unknown[] | Record<string, unknown>): Promise<T>;
}

export class WalletHarness implements WalletClient {
  private readonly clients = new Map<string, RpcClient>();
  server!: RpcServer<RpcContext>;
  wallets!: WalletManager;
  store!: TestChainStore;
  mempool!: Mempool;
  miner!: Miner;
  port = 0;
  private user = '';
  private password = '';

  private constructor(readonly datadir: string) {}

  static async create(): Promise<WalletHarness> {
    const h = new WalletHarness(mkdtempSync(join(tmpdir(), 'tally-wallet-rpc-')));
    h.store = await TestChainStore.create();
    const chain = h.store.chain;
    h.mempool = new Mempool({ network: regtest }, { chain, now: () => TEST_NOW });
    const assembler = new BlockAssembler(
      { network: regtest, now: () => TEST_NOW },
      { chain, mempool: h.mempool },
    );
    h.miner = new Miner({ network: regtest, threads: 1 }, { chain, mempool: h.mempool, assembler });
    // The cheapest scrypt the keystore accepts: encryption tests stay fast.
    h.wallets = await WalletManager.open(
      { networkDir: join(h.datadir, 'regtest'), kdf: { kdf: { log2N: 10, r: 8, p: 1 } } },
      { chain, mempool: h.mempool },
    );
    const context: RpcContext = {
      network: regtest,
      startTime: TEST_NOW - 60,
      now: () => TEST_NOW,
      chain,
      mempool: h.mempool,
      assembler,
      miner: h.miner,
      wallets: h.wallets,
    };
    h.server = new RpcServer(
      { network: regtest, datadir: h.datadir, port: 0, authFailureDelayMs: 0 },
      { registry: createRegistry(), context },
    );
    await h.server.start();
    h.port = h.server.addresses()[0]!.port;
    const cookie = readCookie(cookiePath(h.datadir, 'regtest'));
    h.user = cookie?.user ?? '';
    h.password = cookie?.password ?? '';
    return h;
  }

  private client(wallet: string | undefined): RpcClient {
    const key = wallet ?? '';
    let client = this.clients.get(key);
    if (client === undefined) {
      client = new RpcClient({
        host: '127.0.0.1',
        port: this.port,
        user: this.user,
        password: this.password,
        ...(wallet !== undefined && { wallet }),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** A call without a wallet in the URI (node methods, or the only loaded wallet). */
  async call<T = unknown>(method: string, params: unknown[] | Record<string, unknown> = []): Promise<T> {
    return plainJson(await this.client(undefined).call(method, params)) as T;
  }

  /** Calls through `/wallet/<name>`. */
  wallet(name: string): WalletClient {
    return {
      call: async <T>(method: string, params: unknown[] | Record<string, unknown> = []) =>
        plainJson(await this.client(name).call(method, params)) as T,
    };
  }

  /** Mines `n` blocks paying `address` (the wallets follow the chain's events). */
  async mineTo(address: string, n = 1): Promise<string[]> {
    return this.call<string[]>('generatetoaddress', [n, address]);
  }

  async destroy(): Promise<void> {
    for (const c of this.clients.values()) c.close();
    await this.server.stop();
    await this.wallets.close();
    await this.miner.close();
    this.mempool.close();
    await this.store.destroy();
    rmSync(this.datadir, { recursive: true, force: true });
  }
}
