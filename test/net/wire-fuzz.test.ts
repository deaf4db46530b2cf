import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../src/encoding/errors.js';
import { toHex } from '../../src/encoding/hex.js';
import {
  COMMANDS,
  decodeMessage,
  encodeMessage,
  type NetMessage,
  WireError,
} from '../../src/net/wire/index.js';
import { arbMessage } from './arbitraries.js';

/**
 * Hostile payloads through decodeMessage for every command: random bytes, and valid payloads with
 * bits flipped, bytes cut or counts inflated. The only acceptable failure is a WireError
 * (malformed-payload caused by a DecodeError, or too-many-items); whatever decodes must re-encode,
 * and the re-encoding must decode to the same bytes again (a canonical form). Run counts are fixed.
 */
function exercise(command: string, payload: Uint8Array): NetMessage | undefined {
  let decoded: NetMessage | undefined;
  try {
    decoded = decodeMessage(command, Uint8Array.from(payload));
  } catch (e) {
    assert.ok(e instanceof WireError, `${command} threw ${String(e)} on ${toHex(payload).slice(0, 120)}`);
    assert.ok(e.code === 'malformed-payload' || e.code === 'too-many-items', e.code);
    if (e.code === 'malformed-payload') {
      assert.ok(e.cause instanceof DecodeError, `${command}: cause ${String(e.cause)} is not a DecodeError`);
    }
    return undefined;
  }
  assert.ok(decoded !== undefined, `${command} is a known command`);
  let encoded: Uint8Array;
  try {
    encoded = encodeMessage(decoded);
  } catch (e) {
    // A user agent of invalid UTF-8 decodes with replacement characters that may not fit in 256
    // bytes again; we never re-send a peer's version, so this is the one allowed refusal.
    assert.ok(command === 'version' && e instanceof RangeError, `${command} re-encode threw ${String(e)}`);
    return decoded;
  }
  const again = decodeMessage(command, encoded);
  assert.ok(again !== undefined);
  assert.equal(toHex(encodeMessage(again)), toHex(encoded));
  return decoded;
}

const HUGE_COUNTS = ['fd5000', 'fdffff', 'fe51c30000', 'feffffff01', 'ff0000000001000000'].map((h) =>
  Uint8Array.from(Buffer.from(h, 'hex')),
);

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'count'; at: number; which: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('count' as const),
      at: fc.nat(),
      which: fc.nat({ max: HUGE_COUNTS.length - 1 }),
    }),
  },
);

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(input);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'flip' && b.length > 0) b[at]! ^= 1 << m.bit;
    else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'count')
      b = Uint8Array.from([...b.subarray(0, at), ...HUGE_COUNTS[m.which]!, ...b.subarray(at)]);
  }
  return b;
}

describe('wire decoders under hostile input', () => {
  it('random payloads for every command: WireError or a canonical message (fuzz)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), fc.uint8Array({ maxLength: 300 }), (command, payload) => {
        exercise(command, payload);
      }),
      { numRuns: 3000 },
    );
  });

  it('every command with empty, short and all-0xff payloads', () => {
    for (const command of COMMANDS) {
      for (const n of [0, 1, 7, 8, 9, 31, 32, 33, 80, 81]) {
        exercise(command, new Uint8Array(n));
        exercise(command, new Uint8Array(n).fill(0xff));
      }
    }
  });

  it('mutated valid payloads: WireError or a canonical message (fuzz)', () => {
    fc.assert(
      fc.property(arbMessage, fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (m, mutations) => {
        exercise(m.command, mutate(encodeMessage(m), mutations));
      }),
      { numRuns: 2000 },
    );
  });

  it('valid payloads with trailing bytes decode (Core ignores them)', () => {
    fc.assert(
      fc.property(arbMessage, fc.uint8Array({ minLength: 1, maxLength: 20 }), (m, extra) => {
        const payload = Uint8Array.from([...encodeMessage(m), ...extra]);
        const decoded = decodeMessage(m.command, payload);
        assert.ok(decoded !== undefined);
        assert.equal(toHex(encodeMessage(decoded)), toHex(encodeMessage(m)));
      }),
      { numRuns: 300 },
    );
  });
});
