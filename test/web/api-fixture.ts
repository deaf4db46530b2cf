/**
 * An in-process explorer for the API tests: a real Chain, Mempool and AddressIndex in a temporary
 * directory, the RPC server on 127.0.0.1 port 0 with the explorer registered, and a TestChain that
 * builds blocks for it.
 *
 * The chain: 101 blocks (coinbases to the builder key's P2WPKH), then block 102 with a transaction
 * paying a P2PKH key and the builder key, and block 103 spending one of those outputs; one more
 * transaction waits in the mempool.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../../src/chain/chain.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { Mempool } from '../../src/mempool/mempool.js';
import { AddressIndex } from '../../src/node/address-index/address-index.js';
import type { Block } from '../../src/primitives/block.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { addressFromScript } from '../../src/script/address.js';
import { RpcServer } from '../../src/rpc/server.js';
import { createRegistry } from '../../src/rpc/methods/index.js';
import type { RpcContext } from '../../src/rpc/context.js';
import { createExplorer } from '../../src/web/explorer.js';
import { TEST_NOW } from '../support/test-chain-store.js';
import { TestChain, TestKey } from '../support/test-chain.js';
import type { ApiErrorBody } from './api-types.js';

/** A reply: `json` is the body parsed as T (the caller names the contract's shape), or {} if not JSON. */
export interface Reply<T> {
  readonly status: number;
  readonly type: string | null;
  readonly headers: Headers;
  readonly json: T;
  readonly text: string;
}

export class ExplorerFixture {
  readonly tc = new TestChain();
  readonly legacy = TestKey.fromSeed('api-legacy');
  blocks: Block[] = [];
  /** The confirmed transactions of block 102 and 103, and the mempool one. */
  pay!: Transaction;
  spend!: Transaction;
  pending!: Transaction;
  server!: RpcServer<RpcContext>;
  port = 0;

  private constructor(
    readonly dir: string,
    public chain: Chain,
    public mempool: Mempool,
    public index: AddressIndex,
    readonly uiDir: string,
  ) {
    this.tc.addKey(this.legacy);
  }

  /** Opens everything and builds the chain (see the file comment). */
  static async create(): Promise<ExplorerFixture> {
    const dir = mkdtempSync(join(tmpdir(), 'tally-api-'));
    const uiDir = join(dir, 'ui');
    mkdirSync(join(uiDir, 'assets'), { recursive: true });
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>ui test</title><div id="app"></div>');
    writeFileSync(join(uiDir, 'assets', 'index-AbCdEf12.js'), 'console.log("ui");');
    writeFileSync(join(uiDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const chain = await Chain.open({ network: regtest, dataDir: dir, now: () => TEST_NOW });
    const mempool = new Mempool({ network: regtest }, { chain, now: () => TEST_NOW });
    const index = await AddressIndex.open(
      { path: join(dir, 'indexes', 'address'), batchBlocks: 7 },
      { chain },
    );
    index.start();
    const f = new ExplorerFixture(dir, chain, mempool, index, uiDir);
    await f.build();
    await f.startServer();
    return f;
  }

  get address(): string {
    return addressFromScript(this.tc.key.p2wpkh(), regtest.addressPrefixes)!;
  }

  get legacyAddress(): string {
    return addressFromScript(this.legacy.p2pkh(), regtest.addressPrefixes)!;
  }

  async process(block: Block): Promise<void> {
    const r = await this.chain.processBlock(block);
    if (r.status !== 'connected' && r.status !== 'reorganized') throw new Error(`block ${r.status}`);
  }

  private async build(): Promise<void> {
    this.blocks = this.tc.mine(101);
    for (const b of this.blocks) await this.process(b);
    this.pay = this.tc.spend([this.tc.coinbaseOutput(this.blocks[0]!)], {
      outputs: [
        { value: 1_000_000_000, scriptPubKey: this.legacy.p2pkh() },
        { value: 3_999_990_000, scriptPubKey: this.tc.key.p2wpkh() },
      ],
    });
    const b102 = this.tc.block({ txs: [this.pay] });
    this.spend = this.tc.spend([this.tc.outputs(this.pay)[0]!], {
      outputs: [{ value: 999_995_000, scriptPubKey: this.tc.key.p2wpkh() }],
    });
    const b103 = this.tc.block({ txs: [this.spend] });
    for (const b of [b102, b103]) await this.process(b);
    this.blocks.push(b102, b103);
    this.pending = this.tc.spend([this.tc.coinbaseOutput(this.blocks[1]!)], {
      outputs: [
        { value: 700_000_000, scriptPubKey: this.legacy.p2pkh() },
        { value: 4_299_990_000, scriptPubKey: this.tc.key.p2wpkh() },
      ],
    });
    const accepted = await this.mempool.accept(this.pending);
    if (!accepted.ok) throw new Error(`mempool refused the test tx: ${accepted.reason}`);
    await this.index.waitSynced();
  }

  async startServer(): Promise<void> {
    const context: RpcContext = { network: regtest, startTime: 0, now: () => TEST_NOW, chain: this.chain };
    this.server = new RpcServer(
      { network: regtest, datadir: this.dir, port: 0 },
      {
        registry: createRegistry(),
        context,
        explorer: createExplorer(
          { network: regtest, chain: this.chain, mempool: this.mempool, addressIndex: this.index },
          { uiDir: this.uiDir },
        ),
      },
    );
    await this.server.start();
    this.port = this.server.addresses()[0]!.port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async get<T = ApiErrorBody>(path: string, init: RequestInit = {}): Promise<Reply<T>> {
    const res = await fetch(this.url(path), { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let json: T;
    try {
      json = JSON.parse(text) as T;
    } catch {
      json = {} as T;
    }
    return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, json, text };
  }

  async destroy(): Promise<void> {
    await this.server?.stop().catch(() => undefined);
    await this.index.close().catch(() => undefined);
    this.mempool.close();
    await this.chain.close().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
