/**
 * A `tally node` child process for process-level tests: regtest on loopback, RPC on a port the OS
 * picks (`--rpcport 0`, read back from the node's "RPC server listening" log line, so two tests never
 * race for a port), a temporary data directory, and a client that reads the node's cookie the way
 * `tally rpc` does.
 *
 * ```ts
 * const node = await NodeProcess.start();                 // fresh temp datadir, waits for RPC
 * const height = await node.call<number>('getblockcount');
 * await node.kill();                                      // SIGKILL, as a crash
 * const again = await NodeProcess.start({ datadir: node.datadir });
 * assert.deepEqual(await again.stop(), { code: 0, signal: null });
 * after(() => NodeProcess.killAll());                     // nothing outlives the test file
 * ```
 *
 * Every process started here is tracked and killed (by its pid) by killAll() and, as a last resort,
 * when the test process itself exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cookiePath, readCookie } from '../../src/rpc/auth.js';
import { RpcClient } from '../../src/rpc/client.js';
import { RpcError } from '../../src/rpc/errors.js';
import { RawNumber } from '../../src/rpc/json/parse.js';
import { REPO_ROOT } from './shared.js';

const MAIN = join(REPO_ROOT, 'src/cli/main.ts');
/** Kept of the node's output for failure messages (its JSON log lines). */
const MAX_LOG_CHARS = 256 * 1024;

export interface NodeProcessOptions {
  /** Data directory (default: a new one under os.tmpdir(), removed by destroy()). */
  readonly datadir?: string;
  /** P2P port (default 0: any free one; see p2pPort). */
  readonly port?: number;
  /** Accept incoming P2P connections, on 127.0.0.1 only (default false). */
  readonly listen?: boolean;
  /** More `tally node` flags, e.g. `['--connect', '127.0.0.1:18444']`. */
  readonly args?: readonly string[];
  /** How long start() waits for the RPC server (default 60 s). */
  readonly readyTimeoutMs?: number;
}

interface BatchReply<T> {
  readonly id: number;
  readonly result?: T;
  readonly error?: { readonly code: number; readonly message: string } | null;
}

