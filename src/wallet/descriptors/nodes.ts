/**
 * The descriptor functions (BIP381-386 and addr/raw of BIP385) as a tree of nodes that print
 * themselves and build their scripts: Core's DescriptorImpl subclasses.
 */
import { hash160, sha256 } from '../../crypto/hash.js';
import { compareBytes } from '../../encoding/bytes.js';
import { toHex } from '../../encoding/hex.js';
import { type AddressPrefixes, addressFromScript } from '../../script/address.js';
import { Op } from '../../script/opcodes.js';
import type { TaprootOutput } from '../../script/taproot-tree.js';
import { ScriptBuilder } from '../../script/script.js';
import { classifyScript, multisig, p2pk, p2pkh, p2sh, p2tr, p2wpkh, p2wsh } from '../../script/templates.js';
import { type DerivedKey, type KeyExpression, keyText, type TextForm } from './key-expression.js';
import type { OutputType } from './types.js';

/** One script a node produces, with the scripts below it that spending needs. */
export interface NodeOutput {
  readonly script: Uint8Array;
  readonly redeemScript?: Uint8Array;
  readonly witnessScript?: Uint8Array;
  readonly outputType?: OutputType;
  /** For tr(): the internal key, tweak and leaves a signer needs. */
  readonly taproot?: TaprootOutput;
}

/** Keys met while expanding, by public key: an explicit [origin] wins over an implied one (Core). */
export type KeyCollector = Map<string, DerivedKey>;

export abstract class DescriptorNode {
  constructor(
    readonly name: string,
    readonly keys: readonly KeyExpression[],
    readonly subs: readonly DescriptorNode[],
  ) {}

  /** What is printed before the key and script arguments (threshold, address, hex). */
  protected extra(): string | undefined {
    return undefined;
  }

  abstract get outputType(): OutputType | undefined;

  /** The scripts for the derived keys and the sub-nodes' outputs (Core's MakeScripts). */
  protected abstract makeScripts(pubkeys: Uint8Array[], subs: NodeOutput[]): NodeOutput[];

  get isRange(): boolean {
    return this.keys.some((k) => k.isRange) || this.subs.some((s) => s.isRange);
  }

  get isSolvable(): boolean {
    return this.subs.every((s) => s.isSolvable);
  }

  get isSingleType(): boolean {
    return true;
  }

  get anyPrivateKey(): boolean {
    return this.keys.some((k) => k.hasPrivateKey) || this.subs.some((s) => s.anyPrivateKey);
  }

  /** Core's HavePrivateKeys: every key has one (and there is at least one key). */
  get allPrivateKeys(): boolean {
    if (this.keys.length === 0 && this.subs.length === 0) return false;
    return this.keys.every((k) => k.hasPrivateKey) && this.subs.every((s) => s.allPrivateKeys);
  }

  toText(form: TextForm): string {
    const args: string[] = [];
    const extra = this.extra();
    if (extra !== undefined) args.push(extra);
    for (const k of this.keys) args.push(keyText(k, form));
    for (const s of this.subs) args.push(s.toText(form));
    return `${this.name}(${args.join(',')})`;
  }

  expand(pos: number, collector: KeyCollector): NodeOutput[] {
    const pubkeys = this.keys.map((k) => {
      const derived = k.derive(pos);
      const id = toHex(derived.pubkey);
      const seen = collector.get(id);
      if (seen === undefined || (derived.explicitOrigin && !seen.explicitOrigin)) collector.set(id, derived);
      return derived.pubkey;
    });
    // Every sub-descriptor (sh, wsh inner script) gives exactly one script.
    const subs = this.subs.map((s) => s.expand(pos, collector)[0]!);
    return this.makeScripts(pubkeys, subs);
  }
}

/** Core's OutputTypeFromDestination for a script with an address. */
export function outputTypeOfScript(script: Uint8Array): OutputType | undefined {
  switch (classifyScript(script).type) {
    case 'pubkeyhash':
    case 'scripthash':
      return 'legacy';
    case 'witness_v0_keyhash':
    case 'witness_v0_scripthash':
      return 'bech32';
    case 'witness_v1_taproot':
    case 'anchor':
    case 'witness_unknown':
      return 'bech32m';
    default:
      return undefined;
  }
}

/** addr() and raw(): a fixed script, printed in their own way, that the wallet cannot solve. */
abstract class FixedScriptNode extends DescriptorNode {
  constructor(
    name: string,
    readonly script: Uint8Array,
  ) {
    super(name, [], []);
  }
  get outputType(): OutputType | undefined {
    return outputTypeOfScript(this.script);
  }
  override get isSolvable(): boolean {
    return false;
  }
  protected makeScripts(): NodeOutput[] {
    return [{ script: this.script, ...withType(this.outputType) }];
  }
}

/** addr(ADDRESS), BIP385: the address as Core re-encodes it. */
export class AddrNode extends FixedScriptNode {
  constructor(
    script: Uint8Array,
    private readonly prefixes: AddressPrefixes,
  ) {
    super('addr', script);
  }
  protected override extra(): string {
    return addressFromScript(this.script, this.prefixes) ?? '';
  }
}

