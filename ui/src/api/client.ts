/**
 * The browser's client for the node's read-only explorer API: one GET per call, JSON in, typed
 * out, and the API's `{"error":{"code","message"}}` replies turned into ApiError so pages can show
 * the node's own sentence inline.
 */
import type {
  AddressInfo,
  AddressTx,
  AddressUtxo,
  BlockDetail,
  BlockSummary,
  MempoolSummary,
  MempoolTx,
  Page,
  Peer,
  SearchResult,
  Status,
  Tx,
  TxProof,
} from './types.js';
import { takePreloaded } from '../preload.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** How long one API call may take before the page shows an error instead of waiting forever. */
const TIMEOUT_MS = 20_000;

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const res =
    (await takePreloaded(path)?.catch(() => undefined)) ??
    (await fetch(path, {
      headers: { Accept: 'application/json' },
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    }));
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad-response', `the node answered ${res.status} with no JSON`);
  }
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, error?.code ?? 'http-error', error?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}

const seg = encodeURIComponent;
const query = (params: Record<string, number | undefined>): string => {
  const parts = Object.entries(params)
    .filter((e): e is [string, number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
};

export const api = {
  status: (s?: AbortSignal) => getJson<Status>('/api/status', s),
  blocks: (start?: number, limit?: number, s?: AbortSignal) =>
    getJson<Page<BlockSummary>>(`/api/blocks${query({ start, limit })}`, s),
  block: (id: string | number, s?: AbortSignal) => getJson<BlockDetail>(`/api/block/${seg(String(id))}`, s),
  blockTxs: (id: string, offset?: number, limit?: number, s?: AbortSignal) =>
    getJson<Page<Tx>>(`/api/block/${seg(id)}/txs${query({ offset, limit })}`, s),
  tx: (txid: string, s?: AbortSignal) => getJson<Tx>(`/api/tx/${seg(txid)}`, s),
  proof: (txid: string, s?: AbortSignal) => getJson<TxProof>(`/api/tx/${seg(txid)}/proof`, s),
  address: (addr: string, s?: AbortSignal) => getJson<AddressInfo>(`/api/address/${seg(addr)}`, s),
  addressTxs: (addr: string, offset?: number, limit?: number, s?: AbortSignal) =>
    getJson<Page<AddressTx>>(`/api/address/${seg(addr)}/txs${query({ offset, limit })}`, s),
  addressUtxos: (addr: string, offset?: number, limit?: number, s?: AbortSignal) =>
    getJson<Page<AddressUtxo>>(`/api/address/${seg(addr)}/utxos${query({ offset, limit })}`, s),
  mempool: (s?: AbortSignal) => getJson<MempoolSummary>('/api/mempool', s),
  mempoolTxs: (limit?: number, s?: AbortSignal) =>
    getJson<Page<MempoolTx>>(`/api/mempool/txs${query({ limit })}`, s),
  peers: (s?: AbortSignal) => getJson<{ items: Peer[] }>('/api/peers', s),
  search: (q: string, s?: AbortSignal) => getJson<SearchResult>(`/api/search?q=${seg(q)}`, s),
};
