/** The Descriptor a parsed or inferred node tree is used through. */
import { addChecksum } from './checksum.js';
import { DescriptorError } from './errors.js';
import type { DescriptorNode, KeyCollector } from './nodes.js';
import type { Descriptor, ExpandedKey, ExpandedOutput, OutputType } from './types.js';

/** Positions are BIP32 child numbers below the hardened range (Core's `int pos`). */
const MAX_POSITION = 0x7fffffff;

export class NodeDescriptor implements Descriptor {
  constructor(readonly root: DescriptorNode) {}

  get isRange(): boolean {
    return this.root.isRange;
  }
  get isSolvable(): boolean {
    return this.root.isSolvable;
  }
  get hasPrivateKeys(): boolean {
    return this.root.anyPrivateKey;
  }
  get hasAllPrivateKeys(): boolean {
    return this.root.allPrivateKeys;
  }
  get isSingleType(): boolean {
    return this.root.isSingleType;
  }
  get outputType(): OutputType | undefined {
    return this.root.outputType;
  }

  toString(): string {
    return addChecksum(this.root.toText('public'));
  }

  toPrivateString(): string {
    return addChecksum(this.root.toText('private'));
  }

  toNormalizedString(): string {
    return addChecksum(this.root.toText('normalized'));
  }

  expand(index = 0): ExpandedOutput {
    if (!this.isSingleType) {
      throw new DescriptorError(`${this.root.name}() expands to several scripts; use expandAll`, 'parameter');
    }
    return this.expandAll(index)[0]!;
  }

  expandAll(index = 0): ExpandedOutput[] {
    if (!Number.isInteger(index) || index < 0 || index > MAX_POSITION) {
      throw new DescriptorError(`Position ${index} is out of range (0 to ${MAX_POSITION})`, 'parameter');
    }
    const collector: KeyCollector = new Map();
    const outputs = this.root.expand(index, collector);
    const keys: ExpandedKey[] = [...collector.values()].map(({ explicitOrigin: _, ...key }) => key);
    return outputs.map((o) => ({
      scriptPubKey: o.script,
      ...(o.redeemScript !== undefined && { redeemScript: o.redeemScript }),
      ...(o.witnessScript !== undefined && { witnessScript: o.witnessScript }),
      keys,
      ...(o.outputType !== undefined && { outputType: o.outputType }),
      ...(o.taproot !== undefined && { taproot: o.taproot }),
    }));
  }
}
