import { expectedJsonType, isJsonObject, RpcArgs, type RpcParam } from './args.js';
import { jsonTypeName, RpcError, RpcErrorCode } from './errors.js';
import { writeJson } from './json/write.js';

/** Who is calling, and through which URI (`/wallet/<name>` selects a wallet). */
export interface CallInfo {
  readonly user: string | undefined;
  readonly wallet: string | undefined;
  readonly uri: string;
}

export interface RpcMethod<Ctx> {
  readonly name: string;
  /** Help groups them: blockchain, control, mining, network, rawtransactions, util... */
  readonly category: string;
  readonly params: readonly RpcParam[];
  /** Core's RPCHelpMan description: what the method does. */
  readonly description: string;
  /** The result, described in help. */
  readonly result?: string;
  /** Argument lists for `> tally rpc <name> ...` example lines. */
  readonly examples?: readonly string[];
  readonly handler: (ctx: Ctx, args: RpcArgs, call: CallInfo) => unknown;
}

/**
 * The method table (Core's CRPCTable plus RPCHelpMan's argument checks). `execute` does what bitcoind
 * does before a handler runs: refuse during warm-up, map named arguments to positions, check the
 * number of arguments (too few or too many answers the method's help, as RPC_MISC_ERROR) and their
 * JSON types ("Wrong type passed" as RPC_TYPE_ERROR).
 */
export class RpcRegistry<Ctx> {
  private readonly methods = new Map<string, RpcMethod<Ctx>>();
  private warmup: string | undefined;

  register(...methods: readonly RpcMethod<Ctx>[]): this {
    for (const m of methods) {
      if (this.methods.has(m.name)) throw new Error(`RPC method ${m.name} registered twice`);
      this.methods.set(m.name, m);
    }
    return this;
  }

  get(name: string): RpcMethod<Ctx> | undefined {
    return this.methods.get(name);
  }

  names(): string[] {
    return [...this.methods.keys()].sort();
  }

  /** While set, every call fails with RPC_IN_WARMUP and this status (Core's SetRPCWarmupStatus). */
  setWarmup(status: string | undefined): void {
    this.warmup = status;
  }

  async execute(ctx: Ctx, name: string, params: unknown, call: CallInfo): Promise<unknown> {
    if (this.warmup !== undefined) throw new RpcError(RpcErrorCode.RPC_IN_WARMUP, this.warmup);
    const method = this.methods.get(name);
    if (method === undefined) throw new RpcError(RpcErrorCode.RPC_METHOD_NOT_FOUND, 'Method not found');
    let positional: unknown[] = [];
    if (isJsonObject(params)) positional = namedToPositional(params, method.params);
    else if (Array.isArray(params)) positional = params;
    checkArgs(method, positional);
    return await method.handler(ctx, new RpcArgs(positional, method.params), call);
  }

  /** `help` without a command: every method's usage line, grouped by category (Core's CRPCTable::help). */
  help(): string {
    const byCategory = new Map<string, RpcMethod<Ctx>[]>();
    for (const m of [...this.methods.values()].sort((a, b) => compare(a.name, b.name))) {
      if (m.category === 'hidden') continue;
      const list = byCategory.get(m.category) ?? [];
      list.push(m);
      byCategory.set(m.category, list);
    }
    const sections = [...byCategory.keys()].sort(compare).map((category) => {
      const title = category.charAt(0).toUpperCase() + category.slice(1);
      return `== ${title} ==\n${byCategory.get(category)!.map(usageLine).join('\n')}\n`;
    });
    return sections.join('\n').replace(/\n$/, '');
  }