/** raw(HEX), BIP385. */
export class RawNode extends FixedScriptNode {
  constructor(script: Uint8Array) {
    super('raw', script);
  }
  protected override extra(): string {
    return toHex(this.script);
  }
}

function withType(outputType: OutputType | undefined): { outputType?: OutputType } {
  return outputType === undefined ? {} : { outputType };
}

/** pk(KEY), BIP381; inside tr() the x-only form (BIP386). */
export class PkNode extends DescriptorNode {
  constructor(
    key: KeyExpression,
    private readonly xonly: boolean,
  ) {
    super('pk', [key], []);
  }
  get outputType(): undefined {
    return undefined;
  }
  protected makeScripts([key]: Uint8Array[]): NodeOutput[] {
    if (this.xonly) {
      return [{ script: new ScriptBuilder().push(key!.subarray(1, 33)).op(Op.OP_CHECKSIG).build() }];
    }
    return [{ script: p2pk(key!) }];
  }
}

/** A function of one key with one output type whose script is a template of that key (pkh, wpkh, rawtr). */
abstract class KeyTemplateNode extends DescriptorNode {
  constructor(
    name: string,
    key: KeyExpression,
    private readonly type: OutputType,
    private readonly template: (pubkey: Uint8Array) => Uint8Array,
  ) {
    super(name, [key], []);
  }
  get outputType(): OutputType {
    return this.type;
  }
  protected makeScripts([key]: Uint8Array[]): NodeOutput[] {
    return [{ script: this.template(key!), outputType: this.type }];
  }
}

/** pkh(KEY), BIP381. */
export class PkhNode extends KeyTemplateNode {
  constructor(key: KeyExpression) {
    super('pkh', key, 'legacy', (pubkey) => p2pkh(hash160(pubkey)));
  }
}

/** wpkh(KEY), BIP382. */
export class WpkhNode extends KeyTemplateNode {
  constructor(key: KeyExpression) {
    super('wpkh', key, 'bech32', (pubkey) => p2wpkh(hash160(pubkey)));
  }
}

/** combo(KEY), BIP384: P2PK, P2PKH, and for a compressed key P2WPKH and P2SH-P2WPKH. */
export class ComboNode extends DescriptorNode {
  constructor(key: KeyExpression) {
    super('combo', [key], []);
  }
  get outputType(): undefined {
    return undefined;
  }
  override get isSingleType(): boolean {
    return false;
  }
  protected makeScripts([key]: Uint8Array[]): NodeOutput[] {
    const id = hash160(key!);
    const out: NodeOutput[] = [{ script: p2pk(key!) }, { script: p2pkh(id), outputType: 'legacy' }];
    if (key!.length === 33) {
      const witness = p2wpkh(id);
      out.push({ script: witness, outputType: 'bech32' });
      out.push({ script: p2sh(hash160(witness)), redeemScript: witness, outputType: 'p2sh-segwit' });
    }
    return out;
  }
}

/** multi(k,KEY,...) and sortedmulti(k,KEY,...), BIP383 (sortedmulti orders keys as BIP67). */
export class MultiNode extends DescriptorNode {
  constructor(
    readonly threshold: number,
    keys: readonly KeyExpression[],
    readonly sorted: boolean,
  ) {
    super(sorted ? 'sortedmulti' : 'multi', keys, []);
  }
  protected override extra(): string {
    return String(this.threshold);
  }
  get outputType(): undefined {
    return undefined;
  }
  protected makeScripts(pubkeys: Uint8Array[]): NodeOutput[] {
    const keys = this.sorted ? [...pubkeys].sort(compareBytes) : pubkeys;
    return [{ script: multisig(this.threshold, keys) }];
  }
}

/** sh(SCRIPT), BIP381. */
export class ShNode extends DescriptorNode {
  constructor(sub: DescriptorNode) {
    super('sh', [], [sub]);
  }
  get outputType(): OutputType {
    return this.subs[0]!.outputType === 'bech32' ? 'p2sh-segwit' : 'legacy';
  }
  protected makeScripts(_: Uint8Array[], [inner]: NodeOutput[]): NodeOutput[] {
    const { script, witnessScript } = inner!;
    return [
      {
        script: p2sh(hash160(script)),
        redeemScript: script,
        ...(witnessScript !== undefined && { witnessScript }),
        outputType: this.outputType,
      },
    ];
  }
}

/** wsh(SCRIPT), BIP382. */
export class WshNode extends DescriptorNode {
  constructor(sub: DescriptorNode) {
    super('wsh', [], [sub]);
  }
  get outputType(): OutputType {
    return 'bech32';
  }
  protected makeScripts(_: Uint8Array[], [inner]: NodeOutput[]): NodeOutput[] {
    return [{ script: p2wsh(sha256(inner!.script)), witnessScript: inner!.script, outputType: 'bech32' }];
  }
}

/** rawtr(KEY): a taproot output key used as is (inference shows unknown taproot outputs so). */
export class RawTrNode extends KeyTemplateNode {
  constructor(key: KeyExpression) {
    super('rawtr', key, 'bech32m', (pubkey) => p2tr(pubkey.subarray(1, 33)));
  }
}
