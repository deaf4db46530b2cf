/**
 * The shapes the node's explorer REST API (`/api`, see `/api/openapi.json`) returns. Amounts are
 * satoshis, hashes display hex (reversed, as bitcoind shows them), times unix seconds.
 */

export interface Page<T> {
  items: T[];
  next: number | null;
}

export interface FeeRates {
  min: number;
  p10: number;
  p50: number;
  p90: number;
  max: number;
}

export interface Status {
  network: string;
  height: number;
  bestBlockHash: string;
  time: number;
  medianTime: number;
  bits: string;
  target: string;
  difficulty: number;
  chainwork: string;
  hashRate: number;
  mempool: { count: number; vsize: number; bytes: number; totalFee: number; feeRates: FeeRates };
  peers: { count: number; inbound: number; outbound: number };
  addressIndex: { enabled: boolean; height: number; synced: boolean; progress: number };
}

export interface BlockSummary {
  hash: string;
  height: number;
  time: number;
  txCount: number;
  size: number;
  weight: number;
  fees?: number | null;
  miner?: string | null;
}

export interface BlockDetail {
  hash: string;
  height: number;
  confirmations: number;
  version: number;
  versionHex: string;
  previousBlockHash: string | null;
  nextBlockHash: string | null;
  merkleRoot: string;
  time: number;
  medianTime: number;
  bits: string;
  target: string;
  nonce: number;
  difficulty: number;
  chainwork: string;
  size: number;
  strippedSize: number;
  weight: number;
  txCount: number;
  header: string;
  inActiveChain: boolean;
}

export interface ScriptPubKey {
  hex: string;
  asm: string;
  type: string;
  address: string | null;
}

export interface TxInput {
  txid: string;
  vout: number;
  coinbase?: string;
  sequence: number;
  scriptSig: { hex: string; asm: string };
  witness: string[];
  prevout: { value: number; scriptPubKey: ScriptPubKey } | null;
}

export interface TxOutput {
  n: number;
  value: number;
  scriptPubKey: ScriptPubKey;
  spentBy?: { txid: string; vin: number } | null;
}

export interface TxStatus {
  confirmed: boolean;
  blockHash?: string;
  height?: number;
  index?: number;
  time?: number;
  confirmations: number;
}

export interface Tx {
  txid: string;
  wtxid: string;
  version: number;
  locktime: number;
  size: number;
  vsize: number;
  weight: number;
  fee: number | null;
  feeRate: number | null;
  coinbase: boolean;
  vin: TxInput[];
  vout: TxOutput[];
  status: TxStatus;
}

/** A Merkle inclusion proof: `header` and `branch` in internal byte order, siblings from the leaf up. */
export interface TxProof {
  txid: string;
  blockhash: string;
  height: number;
  index: number;
  header: string;
  branch: string[];
}

export interface AddressInfo {
  address: string;
  scriptPubKey: string;
  type: string;
  balance: number;
  received: number;
  sent: number;
  txCount: number;
  utxoCount: number;
  unconfirmed: { balance: number; txCount: number };
  index: { height: number; synced: boolean };
}

export interface AddressTx {
  txid: string;
  height: number | null;
  time: number | null;
  delta: number;
  confirmations: number;
}

export interface AddressUtxo {
  txid: string;
  vout: number;
  value: number;
  height: number | null;
  confirmations: number;
  /** A mempool transaction spending it (the output is on its way out), or null. */
  spentBy: { txid: string; vin: number } | null;
}

export interface MempoolSummary {
  count: number;
  vsize: number;
  bytes: number;
  totalFee: number;
  feeRates: FeeRates;
  histogram: [number, number][];
}

export interface MempoolTx {
  txid: string;
  fee: number;
  vsize: number;
  feeRate: number;
  time: number;
}

export interface Peer {
  id: number;
  address: string;
  inbound: boolean;
  userAgent: string;
  startingHeight: number;
  syncedHeight: number;
  pingMs: number | null;
  connectedAt: number;
}

export interface SearchResult {
  type: 'block' | 'tx' | 'address';
  id: string;
  url: string;
}

/** Server-sent events on `/api/events`. */
export interface BlockEvent {
  hash: string;
  height: number;
  time: number;
  txCount: number;
}

export interface TxEvent {
  txid: string;
  vsize: number;
  fee: number;
}

export interface ReorgEvent {
  forkHeight: number;
  disconnected: string[];
  connected: string[];
}
