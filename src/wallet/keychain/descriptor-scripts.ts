import { equalBytes } from '../../encoding/bytes.js';
import { fromHex, toHex } from '../../encoding/hex.js';
import { addressFromScript } from '../../script/address.js';
import { classifyScript } from '../../script/templates.js';
import type { AddressType } from '../api.js';
import {
  type Descriptor,
  type ExpandedOutput,
  type KeyOrigin,
  parseDescriptor,
} from '../descriptors/index.js';
import { formatPath, parsePath } from '../keys/path-string.js';
import { descriptorKey } from '../layout.js';
import { put, type WalletDbOp } from '../store/wallet-db.js';
import type { SpendType } from '../fees/tx-size.js';
import { type AddressChain, type OwnedScript, scriptKey } from './owned-script.js';
import type { WalletScripts } from './wallet-scripts.js';

/** An imported public descriptor as stored (layout 'd'). */
export interface DescriptorRecord {
  /** Public form with checksum. */
  readonly desc: string;
  readonly range: readonly [number, number];
  readonly internal: boolean;
  readonly label?: string;
  readonly timestamp: number;
  /** Serves getnewaddress / getrawchangeaddress for its output type. */
  readonly active?: boolean;
  /** Next index to hand out (ranged only). */
  readonly nextIndex?: number;
  /** Public keys (hex) whose private keys were imported into the keystore with it. */
  readonly privatePubkeys?: readonly string[];
  /**
   * Key origins (originText) of the extended private keys the keystore holds for this descriptor:
   * any of its keys whose origin extends one is signable at every index, which the wallet knows
   * from this list alone, locked or not (Core keeps the descriptor's xprv and derives on demand).
   */
  readonly privateKeyOrigins?: readonly string[];
}

/** A key origin as Core prints one inside [..]: fingerprint hex, then the path with 'h'. */
export function originText(origin: KeyOrigin): string {
  return toHex(origin.fingerprint) + formatPath(origin.path, 'h').slice(1);
}

/** The origin originText wrote. */
export function parseOriginText(text: string): KeyOrigin {
  return { fingerprint: fromHex(text.slice(0, 8)), path: parsePath(`m${text.slice(8)}`) };
}

/** Whether `origin` is `held` or below it: the key is `held`'s key derived along the rest. */
export function originExtends(origin: KeyOrigin, held: KeyOrigin): boolean {
  return (
    equalBytes(origin.fingerprint, held.fingerprint) &&
    origin.path.length >= held.path.length &&
    held.path.every((step, i) => origin.path[i] === step)
  );
}

/** The wallet's address type of a descriptor's output type (an active tr() serves bech32m). */
function addressTypeOf(t: string | undefined): AddressType | undefined {
  return t === 'legacy' || t === 'p2sh-segwit' || t === 'bech32' || t === 'bech32m' ? t : undefined;
}

/** How an expanded output is spent, when it is one of the templates the wallet signs. */
function spendOf(e: ExpandedOutput): SpendType | undefined {
  const outer = classifyScript(e.scriptPubKey);
  const inner = e.witnessScript === undefined ? undefined : classifyScript(e.witnessScript);
  const redeem = e.redeemScript === undefined ? undefined : classifyScript(e.redeemScript);
  const ms = inner?.type === 'multisig' ? inner : redeem?.type === 'multisig' ? redeem : undefined;
  if (ms !== undefined && ms.type === 'multisig') {
    const mn = { m: ms.required, n: ms.pubkeys.length };
    if (outer.type === 'witness_v0_scripthash') return { kind: 'p2wsh-multisig', ...mn };
    if (outer.type === 'scripthash' && inner !== undefined) return { kind: 'p2sh-p2wsh-multisig', ...mn };
    if (outer.type === 'scripthash') return { kind: 'p2sh-multisig', ...mn };
    return undefined;
  }
  // tr(KEY) without a script tree: signed by the key path with the tweaked key (BIP86 shape).
  if (outer.type === 'witness_v1_taproot' && e.taproot !== undefined && e.taproot.leaves.length === 0)
    return e.keys.length === 1 ? { kind: 'p2tr-keypath' } : undefined;
  if (outer.type === 'pubkeyhash') return { kind: 'p2pkh' };
  if (outer.type === 'witness_v0_keyhash') return { kind: 'p2wpkh' };
  if (outer.type === 'scripthash' && redeem?.type === 'witness_v0_keyhash') return { kind: 'p2sh-p2wpkh' };
  return undefined;
}

/**
 * The scripts of a parsed descriptor at one index. A script counts as spendable when the wallet
 * holds enough of its keys (one, or m of a multisig): its own HD keys, keys imported one by one,
 * or keys below an extended private key the record lists (privateKeyOrigins), at any index.
 */
