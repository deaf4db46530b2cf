import { hash160 } from '../crypto/hash.js';
import { fromDisplayHex } from '../encoding/hex.js';
import { OutPoint } from '../primitives/outpoint.js';
import { addressFromScript, scriptFromAddress } from '../script/address.js';
import { isWitnessProgram } from '../script/script.js';
import { classifyScript } from '../script/templates.js';
import {
  type AddressInfo,
  type UnspentFilter,
  WALLET_MESSAGES,
  WalletError,
  type WalletTx,
  type WalletTxEntry,
  type WalletUtxo,
} from './api.js';
import { inferDescriptor } from './descriptors/index.js';
import { hdKeyPathText, taprootKeyDescriptor } from './keychain/key-chain.js';
import { type OwnedScript, scriptKey } from './keychain/owned-script.js';
import { availableCoins } from './tracking/balances.js';
import { type ViewContext, walletTxEntries, walletTxView } from './tracking/tx-views.js';
import type { WalletState } from './wallet-state.js';

export function viewContext(s: WalletState): ViewContext {
  return {
    book: s.book,
    labels: s.labels,
    address: (script) => addressFromScript(script, s.network.addressPrefixes) ?? undefined,
  };
}

/** Decodes an address of the wallet's network, with Core's -5 error. */
export function decodeAddress(s: WalletState, address: string): Uint8Array {
  try {
    return scriptFromAddress(address, s.network.addressPrefixes);
  } catch {
    throw new WalletError('INVALID_ADDRESS', `Invalid Bitcoin address: ${address}`);
  }
}

/** Inferred descriptors by script object: listunspent of 10,000 coins would infer each again. */
const inferred = new WeakMap<OwnedScript, string>();

/** Core's descriptor for a wallet script, inferred with the wallet's keys, scripts and origins. */
export function descriptorOf(s: WalletState, owned: OwnedScript): string {
  let desc = inferred.get(owned);
  if (desc === undefined) {
    desc = inferOwned(s, owned);
    inferred.set(owned, desc);
  }
  return desc;
}

function inferOwned(s: WalletState, owned: OwnedScript): string {
  // A BIP86 output commits to a tweaked key: inference from the script alone cannot name it.
  if (owned.spend?.kind === 'p2tr-keypath' && owned.pubkey !== undefined && owned.hd !== undefined)
    return taprootKeyDescriptor(owned.pubkey, owned.hd.path, s.meta.masterFingerprint ?? '00000000');
  const fingerprint = Buffer.from(s.meta.masterFingerprint ?? '00000000', 'hex');
  const desc = inferDescriptor(owned.scriptPubKey, {
    addressPrefixes: s.network.addressPrefixes,
    getPubKey: (keyId) => {
      if (owned.pubkey !== undefined && Buffer.compare(hash160(owned.pubkey), keyId) === 0)
        return owned.pubkey;
      return owned.multisig?.pubkeys.find((k) => Buffer.compare(hash160(k), keyId) === 0);
    },
    getScript: (scriptId) => {
      for (const sc of [owned.redeemScript, owned.witnessScript]) {
        if (sc !== undefined && Buffer.compare(hash160(sc), scriptId) === 0) return sc;
      }
      return undefined;
    },
    getKeyOrigin: (keyId) => {
      const holder =
        owned.pubkey !== undefined && Buffer.compare(hash160(owned.pubkey), keyId) === 0
          ? owned
          : owned.multisig?.pubkeys
              .map((k) => s.scripts.findByPubkey(k))
              .find((h) => h !== undefined && Buffer.compare(hash160(h.pubkey!), keyId) === 0);
      return holder?.hd === undefined ? undefined : { fingerprint, path: holder.hd.path };
    },
  });
  return desc.toString();
}

function scriptDetails(
  script: Uint8Array,
): Pick<AddressInfo, 'isScript' | 'isWitness' | 'witnessVersion' | 'witnessProgram'> {
  const wp = isWitnessProgram(script);
  const c = classifyScript(script);
  return {
    // Core's DescribeAddress counts taproot as a script too (it may hide one).
    isScript:
      c.type === 'scripthash' || c.type === 'witness_v0_scripthash' || c.type === 'witness_v1_taproot',
    isWitness: wp !== null,
    ...(wp === null ? {} : { witnessVersion: wp.version, witnessProgram: wp.program }),
  };
}

