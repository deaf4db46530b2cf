/**
 * tr(KEY) and tr(KEY,TREE) (BIP386) and the tapscript leaves multi_a/sortedmulti_a: Core's
 * TRDescriptor and MultiADescriptor. A tree is kept as Core keeps it, leaves in order with their
 * depths, which is enough to print it back and to rebuild its shape.
 */
import { compareBytes } from '../../encoding/bytes.js';
import { Op } from '../../script/opcodes.js';
import { ScriptBuilder } from '../../script/script.js';
import { type TaprootOutput, type TapTree, taprootOutput } from '../../script/taproot-tree.js';
import { DescriptorError } from './errors.js';
import { CANNOT_DERIVE, type KeyExpression, keyText, type TextForm } from './key-expression.js';
import { DescriptorNode, type NodeOutput } from './nodes.js';
import type { OutputType } from './types.js';

/** The binary tree that leaves at these depths (left to right) form; valid depths come from the parser. */
function treeShape(depths: readonly number[], leaves: readonly NodeOutput[]): TapTree {
  let next = 0;
  const build = (depth: number): TapTree => {
    if (depths[next] === depth) return { script: leaves[next++]!.script };
    const left = build(depth + 1);
    const right = build(depth + 1);
    return [left, right];
  };
  return build(0);
}

export class TrNode extends DescriptorNode {
  constructor(
    key: KeyExpression,
    leaves: readonly DescriptorNode[],
    readonly depths: readonly number[],
  ) {
    super('tr', [key], leaves);
  }

  get outputType(): OutputType {
    return 'bech32m';
  }

  /** Core's TRDescriptor::ToStringSubScriptHelper: braces rebuilt from the depths. */
  override toText(form: TextForm): string {
    let out = `tr(${keyText(this.keys[0]!, form)}`;
    if (this.subs.length === 0) return `${out})`;
    out += ',';
    const path: boolean[] = [];
    this.subs.forEach((leaf, pos) => {
      if (pos > 0) out += ',';
      while (path.length <= this.depths[pos]!) {
        if (path.length > 0) out += '{';
        path.push(false);
      }
      out += leaf.toText(form);
      while (path.length > 0 && path[path.length - 1]) {
        if (path.length > 1) out += '}';
        path.pop();
      }
      if (path.length > 0) path[path.length - 1] = true;
    });
    return `${out})`;
  }

  protected makeScripts([key]: Uint8Array[], leaves: NodeOutput[]): NodeOutput[] {
    const tree = leaves.length === 0 ? undefined : treeShape(this.depths, leaves);
    let taproot: TaprootOutput;
    try {
      taproot = taprootOutput(key!.slice(1, 33), tree);
    } catch (cause) {
      // An internal key off the curve or an unusable tweak (p ~ 2^-128): Core's Expand fails too.
      throw new DescriptorError(CANNOT_DERIVE, 'derive', { cause });
    }
    return [{ script: taproot.scriptPubKey, outputType: 'bech32m', taproot }];
  }
}

/** multi_a(k,KEY,...) / sortedmulti_a: <x1> CHECKSIG <x2> CHECKSIGADD ... <k> NUMEQUAL (BIP387). */
export class MultiANode extends DescriptorNode {
  constructor(
    readonly threshold: number,
    keys: readonly KeyExpression[],
    readonly sorted: boolean,
  ) {
    super(sorted ? 'sortedmulti_a' : 'multi_a', keys, []);
  }
  protected override extra(): string {
    return String(this.threshold);
  }
  get outputType(): undefined {
    return undefined;
  }
  protected makeScripts(pubkeys: Uint8Array[]): NodeOutput[] {
    const xonly = pubkeys.map((k) => k.subarray(1, 33));
    if (this.sorted) xonly.sort(compareBytes);
    const b = new ScriptBuilder().push(xonly[0]!).op(Op.OP_CHECKSIG);
    for (const k of xonly.slice(1)) b.push(k).op(Op.OP_CHECKSIGADD);
    return [{ script: b.int(this.threshold).op(Op.OP_NUMEQUAL).build() }];
  }
}
