import { Amount } from './amount.js';
import { RawNumber } from './parse.js';

/**
 * JSON text exactly as bitcoind's UniValue writes it, so replies and `tally rpc` output match
 * bitcoind and bitcoin-cli byte for byte: compact `{"a":1}` without indentation; with an indent,
 * `"key": value` and empty containers opened and closed on separate lines ("[\n  ]"), as
 * UniValue::writeArray/writeObject do. Amounts print with 8 decimals, doubles as printf("%.16g").
 */
export function writeJson(value: unknown, indent = 0): string {
  const out: string[] = [];
  write(value, indent, 1, out);
  return out.join('');
}

function pad(indent: number, level: number): string {
  return ' '.repeat(indent * level);
}

function write(value: unknown, indent: number, level: number, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      out.push(formatNumber(value));
      return;
    case 'string':
      out.push(escapeJson(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`cannot write a ${typeof value} as JSON`);
  }
  if (value instanceof Amount) {
    out.push(value.toString());
    return;
  }
  if (value instanceof RawNumber) {
    out.push(value.text);
    return;
  }
  const nl = indent > 0 ? '\n' : '';
  if (Array.isArray(value)) {
    out.push('[', nl);
    value.forEach((item: unknown, i) => {
      out.push(pad(indent, level));
      write(item, indent, level + 1, out);
      if (i !== value.length - 1) out.push(',');
      out.push(nl);
    });
    out.push(pad(indent, level - 1), ']');
    return;
  }
  // Keys whose value is undefined are absent, as optional fields are in Core's replies.
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  out.push('{', nl);
  entries.forEach(([key, item], i) => {
    out.push(pad(indent, level), escapeJson(key), ':', indent > 0 ? ' ' : '');
    write(item, indent, level + 1, out);
    if (i !== entries.length - 1) out.push(',');
    out.push(nl);
  });
  out.push(pad(indent, level - 1), '}');
}

/**
 * UniValue's escaping (univalue_escapes.h): `"`, `\`, the named control escapes, every other control
 * character and DEL as \u00xx; everything else, non-ASCII included, is written as it is.
 */
export function escapeJson(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return `"${text.replace(/[\u0000-\u001f"\\\u007f]/g, escapeChar)}"`;
}

function escapeChar(c: string): string {
  switch (c) {
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/**
 * Integers as integers; other numbers as UniValue's doubles, printed with setprecision(16), i.e. C's
 * "%.16g": at most 16 significant digits, trailing zeros dropped, exponent form below 1e-4 and from
 * 1e16 (so mainnet's networkhashps reads 6.123456789012345e+20, as bitcoind prints it). Integers of
 * 1e16 and more cannot be exact in a JS number, so they are doubles here too.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return Object.is(n, -0) ? '-0' : String(n);
  const [mantissa, expText] = n.toExponential(15).split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = stripZeros(mantissa);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return stripZeros(n.toFixed(15 - exp));
}

function stripZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}
