/**
 * Parsing descriptor text (BIP380-386, BIP389): Core's Parse and ParseScript
 * (script/descriptor.cpp) with their error messages, for pk, pkh, wpkh, sh, wsh, multi,
 * sortedmulti, combo, addr, raw, rawtr and tr with script trees whose leaves are pk, multi_a or
 * sortedmulti_a. Other miniscript is refused with a message saying so.
 */
import { MAX_PUBKEYS_PER_MULTISIG, MAX_SCRIPT_ELEMENT_SIZE } from '../../script/script.js';
import { scriptFromAddress } from '../../script/address.js';
import { TAPROOT_CONTROL_MAX_NODE_COUNT } from '../../script/taproot.js';
import { fromHex } from '../../encoding/hex.js';
import { splitChecksum } from './checksum.js';
import { expandMultipath } from './multipath.js';
import { NodeDescriptor } from './descriptor.js';
import { DescriptorError } from './errors.js';
import type { KeyExpression } from './key-expression.js';
import { parseUint32 } from './key-path.js';
import {
  AddrNode,
  ComboNode,
  type DescriptorNode,
  MultiNode,
  PkhNode,
  PkNode,
  RawNode,
  RawTrNode,
  ShNode,
  WpkhNode,
  WshNode,
} from './nodes.js';
import { MultiANode, TrNode } from './taproot-nodes.js';
import { isHex, type KeyParseState, parsePubkey, type ScriptContext } from './parse-key.js';
import type { Descriptor, ParseOptions } from './types.js';

/** Core's MAX_PUBKEYS_PER_MULTI_A: keys a multi_a() leaf may have (script/script.h). */
const MAX_PUBKEYS_PER_MULTI_A = 999;

/** Core's Expr: the text up to the first ',' ')' or '}' outside brackets, and what follows. */
function expr(text: string): [string, string] {
  let level = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '{') level++;
    else if (level > 0 && (ch === ')' || ch === '}')) level--;
    else if (level === 0 && (ch === ')' || ch === '}' || ch === ',')) break;
  }
  return [text.slice(0, i), text.slice(i)];
}

interface ParseState extends KeyParseState {
  readonly options: ParseOptions;
}

/** Runs `parse`, prefixing its DescriptorError's message as Core does ("pkh(): ..."). */
function prefixed<T>(prefix: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof DescriptorError) throw new DescriptorError(`${prefix}${err.message}`, err.kind);
    throw err;
  }
}

const isTop = (ctx: ScriptContext): boolean => ctx === 'top';
const inScript = (ctx: ScriptContext): boolean => ctx === 'top' || ctx === 'p2sh' || ctx === 'p2wsh';

/**
 * Miniscript fragments (BIP379) and wrappers ("v:"). Core parses these inside wsh() and tr();
 * Tally does not yet, and says so rather than calling them unknown functions.
 */
