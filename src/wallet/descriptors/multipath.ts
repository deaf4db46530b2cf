/**
 * BIP389 multipath key expressions: xpub/<0;1>/* stands for two descriptors, one per value, e.g.
 * receive and change. Core expands them inside its parser; here the text is expanded first and
 * each expansion parsed as a plain descriptor, which gives the same descriptors: every multipath
 * group in one descriptor must have the same number of values, and the i-th descriptor takes the
 * i-th value of each. Core prints expansions with 'h' for hardened, so they are rewritten so.
 */
import { DescriptorError } from './errors.js';
import { parseKeyPathElement } from './key-path.js';

interface Group {
  readonly start: number;
  readonly end: number;
  readonly values: readonly string[];
}

/** Whether position `at` lies inside a [fingerprint/path] key origin. */
function insideOrigin(text: string, at: number): boolean {
  return text.lastIndexOf('[', at) > text.lastIndexOf(']', at);
}

/** The descriptors `body` (without checksum) stands for: itself when it has no <a;b> group. */
export function expandMultipath(body: string): string[] {
  const groups: Group[] = [];
  for (const m of body.matchAll(/<([^<>]*)>/g)) {
    const start = m.index;
    const raw = m[0];
    if (insideOrigin(body, start)) {
      throw new DescriptorError(
        `Key path value '${raw}' specifies multipath in a section where multipath is not allowed`,
      );
    }
    const values = m[1]!.split(';');
    if (values.length < 2)
      throw new DescriptorError('Multipath key path specifiers must have at least two items');
    const seen = new Set<number>();
    for (const v of values) {
      const { index } = parseKeyPathElement(v);
      if (seen.has(index)) {
        throw new DescriptorError(`Duplicated key path value ${index} in multipath specifier`);
      }
      seen.add(index);
    }
    const previous = groups[groups.length - 1];
    // Two groups with no separator between them are in the same key expression.
    if (previous !== undefined && !/[,(){}]/.test(body.slice(previous.end, start))) {
      throw new DescriptorError('Multiple multipath key path specifiers found');
    }
    groups.push({ start, end: start + raw.length, values });
  }
  if (groups.length === 0) return [body];
  const count = groups[0]!.values.length;
  if (groups.some((g) => g.values.length !== count)) {
    throw new DescriptorError(
      body.startsWith('tr(')
        ? 'tr(): Multipath subscripts have mismatched lengths'
        : 'multi(): Multipath derivation paths have mismatched lengths',
    );
  }
  return Array.from({ length: count }, (_, i) => {
    let out = '';
    let from = 0;
    for (const g of groups) {
      out += body.slice(from, g.start) + g.values[i];
      from = g.end;
    }
    return (out + body.slice(from)).replaceAll("'", 'h');
  });
}
