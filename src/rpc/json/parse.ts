/**
 * A JSON parser that keeps each number's text, as UniValue does. bitcoin-cli prints amounts the
 * way the server wrote them ("50.00000000"); JSON.parse would turn that into 50 and lose digits of
 * large integers. Numbers come back as RawNumber, which writeJson prints verbatim.
 */
export class RawNumber {
  constructor(readonly text: string) {}

  toJSON(): number {
    return Number(this.text);
  }

  valueOf(): number {
    return Number(this.text);
  }
}

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\n\r]*/y;

/** Nesting deeper than this is refused instead of overflowing the stack (UniValue stops at 512). */
const MAX_DEPTH = 512;

export function parseJsonKeepNumbers(text: string): unknown {
  let pos = 0;
  const skip = (): void => {
    SPACE.lastIndex = pos;
    SPACE.exec(text);
    pos = SPACE.lastIndex;
  };
  const fail = (): never => {
    throw new JsonSyntaxError(`invalid JSON at position ${pos}`);
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) return undefined;
    pos = re.lastIndex;
    return m[0];
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail();
    skip();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const out: Record<string, unknown> = {};
      skip();
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      for (;;) {
        skip();
        const key = match(STRING) ?? fail();
        skip();
        if (text[pos++] !== ':') fail();
        // defineProperty, not assignment: a "__proto__" key must become an own property, as with
        // JSON.parse, rather than replace the object's prototype (prototype pollution from RPC input).
        Object.defineProperty(out, JSON.parse(key) as string, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skip();
        const sep = text[pos++];
        if (sep === '}') return out;
        if (sep !== ',') fail();
      }
    }
    if (c === '[') {
      pos++;
      const out: unknown[] = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        skip();
        const sep = text[pos++];
        if (sep === ']') return out;
        if (sep !== ',') fail();
      }
    }
    if (c === '"') return JSON.parse(match(STRING) ?? fail()) as string;
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    return new RawNumber(match(NUMBER) ?? fail());
  };
  const result = value(0);
  skip();
  if (pos !== text.length) fail();
  return result;
}
