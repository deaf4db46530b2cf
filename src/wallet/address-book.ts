import type { AddressPurpose, ReceivedByAddress, ReceivedFilter } from './api.js';
import { scriptKey } from './keychain/owned-script.js';
import type { WalletState } from './wallet-state.js';
import { decodeAddress } from './wallet-reads.js';

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

function purposeOf(s: WalletState, address: string): AddressPurpose {
  try {
    return s.scripts.get(scriptKey(decodeAddress(s, address))) === undefined ? 'send' : 'receive';
  } catch {
    return 'send';
  }
}

/** listlabels: every label in the address book (of one purpose), sorted as Core's std::set. */
export function listLabels(s: WalletState, purpose?: AddressPurpose): string[] {
  const labels = new Set<string>();
  for (const [address, label] of s.labels) {
    if (purpose === undefined || purposeOf(s, address) === purpose) labels.add(label);
  }
  return [...labels].sort(utf8Order);
}

/**
 * The order of Core's address book (std::map<CTxDestination, …>): by destination kind in the
 * order of the CTxDestination variant (P2PKH, P2SH, P2WSH, P2WPKH, P2TR, other witness), then by
 * the hash or program bytes.
 */
function destinationKey(script: Uint8Array): [number, Uint8Array] {
  const n = script.length;
  if (n === 25 && script[0] === 0x76 && script[1] === 0xa9 && script[2] === 20)
    return [2, script.subarray(3, 23)];
  if (n === 23 && script[0] === 0xa9 && script[1] === 20 && script[22] === 0x87)
    return [3, script.subarray(2, 22)];
  if (n === 34 && script[0] === 0x00 && script[1] === 32) return [4, script.subarray(2)];
  if (n === 22 && script[0] === 0x00 && script[1] === 20) return [5, script.subarray(2)];
  if (n === 34 && script[0] === 0x51 && script[1] === 32) return [6, script.subarray(2)];
  return [8, script];
}

function destinationOrder(a: Uint8Array, b: Uint8Array): number {
  const [ra, ba] = destinationKey(a);
  const [rb, bb] = destinationKey(b);
  return ra - rb || Buffer.compare(ba, bb);
}

/**
 * listreceivedbyaddress (Core's ListReceived, by address): what each address-book address received
 * in transactions with enough confirmations, counting every output to it (spent or not).
 * Addresses without a label (change) are left out; with `includeEmpty`, address-book entries
 * that received nothing are listed with 0.
 */
export function listReceivedByAddress(s: WalletState, f: ReceivedFilter): ReceivedByAddress[] {
  const book = s.book;
  const tally = new Map<string, { amount: number; conf: number; txids: string[]; watchOnly: boolean }>();
  for (const wtx of book.txs.values()) {
    if (wtx.credits.size === 0) continue;
    const depth = book.depth(wtx);
    if (depth < f.minConf) continue;
    // A coinbase without confirmations is no longer in the main chain.
    if (wtx.tx.isCoinbase() && depth < 1) continue;
    if (book.isImmatureCoinbase(wtx) && !f.includeImmatureCoinbase) continue;
    for (const [vout, owned] of wtx.credits) {
      if (owned.address === null) continue;
      if (f.address !== undefined && owned.address !== f.address) continue;
      if (owned.watchOnly && !f.includeWatchOnly) continue;
      let item = tally.get(owned.address);
      if (item === undefined) {
        item = { amount: 0, conf: Number.MAX_SAFE_INTEGER, txids: [], watchOnly: false };
        tally.set(owned.address, item);
      }
      item.amount += wtx.tx.outputs[vout]!.value;
      item.conf = Math.min(item.conf, depth);
      item.txids.push(wtx.txidHex);
      if (owned.watchOnly) item.watchOnly = true;
    }
  }
  const entries: { address: string; label: string; script: Uint8Array }[] = [];
  for (const [address, label] of s.labels) {
    if (f.address !== undefined && address !== f.address) continue;
    let script: Uint8Array;
    try {
      script = decodeAddress(s, address);
    } catch {
      continue;
    }
    entries.push({ address, label, script });
  }
  entries.sort((a, b) => destinationOrder(a.script, b.script));
  const out: ReceivedByAddress[] = [];
  for (const { address, label } of entries) {
    const item = tally.get(address);
    if (item === undefined && !f.includeEmpty) continue;
    out.push({
      involvesWatchonly: item?.watchOnly ?? false,
      address,
      amount: item?.amount ?? 0,
      confirmations: item === undefined || item.conf === Number.MAX_SAFE_INTEGER ? 0 : item.conf,
      label,
      txids: item?.txids ?? [],
    });
  }
  return out;
}
