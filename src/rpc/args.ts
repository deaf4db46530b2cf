import { jsonTypeName, RpcError, RpcErrorCode, typeError } from './errors.js';

/** What a parameter accepts, as Core's RPCArg::Type (STR, STR_HEX, NUM, AMOUNT, BOOL, OBJ, ARR). */
export type RpcParamType = 'string' | 'hex' | 'number' | 'amount' | 'boolean' | 'object' | 'array' | 'any';

export interface RpcParam {
  /** Name and aliases separated by '|', as Core's m_names ("verbosity|verbose"). */
  readonly name: string;
  readonly type: RpcParamType;
  readonly required?: boolean;
  /** The value used when the argument is omitted or null (Core's RPCArg::Default). */
  readonly default?: unknown;
  /** Shown in help instead of the default value, when that is computed (Core's DefaultHint). */
  readonly defaultHint?: string;
  readonly description: string;
  /** The usage-line form, for arguments whose shape is not obvious from the type (`["rawtx",...]`). */
  readonly oneline?: string;
  /** The type as help shows it, for 'any' parameters ("numeric" for a verbosity that takes a bool too). */
  readonly helpType?: string;
}

/** Core's UniValue type expected for a parameter type; undefined when the handler checks it. */
export function expectedJsonType(type: RpcParamType): string | undefined {
  switch (type) {
    case 'string':
    case 'hex':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    case 'object':
      return 'object';
    case 'array':
      return 'array';
    default:
      // AMOUNT is a number or a string (AmountFromValue checks it); 'any' is Core's skip_type_check.
      return undefined;
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * A method's positional arguments after the registry checked their count and types. Accessors read
 * one argument, falling back to the parameter's default when it is omitted or null, and throw Core's
 * errors for values the type check could not rule out (a number that is not a 32-bit integer).
 */
export class RpcArgs {
  constructor(
    readonly values: readonly unknown[],
    private readonly params: readonly RpcParam[],
  ) {}

  get length(): number {
    return this.values.length;
  }

  /** The argument as given (null when omitted), without defaults. */
  raw(i: number): unknown {
    return this.values[i] ?? null;
  }

  isNull(i: number): boolean {
    const v = this.values[i];
    return v === undefined || v === null;
  }

  /** The argument, or the parameter's default when it is omitted or null. */
  value(i: number): unknown {
    return this.isNull(i) ? (this.params[i]?.default ?? null) : this.values[i];
  }

  str(i: number): string {
    const v = this.value(i);
    if (typeof v !== 'string') throw typeError(v, 'string');
    return v;
  }

  optStr(i: number): string | undefined {
    return this.isNull(i) && this.params[i]?.default === undefined ? undefined : this.str(i);
  }

  /** UniValue::getInt<int>: a number that is an integer in the int32 range. */
  int(i: number): number {
    return toInt32(this.value(i));
  }

  optInt(i: number): number | undefined {
    return this.isNull(i) && this.params[i]?.default === undefined ? undefined : this.int(i);
  }

  /** A number of any size (Core's getInt<int64_t>, within the doubles JSON gives us). */
  int64(i: number): number {
    const v = this.value(i);
    if (typeof v !== 'number') throw typeError(v, 'number');
    if (!Number.isSafeInteger(v))
      throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'JSON integer out of range');
    return v;
  }

  bool(i: number): boolean {
    const v = this.value(i);
    if (typeof v !== 'boolean') throw typeError(v, 'bool');
    return v;
  }

  array(i: number): unknown[] {
    const v = this.value(i);
    if (!Array.isArray(v)) throw typeError(v, 'array');
    return v;
  }

  object(i: number): Record<string, unknown> {
    const v = this.value(i);
    if (!isJsonObject(v)) throw typeError(v, 'object');
    return v;
  }
}

export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** UniValue::getInt<int>: type errors are RPC_TYPE_ERROR, values outside int32 are misc errors. */
export function toInt32(v: unknown): number {
  if (typeof v !== 'number') throw typeError(v, 'number');
  if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
    throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'JSON integer out of range');
  }
  return v;
}

/**
 * Core's RPCTypeCheckObj with fAllowNull and fStrict: every key must be in `types`, and a non-null
 * value must have the UniValue type given there (an undefined type is checked by the caller).
 */
export function checkOptionTypes(
  options: Record<string, unknown>,
  types: ReadonlyMap<string, string | undefined>,
): void {
  for (const [key, value] of Object.entries(options)) {
    if (!types.has(key)) throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, `Unexpected key ${key}`);
    const type = types.get(key);
    if (type !== undefined && value !== null && jsonTypeName(value) !== type) {
      throw new RpcError(
        RpcErrorCode.RPC_TYPE_ERROR,
        `JSON value of type ${jsonTypeName(value)} for field ${key} is not of expected type ${type}`,
      );
    }
  }
}
