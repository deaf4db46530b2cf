import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../../src/encoding/hex.js';
import {
  analyzePsbt,
  combinePsbts,
  finalizePsbt,
  Psbt,
  PsbtError,
  signPsbt,
} from '../../../src/wallet/psbt/index.js';
import { arbPsbt } from './arbitraries.js';
import { BIP174_ROLES, BIP174_SIGNER_FAILURES, BIP174_VALID } from './bip174-vectors.js';
import { BIP371_VALID } from './bip371-bip370-vectors.js';
import { keyFor } from './support.js';

describe('PSBT serialization properties', () => {
  it('decode(encode(psbt)) encodes to the same bytes, in binary, base64 and hex', () => {
    fc.assert(
      fc.property(arbPsbt, (psbt) => {
        const bytes = psbt.encode();
        const decoded = Psbt.decode(bytes);
        assert.deepEqual(decoded.encode(), bytes);
        assert.deepEqual(Psbt.fromBase64(psbt.toBase64()).encode(), bytes);
        assert.deepEqual(Psbt.fromHex(psbt.toHex()).encode(), bytes);
        assert.equal(decoded.inputs.length, psbt.unsignedTx.inputs.length);
      }),
      { numRuns: 300 },
    );
  });

  it('combining a PSBT with itself changes nothing', () => {
    fc.assert(
      fc.property(arbPsbt, (psbt) => {
        const bytes = psbt.encode();
        assert.deepEqual(combinePsbts([psbt, Psbt.decode(bytes)]).encode(), bytes);
      }),
      { numRuns: 100 },
    );
  });
});

/** Every valid PSBT the BIPs give, as the corpus mutations start from. */
const CORPUS: Uint8Array[] = [...BIP174_VALID, ...BIP174_SIGNER_FAILURES, ...BIP371_VALID].map((c) =>
  fromHex(c.hex),
);
for (const hex of [BIP174_ROLES.updater, BIP174_ROLES.combiner, BIP174_ROLES.finalizer])
  CORPUS.push(fromHex(hex));

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; value: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    value: fc.constantFrom(0x00, 0x01, 0xfc, 0xfd, 0xfe, 0xff),
  }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(source: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Uint8Array.from(source);
  for (const m of mutations) {
    if (bytes.length === 0) break;
    const at = m.at % bytes.length;
    if (m.kind === 'flip') bytes[at]! ^= 1 << m.bit;
    else if (m.kind === 'set') bytes[at] = m.value;
    else if (m.kind === 'insert')
      bytes = Uint8Array.from([...bytes.subarray(0, at), m.value, ...bytes.subarray(at)]);
    else if (m.kind === 'delete')
      bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
    else bytes = bytes.slice(0, at);
  }
  return bytes;
}

/** Decodes `bytes`; anything thrown must be a PsbtError. Returns the PSBT when it decodes. */
function decodeOrPsbtError(bytes: Uint8Array): Psbt | undefined {
  try {
    return Psbt.decode(bytes);
  } catch (error) {
    if (!(error instanceof PsbtError)) throw error;
    return undefined;
  }
}

const keys = [keyFor('pool 0'), keyFor('pool 1'), keyFor('fuzz')];

/** Roles given any decodable PSBT report per input; they never throw. */
function runRoles(psbt: Psbt): void {
  const bytes = psbt.encode();
  assert.deepEqual(Psbt.decode(bytes).encode(), bytes, 'a decoded PSBT re-encodes stably');
  analyzePsbt(psbt);
  signPsbt(psbt.clone(), keys);
  finalizePsbt(psbt.clone());
}

describe('PSBT decoder fuzzing', () => {
  it('mutated and truncated valid PSBTs fail with PsbtError or decode to a stable PSBT', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CORPUS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (source, mutations) => {
          const psbt = decodeOrPsbtError(mutate(source, mutations));
          if (psbt !== undefined) runRoles(psbt);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random bytes after the magic fail with PsbtError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, withMagic) => {
        const head = withMagic ? [0x70, 0x73, 0x62, 0x74, 0xff] : [];
        decodeOrPsbtError(Uint8Array.from([...head, ...tail]));
      }),
      { numRuns: 2000 },
    );
  });

  it('generated PSBTs, mutated, still never throw anything but PsbtError', () => {
    fc.assert(
      fc.property(arbPsbt, fc.array(mutation, { minLength: 1, maxLength: 3 }), (psbt, mutations) => {
        const mutated = decodeOrPsbtError(mutate(psbt.encode(), mutations));
        if (mutated !== undefined) runRoles(mutated);
      }),
      { numRuns: 500 },
    );
  });

  it('random text is refused as base64 and hex with PsbtError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        for (const parse of [Psbt.fromBase64, Psbt.fromHex]) {
          try {
            parse(text);
          } catch (error) {
            if (!(error instanceof PsbtError)) throw error;
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