const MINISCRIPT =
  /^([asctdvjnlu]+:)?(pk_k|pk_h|older|after|sha256|hash256|ripemd160|hash160|andor|and_v|and_b|and_n|or_b|or_c|or_d|or_i|thresh|multi_a|sortedmulti_a|pk|pkh)\(/;

/** name(args) when `text` is a call (Core's Func for every name at once), else undefined. */
function call(text: string): { name: string; args: string } | undefined {
  const m = /^([a-z_]+)\(/.exec(text);
  if (m === null || !text.endsWith(')')) return undefined;
  return { name: m[1]!, args: text.slice(m[0].length, -1) };
}

function parseScript(state: ParseState, cursor: { rest: string }, ctx: ScriptContext): DescriptorNode {
  const [text, rest] = expr(cursor.rest);
  cursor.rest = rest;
  const f = call(text);
  const node = f === undefined ? undefined : parseCall(state, f.name, f.args, ctx);
  if (node !== undefined) return node;
  if (MINISCRIPT.test(text) && text.endsWith(')')) {
    if (ctx !== 'p2wsh' && ctx !== 'p2tr')
      throw new DescriptorError('Miniscript expressions can only be used in wsh or tr.');
    throw new DescriptorError(`Miniscript expressions are not supported by Tally yet: '${text}'`);
  }
  if (ctx === 'p2sh') throw new DescriptorError('A function is needed within P2SH');
  if (ctx === 'p2wsh') throw new DescriptorError('A function is needed within P2WSH');
  throw new DescriptorError(`'${text}' is not a valid descriptor function`);
}

/** One descriptor function, in Core's order of checks; undefined for a name that is none. */
function parseCall(
  state: ParseState,
  name: string,
  args: string,
  ctx: ScriptContext,
): DescriptorNode | undefined {
  const key = (keyCtx: ScriptContext): KeyExpression =>
    prefixed(`${name}(): `, () => parsePubkey(args, keyCtx, state));
  switch (name) {
    case 'pk':
      return new PkNode(key(ctx), ctx === 'p2tr');
    case 'pkh':
      return inScript(ctx) ? new PkhNode(key(ctx)) : undefined;
    case 'combo':
      if (!isTop(ctx)) throw new DescriptorError('Can only have combo() at top level');
      return new ComboNode(key(ctx));
    case 'multi':
    case 'sortedmulti':
      if (!inScript(ctx)) {
        throw new DescriptorError('Can only have multi/sortedmulti at top level, in sh(), or in wsh()');
      }
      return parseMulti(state, args, ctx, name === 'sortedmulti');
    case 'multi_a':
    case 'sortedmulti_a':
      if (ctx !== 'p2tr') throw new DescriptorError('Can only have multi_a/sortedmulti_a inside tr()');
      return parseMulti(state, args, ctx, name === 'sortedmulti_a');
    case 'wpkh':
      if (ctx !== 'top' && ctx !== 'p2sh') {
        throw new DescriptorError('Can only have wpkh() at top level or inside sh()');
      }
      return new WpkhNode(key('p2wpkh'));
    case 'sh':
      if (!isTop(ctx)) throw new DescriptorError('Can only have sh() at top level');
      return new ShNode(parseOnly(state, args, 'p2sh'));
    case 'wsh':
      if (ctx !== 'top' && ctx !== 'p2sh') {
        throw new DescriptorError('Can only have wsh() at top level or inside sh()');
      }
      return new WshNode(parseOnly(state, args, 'p2wsh'));
    case 'addr':
      if (!isTop(ctx)) throw new DescriptorError('Can only have addr() at top level');
      return parseAddr(state, args);
    case 'tr':
      if (!isTop(ctx)) throw new DescriptorError('Can only have tr at top level');
      return parseTr(state, args);
    case 'rawtr': {
      if (!isTop(ctx)) throw new DescriptorError('Can only have rawtr at top level');
      const [keyText, extra] = expr(args);
      if (extra !== '') throw new DescriptorError('rawtr(): only one key expected.');
      return new RawTrNode(prefixed('rawtr(): ', () => parsePubkey(keyText, 'p2tr', state)));
    }
    case 'raw':
      if (!isTop(ctx)) throw new DescriptorError('Can only have raw() at top level');
      if (!isHex(args)) throw new DescriptorError('Raw script is not hex');
      return new RawNode(fromHex(args.toLowerCase()));
    default:
      return undefined;
  }
}

function parseAddr(state: ParseState, args: string): DescriptorNode {
  const prefixes = state.options.network.addressPrefixes;
  let script: Uint8Array;
  try {
    script = scriptFromAddress(args, prefixes);
  } catch {
    throw new DescriptorError('Address is not valid');
  }
  return new AddrNode(script, prefixes);
}

/** tr(KEY) or tr(KEY,TREE), BIP386: Core's loop over braces, leaves kept with their depths. */
function parseTr(state: ParseState, args: string): DescriptorNode {
  const [keyText, tree] = expr(args);
  const key = prefixed('tr(): ', () => parsePubkey(keyText, 'p2tr', state));
  if (tree === '') return new TrNode(key, [], []);
  if (!tree.startsWith(',')) throw new DescriptorError(`tr: expected ',', got '${tree[0]}'`);
  let rest = tree.slice(1);
  const leaves: DescriptorNode[] = [];
  const depths: number[] = [];
  // The path from the root to where we are: false = in a left branch, true = in a right one.
  const branches: boolean[] = [];
  do {
    while (rest.startsWith('{')) {
      rest = rest.slice(1);
      branches.push(false);
      if (branches.length > TAPROOT_CONTROL_MAX_NODE_COUNT) {
        throw new DescriptorError(`tr() supports at most ${TAPROOT_CONTROL_MAX_NODE_COUNT} nesting levels`);
      }
    }
    const [leafText, after] = expr(rest);
    rest = after;
    leaves.push(parseScript(state, { rest: leafText }, 'p2tr'));
    depths.push(branches.length);
    while (branches.length > 0 && branches[branches.length - 1]) {
      if (!rest.startsWith('}')) throw new DescriptorError("tr(): expected '}' after script expression");
      rest = rest.slice(1);
      branches.pop();
    }
    if (branches.length > 0) {
      if (!rest.startsWith(',')) throw new DescriptorError("tr(): expected ',' after script expression");
      rest = rest.slice(1);
      branches[branches.length - 1] = true;
    }
  } while (branches.length > 0);
  if (rest !== '') throw new DescriptorError("tr(): expected ')' after script expression");
  return new TrNode(key, leaves, depths);
}

/** The one script inside sh() or wsh(); anything after it is an error (Core's empty message). */
function parseOnly(state: ParseState, text: string, ctx: ScriptContext): DescriptorNode {
  const cursor = { rest: text };
  const node = parseScript(state, cursor, ctx);
  if (cursor.rest !== '') throw new DescriptorError('');
  return node;
}

function parseMulti(state: ParseState, args: string, ctx: ScriptContext, sorted: boolean): DescriptorNode {
  let [thresholdText, rest] = expr(args);
  const threshold = parseUint32(thresholdText);
  if (threshold === undefined) throw new DescriptorError(`Multi threshold '${thresholdText}' is not valid`);
  const keys: KeyExpression[] = [];
  let scriptSize = 0;
  while (rest.length > 0) {
    if (!rest.startsWith(',')) throw new DescriptorError(`Multi: expected ',', got '${rest[0]}'`);
    const [keyText, after] = expr(rest.slice(1));
    rest = after;
    const key = prefixed('Multi: ', () => parsePubkey(keyText, ctx, state));
    scriptSize += key.size + 1;
    keys.push(key);
  }
  const n = keys.length;
  const tapscript = ctx === 'p2tr';
  const max = tapscript ? MAX_PUBKEYS_PER_MULTI_A : MAX_PUBKEYS_PER_MULTISIG;
  if (n === 0 || n > max) {
    const what = tapscript ? 'multi_a' : 'multisig';
    throw new DescriptorError(
      `Cannot have ${n} keys in ${what}; must have between 1 and ${max} keys, inclusive`,
    );
  }
  if (threshold < 1)
    throw new DescriptorError(`Multisig threshold cannot be ${threshold}, must be at least 1`);
  if (threshold > n) {
    throw new DescriptorError(
      `Multisig threshold cannot be larger than the number of keys; threshold is ${threshold} but only ${n} keys specified`,
    );
  }
  // Bare multisig is standard only up to 3 keys (policy IsStandard); Core refuses more.
  if (ctx === 'top' && n > 3) {
    throw new DescriptorError(`Cannot have ${n} pubkeys in bare multisig; only at most 3 pubkeys`);
  }
  // A redeem script is one push: at most 520 bytes (this allows 15 compressed keys).
  if (ctx === 'p2sh' && scriptSize + 3 > MAX_SCRIPT_ELEMENT_SIZE) {
    throw new DescriptorError(
      `P2SH script is too large, ${scriptSize + 3} bytes is larger than ${MAX_SCRIPT_ELEMENT_SIZE} bytes`,
    );
  }
  return tapscript ? new MultiANode(threshold, keys, sorted) : new MultiNode(threshold, keys, sorted);
}

/**
 * Parses one descriptor (Core's Parse). Throws DescriptorError with Core's message; with
 * `requireChecksum` a missing '#checksum' is an error, a present one is always verified. A
 * multipath descriptor is refused (kind 'parameter'): parseDescriptors takes those.
 */
export function parseDescriptor(text: string, options: ParseOptions): Descriptor {
  const descs = parseDescriptors(text, options);
  if (descs.length > 1) {
    throw new DescriptorError(
      `A multipath descriptor (BIP389) stands for ${descs.length} descriptors; one was expected here`,
      'parameter',
    );
  }
  return descs[0]!;
}

/**
 * Parses a descriptor that may be multipath (BIP389, xpub/<0;1>/*): one Descriptor per value of
 * its multipath groups, in order (Core's Parse, which returns a vector). Plain text gives one.
 */
export function parseDescriptors(text: string, options: ParseOptions): Descriptor[] {
  const { body } = splitChecksum(text, options.requireChecksum ?? false);
  return expandMultipath(body).map((one) => parseBody(one, options));
}

function parseBody(body: string, options: ParseOptions): Descriptor {
  const state: ParseState = { network: options.network, privateKeys: 0, options };
  const cursor = { rest: body };
  const node = parseScript(state, cursor, 'top');
  // Text after a complete top-level expression: Core answers with an empty error message.
  if (cursor.rest !== '') throw new DescriptorError('');
  return new NodeDescriptor(node);
}
