/**
 * An RPC server on loopback over a real regtest Chain, Mempool, BlockAssembler and Miner, with a
 * client that reads the server's cookie as `tally rpc` does.
 *
 * ```ts
 * const h = await RpcHarness.create({ blocks: 110 });
 * const tip = await h.call('getbestblockhash');
 * const r = await h.post('{"method":"getblockcount","id":1}');   // raw HTTP: status, headers, text
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
import type { Block } from '../../src/primitives/block.js';
import { cookiePath, readCookie } from '../../src/rpc/auth.js';
import { RpcClient } from '../../src/rpc/client.js';
import type { RpcContext } from '../../src/rpc/context.js';
import { RpcError } from '../../src/rpc/errors.js';
import { createRegistry } from '../../src/rpc/methods/index.js';
import { RpcServer, type RpcServerOptions } from '../../src/rpc/server.js';
import { TestChain } from '../support/test-chain.js';
import { assertStatus } from '../support/test-chain-assert.js';
import { TEST_NOW, TestChainStore } from '../support/test-chain-store.js';

export interface HarnessOptions {
  /** Blocks the TestChain builds and the chain connects before the server starts (default 0). */
  readonly blocks?: number;
  /** Start without chain, mempool and miner (the methods that need none). */
  readonly bare?: boolean;
  readonly server?: Partial<RpcServerOptions>;
  readonly context?: Partial<RpcContext>;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export class RpcHarness {
  readonly tc = new TestChain();
  readonly blocks: Block[] = [];
  store: TestChainStore | undefined;
  mempool: Mempool | undefined;
  miner: Miner | undefined;
  server!: RpcServer<RpcContext>;
  client!: RpcClient;
  port = 0;
  auth = '';
  shutdowns = 0;

  private constructor(readonly datadir: string) {}

  static async create(options: HarnessOptions = {}): Promise<RpcHarness> {
    const h = new RpcHarness(mkdtempSync(join(tmpdir(), 'tally-rpc-')));
    let context: RpcContext = {
      network: regtest,
      startTime: TEST_NOW - 60,
      now: () => TEST_NOW,
      shutdown: () => {
        h.shutdowns++;
      },
      ...options.context,
    };
    if (!options.bare) {
      const store = await TestChainStore.create();
      h.store = store;
      const blocks = options.blocks === undefined || options.blocks === 0 ? [] : h.tc.mine(options.blocks);
      for (const b of blocks) assertStatus(await store.chain.processBlock(b), 'connected');
      h.blocks.push(...blocks);
      const mempool = new Mempool({ network: regtest }, { chain: store.chain, now: () => TEST_NOW });
      const assembler = new BlockAssembler(
        { network: regtest, now: () => TEST_NOW },
        { chain: store.chain, mempool },
      );
      const miner = new Miner({ network: regtest, threads: 1 }, { chain: store.chain, mempool, assembler });
      h.mempool = mempool;
      h.miner = miner;
      context = { ...context, chain: store.chain, mempool, assembler, miner };
    }
    h.server = new RpcServer(
      { network: regtest, datadir: h.datadir, port: 0, authFailureDelayMs: 0, ...options.server },
      { registry: createRegistry(), context },
    );
    await h.server.start();
    h.port = h.server.addresses()[0]!.port;
    const cookie = readCookie(cookiePath(h.datadir, 'regtest'));
    const user = cookie?.user ?? options.server?.user ?? '';
    const password = cookie?.password ?? options.server?.password ?? '';
    h.auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    h.client = new RpcClient({ host: '127.0.0.1', port: h.port, user, password });
    return h;
  }

  get chain() {
    if (this.store === undefined) throw new Error('bare harness has no chain');
    return this.store.chain;
  }

  /** Calls over HTTP; numbers come back as JS numbers (see callRaw for their text). */
  async call(method: string, params: unknown[] | Record<string, unknown> = []): Promise<unknown> {
    return JSON.parse(JSON.stringify(await this.client.call(method, params)));
  }

  /** Calls over HTTP keeping each number's text as the server wrote it (RawNumber). */
  callRaw(method: string, params: unknown[] | Record<string, unknown> = []): Promise<unknown> {
    return this.client.call(method, params);
  }

  /** A raw HTTP POST to `path` with the cookie's credentials unless `headers` override them. */
  async post(
    body: string | Uint8Array,
    headers: Record<string, string> = {},
    path = '/',
  ): Promise<HttpResult> {
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      method: 'POST',
      body,
      headers: { authorization: this.auth, ...headers },
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  async destroy(): Promise<void> {
    this.client.close();
    await this.server.stop();
    await this.miner?.close();
    this.mempool?.close();
    await this.store?.destroy();
    rmSync(this.datadir, { recursive: true, force: true });
  }
}

/** Asserts that `promise` rejects with an RpcError of `code` whose message matches. */
export async function rejectsRpc(
  promise: Promise<unknown>,
  code: number,
  message?: string | RegExp,
): Promise<void> {
  try {
    await promise;
  } catch (err) {
    if (!(err instanceof RpcError)) throw err;
    if (err.code !== code) throw new Error(`expected RPC error ${code}, got ${err.code}: ${err.message}`);
    if (typeof message === 'string' && err.message !== message) {
      throw new Error(`expected message ${JSON.stringify(message)}, got ${JSON.stringify(err.message)}`);
    }
    if (message instanceof RegExp && !message.test(err.message)) {
      throw new Error(`message ${JSON.stringify(err.message)} does not match ${message}`);
    }
    return;
  }
  throw new Error(`expected RPC error ${code}, got a result`);
}