/** Core's getaddressinfo. */
export function addressInfo(s: WalletState, address: string): AddressInfo {
  const script = decodeAddress(s, address);
  const owned = s.scripts.get(scriptKey(script));
  const label = s.labels.get(address);
  const info: AddressInfo = {
    address,
    scriptPubKey: script,
    isMine: owned !== undefined && !owned.watchOnly,
    isWatchOnly: owned?.watchOnly ?? false,
    solvable: owned?.spend !== undefined,
    ...scriptDetails(script),
    // Core's ScriptIsChange: ours and not in the address book.
    isChange: owned !== undefined && label === undefined,
    labels: label === undefined ? [] : [label],
  };
  if (owned === undefined) return info;
  if (owned.spend !== undefined) info.desc = descriptorOf(s, owned);
  // Core shows no pubkey for taproot (its wallet visitor adds nothing for WitnessV1Taproot).
  if (
    owned.pubkey !== undefined &&
    owned.redeemScript === undefined &&
    owned.spend?.kind !== 'p2tr-keypath'
  ) {
    info.pubkey = owned.pubkey;
    info.isCompressed = owned.pubkey.length === 33;
  }
  if (owned.hd !== undefined) {
    info.hdKeyPath = hdKeyPathText(owned.hd.path);
    if (s.meta.masterFingerprint !== undefined) info.hdMasterFingerprint = s.meta.masterFingerprint;
  }
  if (owned.multisig !== undefined) {
    const inner = owned.witnessScript ?? owned.redeemScript;
    info.script = 'multisig';
    if (inner !== undefined) info.hex = inner;
    info.sigsRequired = owned.multisig.m;
    info.pubkeys = [...owned.multisig.pubkeys];
  } else if (owned.redeemScript !== undefined && owned.pubkey !== undefined) {
    // P2SH-P2WPKH: the embedded P2WPKH address, as Core's "embedded" object.
    const inner = owned.redeemScript;
    info.script = 'witness_v0_keyhash';
    info.hex = inner;
    info.embedded = {
      address: addressFromScript(inner, s.network.addressPrefixes) ?? '',
      scriptPubKey: inner,
      solvable: true,
      ...scriptDetails(inner),
      pubkey: owned.pubkey,
      isCompressed: true,
    };
  }
  return info;
}

/** Core's listunspent (defaults: minconf 1, include_unsafe true). */
export function listUnspent(s: WalletState, f: UnspentFilter): WalletUtxo[] {
  let only: Set<string> | undefined;
  if (f.addresses !== undefined) {
    only = new Set();
    for (const a of f.addresses) {
      const key = scriptKey(decodeAddress(s, a));
      if (only.has(key))
        throw new WalletError('INVALID_PARAMETER', `Invalid parameter, duplicated address: ${a}`);
      only.add(key);
    }
  }
  const coins = availableCoins(s.book, {
    minConf: f.minConf ?? 1,
    maxConf: f.maxConf ?? 9_999_999,
    includeUnsafe: f.includeUnsafe ?? true,
    includeWatchOnly: true,
  });
  const out: WalletUtxo[] = [];
  for (const c of coins) {
    const { output } = c;
    const owned = output.script;
    if (only !== undefined && !only.has(owned.key)) continue;
    if (f.minAmount !== undefined && output.value < f.minAmount) continue;
    if (f.maxAmount !== undefined && output.value > f.maxAmount) continue;
    const label = owned.address === null ? undefined : s.labels.get(owned.address);
    out.push({
      txid: output.wtx.txidHex,
      vout: output.vout,
      ...(owned.address === null ? {} : { address: owned.address }),
      ...(label === undefined ? {} : { label }),
      scriptPubKey: owned.scriptPubKey,
      amount: output.value,
      confirmations: c.depth,
      ...(owned.redeemScript === undefined ? {} : { redeemScript: owned.redeemScript }),
      ...(owned.witnessScript === undefined ? {} : { witnessScript: owned.witnessScript }),
      spendable: owned.spendable,
      solvable: owned.spend !== undefined,
      safe: c.safe,
      ...(owned.spend === undefined ? {} : { desc: descriptorOf(s, owned) }),
      coinbase: output.wtx.tx.isCoinbase(),
    });
  }
  return out;
}

/**
 * Core's listtransactions: entries of the newest transactions (by the order the wallet learned
 * them), `skip` newest entries left out, `count` kept, returned oldest first.
 */
export function listTransactions(
  s: WalletState,
  label: string | undefined,
  count: number,
  skip: number,
  includeWatchOnly: boolean,
): WalletTxEntry[] {
  if (count < 0) throw new WalletError('INVALID_PARAMETER', 'Negative count');
  if (skip < 0) throw new WalletError('INVALID_PARAMETER', 'Negative from');
  const ctx = viewContext(s);
  const ordered = [...s.book.txs.values()].sort((a, b) => b.orderPos - a.orderPos);
  const ret: WalletTxEntry[] = [];
  for (const wtx of ordered) {
    for (const e of walletTxEntries(ctx, wtx, includeWatchOnly)) {
      // Core lists sends only without a label filter, receives only with the matching label.
      if (label !== undefined && (e.category === 'send' || e.label !== label)) continue;
      ret.push(e);
    }
    if (ret.length >= count + skip) break;
  }
  const from = Math.min(skip, ret.length);
  const n = Math.min(count, ret.length - from);
  return ret.slice(from, from + n).reverse();
}

/** Core's gettransaction. */
export function getTransaction(s: WalletState, txid: string, includeWatchOnly: boolean): WalletTx {
  let hash: Uint8Array;
  try {
    hash = fromDisplayHex(txid);
  } catch {
    throw new WalletError('INVALID_ADDRESS_OR_KEY', WALLET_MESSAGES.INVALID_TX);
  }
  const wtx = s.book.get(OutPoint.keyPrefix(hash));
  if (wtx === undefined) throw new WalletError('INVALID_ADDRESS_OR_KEY', WALLET_MESSAGES.INVALID_TX);
  return walletTxView(viewContext(s), wtx, includeWatchOnly);
}