  /** `help <command>`; Core answers an unknown command with a result string, not an error. */
  helpFor(name: string): string {
    const method = this.methods.get(name);
    if (method === undefined) return `help: unknown command: ${name}`;
    return methodHelp(method);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Core's transformNamedArguments, including the "args" member for leading positional arguments. */
function namedToPositional(named: Record<string, unknown>, params: readonly RpcParam[]): unknown[] {
  const remaining = new Map(Object.entries(named));
  const out: unknown[] = [];
  let hole = 0;
  let initialHole = 0;
  let initialParam: string | undefined;
  for (const param of params) {
    const key = param.name.split('|').find((n) => remaining.has(n));
    if (key !== undefined) {
      for (let i = 0; i < hole; i++) out.push(null);
      hole = 0;
      initialParam ??= param.name;
      out.push(remaining.get(key));
      remaining.delete(key);
    } else {
      hole += 1;
      if (out.length === 0) initialHole = hole;
    }
  }
  const positional = remaining.get('args');
  remaining.delete('args');
  let result = out;
  if (Array.isArray(positional)) {
    if (initialHole < positional.length && initialParam !== undefined) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        `Parameter ${initialParam} specified twice both as positional and named argument`,
      );
    }
    result = [...positional, ...out.slice(positional.length)];
  }
  const unknown = remaining.keys().next();
  if (!unknown.done) {
    throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, `Unknown named parameter ${unknown.value}`);
  }
  return result;
}

function checkArgs<Ctx>(method: RpcMethod<Ctx>, args: readonly unknown[]): void {
  let required = 0;
  method.params.forEach((p, i) => {
    if (p.required) required = i + 1;
  });
  if (args.length < required || args.length > method.params.length) {
    throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, methodHelp(method));
  }
  const mismatches: Record<string, string> = {};
  let any = false;
  method.params.forEach((p, i) => {
    const value = args[i] ?? null;
    const expected = expectedJsonType(p.type);
    if (expected === undefined || (!p.required && value === null)) return;
    const actual = jsonTypeName(value);
    if (actual !== expected) {
      mismatches[`Position ${i + 1} (${p.name})`] =
        `JSON value of type ${actual} is not of expected type ${expected}`;
      any = true;
    }
  });
  if (any) {
    throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, `Wrong type passed:\n${writeJson(mismatches, 4)}`);
  }
}

/** Core's RPCArg::ToString(oneline): strings quoted, other values by name. */
function argUsage(p: RpcParam): string {
  if (p.oneline !== undefined) return p.oneline;
  const first = p.name.split('|')[0]!;
  if (p.type === 'string' || p.type === 'hex') return `"${first}"`;
  if (p.type === 'object') return '{...}';
  if (p.type === 'array') return '[...]';
  return first;
}

/** `getblock "blockhash" ( verbosity )`: optional arguments inside one pair of parentheses. */
export function usageLine<Ctx>(method: RpcMethod<Ctx>): string {
  const parts = [method.name];
  let open = false;
  for (const p of method.params) {
    if (!p.required && !open) {
      parts.push('(');
      open = true;
    }
    parts.push(argUsage(p));
  }
  if (open) parts.push(')');
  return parts.join(' ');
}

function typeLabel(p: RpcParam): string {
  if (p.helpType !== undefined) return p.helpType;
  switch (p.type) {
    case 'string':
    case 'hex':
      return 'string';
    case 'number':
      return 'numeric';
    case 'amount':
      return 'numeric or string';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'json object';
    case 'array':
      return 'json array';
    default:
      return 'any';
  }
}

export function methodHelp<Ctx>(method: RpcMethod<Ctx>): string {
  const lines = [usageLine(method), '', method.description.trim()];
  if (method.params.length > 0) {
    lines.push('', 'Arguments:');
    method.params.forEach((p, i) => {
      let status = p.required ? 'required' : 'optional';
      if (!p.required && p.defaultHint !== undefined) status += `, default=${p.defaultHint}`;
      else if (!p.required && p.default !== undefined) status += `, default=${writeJson(p.default)}`;
      lines.push(`${i + 1}. ${p.name.split('|')[0]}    (${typeLabel(p)}, ${status}) ${p.description}`);
    });
  }
  if (method.result !== undefined) lines.push('', 'Result:', method.result.trim());
  if (method.examples !== undefined && method.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const ex of method.examples) lines.push(`> tally rpc ${method.name}${ex === '' ? '' : ` ${ex}`}`);
  }
  return `${lines.join('\n')}\n`;
}