export interface NodeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class NodeProcess {
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<NodeExit>;
  private exitStatus: NodeExit | undefined;
  private output = '';
  private rpc: RpcClient | undefined;
  private port = 0;
  private peerPort: number | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly datadir: string,
    private readonly ownsDatadir: boolean,
  ) {
    live.add(child);
    const append = (d: Buffer) => {
      this.output += d.toString();
      if (this.output.length > MAX_LOG_CHARS) this.output = this.output.slice(-MAX_LOG_CHARS / 2);
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.exitStatus = { code, signal };
        this.rpc?.close();
        resolve(this.exitStatus);
      });
    });
  }

  /**
   * Spawns the node without waiting for it (a test that kills it during start-up wants this);
   * `ready()` then waits for its RPC server.
   */
  static spawn(options: NodeProcessOptions = {}): NodeProcess {
    const owns = options.datadir === undefined;
    const datadir = options.datadir ?? mkdtempSync(join(tmpdir(), 'tally-node-'));
    const args = [
      '--import',
      'tsx',
      MAIN,
      'node',
      '--network',
      'regtest',
      '--datadir',
      datadir,
      '--rpcport',
      '0',
      '--port',
      String(options.port ?? 0),
      `--listen=${options.listen === true ? 1 : 0}`,
      ...(options.listen === true ? ['--bind', '127.0.0.1'] : []),
      ...(options.args ?? []),
    ];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    return new NodeProcess(child, datadir, owns);
  }

  /** Spawns the node and waits until it answers RPC. */
  static async start(options: NodeProcessOptions = {}): Promise<NodeProcess> {
    const node = NodeProcess.spawn(options);
    try {
      await node.ready(options.readyTimeoutMs ?? 60_000);
    } catch (err) {
      await node.kill();
      throw err;
    }
    return node;
  }

  /** SIGKILLs every node process still running that this module started. */
  static async killAll(): Promise<void> {
    const waits = [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    );
    await Promise.all(waits);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get rpcPort(): number {
    return this.port;
  }

  /** The P2P port a listening node bound (read from its "listening for peers" log line). */
  get p2pPort(): number {
    if (this.peerPort === undefined) throw new Error('this node does not listen for peers');
    return this.peerPort;
  }

  get networkDir(): string {
    return join(this.datadir, 'regtest');
  }

  get cookieFile(): string {
    return cookiePath(this.datadir, 'regtest');
  }

  /** The exit status, once the process has exited. */
  get exitCode(): NodeExit | undefined {
    return this.exitStatus;
  }

  /** What the node printed so far (its JSON log lines). */
  log(): string {
    return this.output;
  }

  /** The programmatic client (numbers come back as RawNumber; call() converts them). */
  get client(): RpcClient {
    if (this.rpc === undefined) throw new Error('node RPC not ready');
    return this.rpc;
  }

  /** Waits for the "node ready" log line, then for an RPC answer; fails if the process exits first. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/"msg":"node ready"/.test(this.output)) {
      if (this.exitStatus !== undefined) {
        throw new Error(`tally node exited (${describeExit(this.exitStatus)}) before ready:\n${this.output}`);
      }
      if (Date.now() > deadline)
        throw new Error(`tally node not ready after ${timeoutMs} ms:\n${this.output}`);
      await Promise.race([sleep(25), this.exited]);
    }
    this.port = listeningPort(this.output, 'RPC server listening');
    if (/"msg":"listening for peers"/.test(this.output)) {
      this.peerPort = listeningPort(this.output, 'listening for peers');
    }
    const credentials = readCookie(this.cookieFile);
    if (credentials === undefined) throw new Error(`no RPC cookie at ${this.cookieFile}`);
    this.rpc = new RpcClient({ host: '127.0.0.1', port: this.port, ...credentials, timeoutMs: 60_000 });
    await this.rpc.callWhenUp('getblockcount', [], Math.max(1000, deadline - Date.now()));
  }

  /** Calls `method`; JSON numbers come back as JS numbers (amounts in BTC, as bitcoind writes them). */
  async call<T = unknown>(method: string, params: unknown[] | Record<string, unknown> = []): Promise<T> {
    return plainJson(await this.client.call(method, params)) as T;
  }

  /**
   * Several calls in JSON-RPC batches of at most `chunk` (one HTTP request each): the results in
   * order; the first error reply rejects as an RpcError naming its method.
   */
  async batch<T = unknown>(calls: readonly (readonly [string, unknown[]])[], chunk = 500): Promise<T[]> {
    const results: T[] = [];
    for (let start = 0; start < calls.length; start += chunk) {
      const part = calls.slice(start, start + chunk);
      const body = part.map(([method, params], id) => ({ jsonrpc: '2.0', id, method, params }));
      const replies = plainJson(await this.client.send(body));
      if (!Array.isArray(replies) || replies.length !== part.length) {
        throw new Error(
          `batch: expected ${part.length} replies, got ${JSON.stringify(replies).slice(0, 200)}`,
        );
      }
      const ordered = new Array<T>(part.length);
      for (const reply of replies as BatchReply<T>[]) {
        const call = part[reply.id];
        if (call === undefined) throw new Error(`batch: reply with unknown id ${reply.id}`);
        if (reply.error !== undefined && reply.error !== null) {
          throw new RpcError(
            reply.error.code,
            `${call[0]} ${JSON.stringify(call[1])}: ${reply.error.message}`,
          );
        }
        ordered[reply.id] = reply.result as T;
      }
      results.push(...ordered);
    }
    return results;
  }

  /** One raw HTTP POST to the RPC port: the status and body text (for malformed requests). */
  async post(body: string, authorization?: string): Promise<{ status: number; text: string }> {
    let auth = authorization;
    if (auth === undefined) {
      const c = readCookie(this.cookieFile);
      if (c === undefined) throw new Error('no RPC cookie');
      auth = `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;
    }
    const res = await fetch(`http://127.0.0.1:${this.port}/`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, text: await res.text() };
  }

  /** The `stop` RPC, then waits for the process to exit (SIGKILL and throw after `timeoutMs`). */
  async stop(timeoutMs = 30_000): Promise<NodeExit> {
    await this.call('stop');
    return this.waitExit(timeoutMs);
  }

  /** Waits for the process to exit on its own; after `timeoutMs` SIGKILLs it and throws. */
  async waitExit(timeoutMs = 30_000): Promise<NodeExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await this.kill();
      throw new Error(`tally node did not exit within ${timeoutMs} ms:\n${this.output.slice(-4000)}`);
    }
    return outcome;
  }

  /** SIGKILL (a crash: nothing is flushed or saved); resolves when the process is gone. */
  async kill(): Promise<NodeExit> {
    if (this.exitStatus === undefined) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Kills the process if it still runs and removes the data directory if start() created it. */
  async destroy(): Promise<void> {
    await this.kill();
    if (this.ownsDatadir) rmSync(this.datadir, { recursive: true, force: true });
  }
}

/** JSON as the RPC client parsed it (RawNumber keeps number text) with plain JS numbers instead. */
export function plainJson(value: unknown): unknown {
  if (value instanceof RawNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(plainJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJson(v)]));
  }
  return value;
}

/**
 * The port of the last log line with this message (a restart logs new ones); for the RPC server,
 * which may log one per address, the 127.0.0.1 one.
 */
function listeningPort(output: string, message: string): number {
  let port: number | undefined;
  for (const line of output.split('\n')) {
    if (!line.includes(`"msg":"${message}"`)) continue;
    const parsed = JSON.parse(line) as { host?: string; port?: number };
    if ((parsed.host === undefined || parsed.host === '127.0.0.1') && typeof parsed.port === 'number') {
      port = parsed.port;
    }
  }
  if (port === undefined) throw new Error(`no "${message}" line in the node's log:\n${output}`);
  return port;
}

function describeExit(exit: NodeExit): string {
  return exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
