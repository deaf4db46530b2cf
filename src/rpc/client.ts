import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { RpcError, RpcErrorCode } from './errors.js';
import { isJsonObject } from './args.js';
import { parseJsonKeepNumbers, RawNumber } from './json/parse.js';
import { writeJson } from './json/write.js';

/**
 * A JSON-RPC client for Tally and bitcoind (bitcoin-cli's CallRPC): one HTTP POST per call, Basic
 * authentication, JSON-RPC 1.0 envelopes so that a failed call still carries its error object.
 * Replies are parsed keeping number text, so amounts print as the server wrote them.
 */
export interface RpcClientOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Calls go to /wallet/<name> (bitcoin-cli's -rpcwallet). */
  readonly wallet?: string;
  /** Gives up on a call after this long (bitcoin-cli's -rpcclienttimeout, default 900 s). */
  readonly timeoutMs?: number;
}

/** The server could not be reached or answered something that is not a JSON-RPC reply. */
export class RpcTransportError extends Error {
  override readonly name = 'RpcTransportError';

  constructor(
    message: string,
    /** No connection at all (bitcoin-cli's CConnectionFailed, what -rpcwait waits through). */
    readonly connectionFailed = false,
  ) {
    super(message);
  }
}

export class RpcClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });
  private nextId = 1;

  constructor(private readonly options: RpcClientOptions) {}

  close(): void {
    this.agent.destroy();
  }

  /** Calls `method`; resolves to its result, rejects with RpcError for an error reply. */
  async call(method: string, params: unknown[] | Record<string, unknown> = []): Promise<unknown> {
    const reply = await this.send({ method, params, id: this.nextId++ });
    if (!isJsonObject(reply)) throw new RpcTransportError("couldn't parse reply from server");
    const error = reply.error;
    if (error !== null && error !== undefined) {
      if (isJsonObject(error) && error.code instanceof RawNumber && typeof error.message === 'string') {
        throw new RpcError(Number(error.code.text), error.message);
      }
      throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, writeJson(error));
    }
    if (!('result' in reply)) throw new RpcTransportError('expected result in JSON reply');
    return reply.result;
  }

  /** Retries while the server is not accepting connections yet (bitcoin-cli's -rpcwait). */
  async callWhenUp(
    method: string,
    params: unknown[] | Record<string, unknown>,
    timeoutMs: number,
  ): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.call(method, params);
      } catch (err) {
        const starting = err instanceof RpcError && err.code === RpcErrorCode.RPC_IN_WARMUP;
        const down = err instanceof RpcTransportError && err.connectionFailed;
        if (!(starting || down) || Date.now() >= deadline) throw err;
        await sleep(250);
      }
    }
  }

  /** One HTTP exchange: the reply document, or RpcTransportError for HTTP-level failures. */
  send(body: unknown): Promise<unknown> {
    const o = this.options;
    const path = o.wallet === undefined ? '/' : `/wallet/${encodeURIComponent(o.wallet)}`;
    const payload = Buffer.from(writeJson(body), 'utf8');
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: o.host,
          port: o.port,
          method: 'POST',
          path,
          agent: this.agent,
          timeout: o.timeoutMs ?? 900_000,
          headers: {
            Host: o.host,
            'Content-Type': 'application/json',
            'Content-Length': payload.length,
            Authorization: `Basic ${Buffer.from(`${o.user}:${o.password}`).toString('base64')}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(new RpcTransportError(err.message)));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            // bitcoin-cli's reading of the HTTP status: 400, 404 and 500 carry JSON-RPC errors.
            if (status === 401)
              return reject(new RpcTransportError('Authorization failed: Incorrect rpcuser or rpcpassword'));
            if (status === 503) return reject(new RpcTransportError(`Server response: ${text}`));
            if (status >= 400 && status !== 400 && status !== 404 && status !== 500) {
              return reject(new RpcTransportError(`server returned HTTP error ${status}`));
            }
            if (text === '') return reject(new RpcTransportError('no response from server'));
            try {
              resolve(parseJsonKeepNumbers(text));
            } catch {
              reject(new RpcTransportError("couldn't parse reply from server"));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout on transient error')));
      req.on('error', (err: NodeJS.ErrnoException) => {
        const refused = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'EADDRNOTAVAIL'].includes(
          err.code ?? '',
        );
        const where = `${o.host}:${o.port}`;
        reject(
          refused
            ? new RpcTransportError(
                `Could not connect to the server ${where}\n\nMake sure the tally server is running and that you are connecting to the correct RPC port.`,
                true,
              )
            : new RpcTransportError(err.message),
        );
      });
      req.end(payload);
    });
  }
}

/**
 * bitcoin-cli's argument conversion (its vRPCConvertParams table, here derived from the method
 * table): a parameter the method declares as a string stays the text given; any other is parsed as
 * JSON when it parses (so `1`, `true`, `[...]`, `{...}` work) and kept as a string otherwise.
 */
export function convertParam(text: string, isString: boolean): unknown {
  if (isString) return text;
  try {
    return parseJsonKeepNumbers(text);
  } catch {
    return text;
  }
}