export function scriptsAt(
  desc: Descriptor,
  index: number,
  record: DescriptorRecord,
  scripts: WalletScripts,
  position?: { chain: string; index: number },
): OwnedScript[] {
  const heldOrigins = (record.privateKeyOrigins ?? []).map(parseOriginText);
  return desc.expandAll(index).map((e) => {
    const spend = spendOf(e);
    const ms = e.witnessScript ?? e.redeemScript;
    const msc = ms === undefined ? undefined : classifyScript(ms);
    const multisig = msc?.type === 'multisig' ? { m: msc.required, pubkeys: msc.pubkeys } : undefined;
    const single = multisig === undefined && e.keys.length === 1 ? e.keys[0]!.pubkey : undefined;
    let held = 0;
    for (const k of e.keys) {
      if (scripts.canSign(k.pubkey) || heldOrigins.some((o) => originExtends(k.origin, o))) held++;
    }
    const spendable =
      spend !== undefined && held >= (multisig?.m ?? 1) && (multisig !== undefined || single !== undefined);
    const type = addressTypeOf(e.outputType);
    return {
      scriptPubKey: e.scriptPubKey,
      key: scriptKey(e.scriptPubKey),
      address: addressFromScript(e.scriptPubKey, scripts.network.addressPrefixes),
      ...(type === undefined ? {} : { type }),
      internal: record.internal,
      ...(position === undefined ? {} : { position }),
      ...(single === undefined ? {} : { pubkey: single }),
      ...(e.redeemScript === undefined ? {} : { redeemScript: e.redeemScript }),
      ...(e.witnessScript === undefined ? {} : { witnessScript: e.witnessScript }),
      ...(multisig === undefined ? {} : { multisig }),
      ...(spend === undefined ? {} : { spend }),
      spendable,
      // Core's descriptor wallets count imported descriptors as the wallet's own (ISMINE_SPENDABLE),
      // private keys or not: a watch-only wallet shows them under "mine".
      watchOnly: false,
      desc: record.desc,
    };
  });
}

/**
 * An imported ranged descriptor as an address chain: its range, extended as payments use it up
 * (Core's descriptor cache with lookahead); active ones serve getnewaddress for their type.
 */
export class DescriptorChain implements AddressChain {
  readonly id: string;
  readonly type: AddressType | undefined;
  readonly internal: boolean;
  nextIndex: number;
  readonly #desc: Descriptor;
  readonly #derived = new Map<number, OwnedScript>();
  #end: number;

  constructor(
    public record: DescriptorRecord,
    private readonly scripts: WalletScripts,
  ) {
    this.id = `desc:${record.desc}`;
    this.#desc = parseDescriptor(record.desc, { network: scripts.network, requireChecksum: true });
    this.type = addressTypeOf(this.#desc.outputType);
    this.internal = record.internal;
    this.nextIndex = record.nextIndex ?? record.range[0];
    this.#end = record.range[0] - 1;
  }

  topUp(lookahead = this.scripts.keypool): OwnedScript[] {
    const target = Math.max(this.record.range[1], this.nextIndex + lookahead - 1);
    const added: OwnedScript[] = [];
    while (this.#end < target) {
      const i = ++this.#end;
      const [first, ...rest] = scriptsAt(this.#desc, i, this.record, this.scripts, {
        chain: this.id,
        index: i,
      });
      if (first !== undefined) this.#derived.set(i, first);
      added.push(...(first === undefined ? [] : [first]), ...rest);
    }
    return added;
  }

  at(index: number): OwnedScript | undefined {
    return this.#derived.get(index);
  }

  /** The origin of `pubkey` among the keys at `index` (what finds its extended private key). */
  keyOrigin(index: number, pubkey: Uint8Array): KeyOrigin | undefined {
    const keys = this.#desc.expandAll(index)[0]?.keys ?? [];
    return keys.find((k) => equalBytes(k.pubkey, pubkey))?.origin;
  }

  get available(): number {
    return Math.max(0, this.#end + 1 - this.nextIndex);
  }

  indexOp(): WalletDbOp {
    this.record = {
      ...this.record,
      nextIndex: this.nextIndex,
      range: [this.record.range[0], Math.max(this.record.range[1], this.#end)],
    };
    return put(descriptorKey(this.record.desc), this.record);
  }
}

/** Registers an imported descriptor's scripts: a ranged one as an address chain, else its scripts. */
export function registerDescriptor(record: DescriptorRecord, scripts: WalletScripts): void {
  if (record.privatePubkeys !== undefined) scripts.holdKeys(record.privatePubkeys);
  const desc = parseDescriptor(record.desc, { network: scripts.network, requireChecksum: true });
  if (desc.isRange) scripts.addChain(new DescriptorChain(record, scripts), record.active === true);
  else for (const s of scriptsAt(desc, 0, record, scripts)) scripts.add(s);
}
