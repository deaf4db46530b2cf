/** Value encodings of the address index's records (keys in layout.ts). */

export interface AddressSummary {
  /** Satoshis paid to the script by confirmed transactions. */
  received: number;
  /** Satoshis spent from the script by confirmed transactions. */
  sent: number;
  /** Confirmed transactions touching the script. */
  txCount: number;
  /** Confirmed unspent outputs paying the script. */
  utxoCount: number;
}

export interface HistoryEntry {
  readonly txid: Uint8Array;
  readonly height: number;
  /** Position of the transaction in its block. */
  readonly position: number;
  /** Paid to the script minus spent from it, in satoshis. */
  readonly delta: number;
}

export interface IndexedUtxo {
  readonly txid: Uint8Array;
  readonly vout: number;
  readonly height: number;
  readonly value: number;
}

export interface IndexTip {
  readonly hash: Uint8Array;
  readonly height: number;
}

// Amounts fit in 53 bits (MAX_MONEY), and deltas are signed: i64 LE through BigInt keeps both exact.

export function encodeSummary(s: AddressSummary): Uint8Array {
  const out = new Uint8Array(24);
  const view = new DataView(out.buffer);
  view.setBigInt64(0, BigInt(s.received), true);
  view.setBigInt64(8, BigInt(s.sent), true);
  view.setUint32(16, s.txCount, true);
  view.setUint32(20, s.utxoCount, true);
  return out;
}

export function decodeSummary(bytes: Uint8Array): AddressSummary {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    received: Number(view.getBigInt64(0, true)),
    sent: Number(view.getBigInt64(8, true)),
    txCount: view.getUint32(16, true),
    utxoCount: view.getUint32(20, true),
  };
}

export function encodeHistoryValue(txid: Uint8Array, delta: number): Uint8Array {
  const out = new Uint8Array(40);
  out.set(txid, 0);
  new DataView(out.buffer).setBigInt64(32, BigInt(delta), true);
  return out;
}

export function decodeHistory(key: Uint8Array, value: Uint8Array): HistoryEntry {
  const k = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const v = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return {
    txid: value.slice(0, 32),
    height: k.getUint32(33, false),
    position: k.getUint32(37, false),
    delta: Number(v.getBigInt64(32, true)),
  };
}

export function encodeAmount(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(value), true);
  return out;
}

export function decodeUtxo(key: Uint8Array, value: Uint8Array): IndexedUtxo {
  const k = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const v = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return {
    height: k.getUint32(33, false),
    txid: key.slice(37, 69),
    vout: k.getUint32(69, false),
    value: Number(v.getBigInt64(0, true)),
  };
}

export function encodeTip(tip: IndexTip): Uint8Array {
  const out = new Uint8Array(36);
  out.set(tip.hash, 0);
  new DataView(out.buffer).setUint32(32, tip.height, true);
  return out;
}

export function decodeTip(bytes: Uint8Array): IndexTip {
  return {
    hash: bytes.slice(0, 32),
    height: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(32, true),
  };
}

/** The transaction input that spent an output. */
export interface Spender {
  readonly txid: Uint8Array;
  readonly vin: number;
  readonly height: number;
}

export function encodeSpender(s: Spender): Uint8Array {
  const out = new Uint8Array(40);
  out.set(s.txid, 0);
  const view = new DataView(out.buffer);
  view.setUint32(32, s.vin, true);
  view.setUint32(36, s.height, true);
  return out;
}

export function decodeSpender(bytes: Uint8Array): Spender {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { txid: bytes.slice(0, 32), vin: view.getUint32(32, true), height: view.getUint32(36, true) };
}
