import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RPC_ERROR_ALIASES, RpcError, RpcErrorCode, type RpcErrorCodeName } from '../../src/rpc/errors.js';
import { Amount, formatBtc } from '../../src/rpc/json/amount.js';
import { parseJsonKeepNumbers, RawNumber } from '../../src/rpc/json/parse.js';
import { escapeJson, formatNumber, writeJson } from '../../src/rpc/json/write.js';

describe('RPC error codes', () => {
  it('match bitcoind protocol.h and are unique apart from Core aliases', () => {
    assert.equal(RpcErrorCode.RPC_MISC_ERROR, -1);
    assert.equal(RpcErrorCode.RPC_TYPE_ERROR, -3);
    assert.equal(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, -5);
    assert.equal(RpcErrorCode.RPC_INVALID_PARAMETER, -8);
    assert.equal(RpcErrorCode.RPC_DESERIALIZATION_ERROR, -22);
    assert.equal(RpcErrorCode.RPC_VERIFY_REJECTED, -26);
    assert.equal(RpcErrorCode.RPC_IN_WARMUP, -28);
    assert.equal(RpcErrorCode.RPC_METHOD_NOT_FOUND, -32601);
    assert.equal(RpcErrorCode.RPC_PARSE_ERROR, -32700);
    const seen = new Map<number, string>();
    for (const [name, code] of Object.entries(RpcErrorCode)) {
      if (RPC_ERROR_ALIASES.has(name as RpcErrorCodeName)) continue;
      assert.ok(!seen.has(code), `${name} reuses ${code} of ${seen.get(code)}`);
      seen.set(code, name);
    }
  });

  it('RpcError carries code and message', () => {
    assert.deepEqual(new RpcError(-8, 'x').toJson(), { code: -8, message: 'x' });
  });
});

describe('writeJson (UniValue output)', () => {
  it('writes compact JSON like UniValue::write()', () => {
    assert.equal(
      writeJson({ result: null, error: { code: -1, message: 'm' }, id: 1 }),
      '{"result":null,"error":{"code":-1,"message":"m"},"id":1}',
    );
    assert.equal(writeJson([]), '[]');
    assert.equal(writeJson({ a: undefined, b: 1 }), '{"b":1}');
  });

  it('pretty-prints like UniValue::write(2), empty containers included', () => {
    assert.equal(
      writeJson({ a: [], b: {}, c: [1, 'x'] }, 2),
      '{\n  "a": [\n  ],\n  "b": {\n  },\n  "c": [\n    1,\n    "x"\n  ]\n}',
    );
    assert.equal(writeJson([], 2), '[\n]');
    assert.equal(writeJson({ k: 'v' }, 4), '{\n    "k": "v"\n}');
  });

  it('prints amounts with 8 decimals and raw numbers verbatim', () => {
    assert.equal(writeJson({ v: new Amount(5_000_000_000) }), '{"v":50.00000000}');
    assert.equal(writeJson(new Amount(-1)), '-0.00000001');
    assert.equal(writeJson(new Amount(0)), '0.00000000');
    assert.equal(formatBtc(2_100_000_000_000_000), '21000000.00000000');
    // JSON.stringify (the CLI's tx decode) sees a plain number.
    assert.equal(JSON.stringify({ v: new Amount(123) }), '{"v":0.00000123}');
    assert.equal(writeJson(new RawNumber('1.50000000')), '1.50000000');
  });

  it('formats doubles as printf("%.16g")', () => {
    assert.equal(formatNumber(4.656542373906925e-10), '4.656542373906925e-10');
    assert.equal(formatNumber(1), '1');
    assert.equal(formatNumber(0.5), '0.5');
    assert.equal(formatNumber(0.0001), '0.0001');
    assert.equal(formatNumber(0.00001234), '1.234e-05');
    assert.equal(formatNumber(1 / 3), '0.3333333333333333');
    assert.equal(formatNumber(6.123456789012345e20), '6.123456789012345e+20');
    assert.equal(formatNumber(1e16), '1e+16');
    assert.equal(formatNumber(123456789012345), '123456789012345');
    assert.equal(formatNumber(-2.5), '-2.5');
    assert.equal(formatNumber(Number.NaN), 'null');
  });

  it('escapes as univalue_escapes.h', () => {
    assert.equal(escapeJson('a"b\\c\n\t\u0001\u007f/é'), '"a\\"b\\\\c\\n\\t\\u0001\\u007f/é"');
  });
});

describe('parseJsonKeepNumbers', () => {
  it('keeps number text and reads everything JSON.parse reads', () => {
    const v = parseJsonKeepNumbers('{"a":50.00000000,"b":[1e3,-0,true,null,"x\\u0041"]}') as Record<
      string,
      unknown
    >;
    assert.ok(v.a instanceof RawNumber && v.a.text === '50.00000000');
    assert.equal(writeJson(v), '{"a":50.00000000,"b":[1e3,-0,true,null,"xA"]}');
    for (const bad of ['', '{', '[1,]', '01', '"\u0001"', '{"a" 1}', 'nul', '1 2', '['.repeat(600)]) {
      assert.throws(() => parseJsonKeepNumbers(bad), `${JSON.stringify(bad.slice(0, 20))} parsed`);
    }
  });

  it('keeps a "__proto__" key as an own property, like JSON.parse (no prototype pollution)', () => {
    const v = parseJsonKeepNumbers('{"__proto__":{"polluted":1},"a":2}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ['__proto__', 'a']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(writeJson(v), '{"__proto__":{"polluted":1},"a":2}');
  });

  it('agrees with JSON.parse (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const kept = parseJsonKeepNumbers(text);
        assert.deepEqual(JSON.parse(JSON.stringify(kept)), JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});
