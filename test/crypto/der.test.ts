import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  encodeDer,
  isLowS,
  isValidSignatureEncoding,
  normalizeS,
  parseDerLax,
} from '../../src/crypto/der.js';
import { concatBytes, fromHex, toHex } from '../../src/encoding/index.js';

const N_HEX = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';
const HALF_HEX = '7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0';
const N = BigInt(`0x${N_HEX}`);
const hex32 = (x: bigint): string => x.toString(16).padStart(64, '0');
const compact = (r: bigint, s: bigint): Uint8Array => fromHex(hex32(r) + hex32(s));
const ZERO64 = new Uint8Array(64);

/** libsecp256k1's own (strict) DER parser, as an independent reference for the lax one. */
interface NativeSecp {
  signatureImport(der: Uint8Array): Uint8Array;
}
const nativeSecp = createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp;

/** Arbitrary values: an R that needs a 0x00 sign pad (33 bytes) and an S that does not. */
const R = '00e7b6a3e0b7d5c5b1ee9c8b5fbe66c1cc64d2b51a8a6e7a7ac36f8f2f2d3e1a4b';
const S = '3c2b1f4e5a6d7c8b9aa0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f506';

describe('isValidSignatureEncoding (BIP66, Core interpreter.cpp)', () => {
  const ok = (h: string): boolean => isValidSignatureEncoding(fromHex(h));

  it('accepts minimal and typical strict DER with a sighash byte', () => {
    assert.equal(ok('300602010102010101'), true);
    assert.equal(ok(`3045022100${R.slice(2)}0220${S}01`), true);
    assert.equal(ok('30070202008102010101'), true); // 0x00 pad needed before 0x81
  });

  it('rejects the historic non-canonical encodings', () => {
    assert.equal(ok('300602018102010101'), false); // negative R
    assert.equal(ok('300602010102018101'), false); // negative S
    assert.equal(ok('30070202000102010101'), false); // excess R padding
    assert.equal(ok('30070201010202000101'), false); // excess S padding
    assert.equal(ok('300602000202010101'), false); // zero-length R
    assert.equal(ok('300602020081020001'), false); // zero-length S
    assert.equal(ok('310602010102010101'), false); // not a SEQUENCE
    assert.equal(ok('300702010102010101'), false); // sequence length mismatch
    assert.equal(ok('300603010102010101'), false); // R not an INTEGER
    assert.equal(ok('300602010103010101'), false); // S not an INTEGER
    assert.equal(ok('300602050102010101'), false); // R length overruns
    assert.equal(ok(`3081450221${'00'.repeat(33)}0220${S}01`), false); // long-form length
  });

  it('enforces the 9..73 byte bounds', () => {
    assert.equal(ok('3005020101020101'), false); // 8 bytes
    // Otherwise well-formed (a needed sign pad, then 34 bytes): only the size bound rejects it.
    const long = `30470223008${'1'.repeat(67)}0220${S}01`;
    assert.equal(fromHex(long).length, 74);
    assert.equal(ok(long), false);
  });
});

describe('parseDerLax (Core pubkey.cpp ecdsa_signature_parse_der_lax)', () => {
  const lax = (h: string): string | null => {
    const out = parseDerLax(fromHex(h));
    return out === null ? null : toHex(out);
  };
  const rs = (r: string, s: string): string => r.padStart(64, '0') + s.padStart(64, '0');

  it('parses strict DER', () => {
    assert.equal(lax(`3045022100${R.slice(2)}0220${S}`), rs(R.slice(2), S));
    assert.equal(lax('3006020101020102'), rs('01', '02'));
  });

  it('accepts what pre-BIP66 blocks contain, reading values as Core does', () => {
    assert.equal(lax('3006020181020101'), rs('81', '01')); // negative R: magnitude bytes
    assert.equal(lax('30080203000001020101'), rs('01', '01')); // excess padding
    assert.equal(lax('3001020101020101'), rs('01', '01')); // wrong sequence length
    assert.equal(lax('3006020101020101deadbeef'), rs('01', '01')); // garbage after S
    assert.equal(lax('30820006020101020101'), rs('01', '01')); // long-form sequence length
    assert.equal(lax('300702810101020101'), rs('01', '01')); // long-form R length
    assert.equal(lax('3008028300000101020101'), rs('01', '01')); // long-form, zero-padded
    assert.equal(lax('300902840000000101020101'), rs('01', '01')); // 4 length bytes, 3 of them zero
    assert.equal(lax('30050200020101'), rs('', '01')); // zero-length R reads as r = 0
  });

  it('returns null exactly where Core returns 0', () => {
    for (const h of [
      '',
      '30',
      '3106020101020101', // not a SEQUENCE
      '3085', // long-form sequence length past the end
      '30ff020101020101', // 0xff is a 127-byte long-form length, past the end
      '30060301', // R not an INTEGER
      '300602', // no R length
      '3006028101', // long-form R length, then no value bytes
      '300602840100000002', // 4 significant length bytes
      '3006020501', // R length overruns
      '3006020101', // no S
      '3006020101030101', // S not an INTEGER
      '300602010102', // no S length
      '3006020101020201', // S length overruns
    ]) {
      assert.equal(lax(h), null, h);
    }
  });

  it('limits long-form integer lengths to 3 significant bytes, as Core does', () => {
    const withR = (lenBytes: number[], rLen: number): Uint8Array =>
      Uint8Array.from([
        0x30,
        0x00,
        0x02,
        0x80 + lenBytes.length,
        ...lenBytes,
        ...new Uint8Array(rLen).fill(1),
        2,
        1,
        1,
      ]);
    // A 65,536-byte R fits in 3 length bytes: parsed, and too wide to be below n.
    assert.deepEqual(parseDerLax(withR([0x01, 0x00, 0x00], 0x10000)), ZERO64);
    // 4 significant length bytes: rejected even though the 16 MiB value is present.
    assert.equal(parseDerLax(withR([0x01, 0x00, 0x00, 0x00], 0x1000000)), null);
  });

  it('turns r or s that overflow into the all-zero signature (verification fails)', () => {
    const zero = toHex(ZERO64);
    assert.equal(lax(`3026022100${N_HEX}020101`), zero); // r = n
    assert.equal(lax(`3026020101022100${N_HEX}`), zero); // s = n
    assert.equal(lax(`3026022100${'ff'.repeat(32)}020101`), zero); // r > n
    assert.equal(lax(`30260221010${'0'.repeat(63)}020101`), zero); // 33 significant bytes
    assert.equal(lax(`3006020181${'020101'}`), rs('81', '01')); // negative, but in range
    const nMinus1 = hex32(N - 1n);
    assert.equal(lax(`3026022100${nMinus1}020101`), rs(nMinus1, '01')); // largest valid r
    // 33 bytes whose first is a sign pad are 32 significant bytes, not an overflow.
    assert.equal(lax(`3026022100${'7f'.repeat(32)}020101`), rs('7f'.repeat(32), '01'));
  });

  it('agrees with libsecp256k1 strict parsing wherever that parser accepts (property)', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 2n ** 256n - 1n), fc.bigInt(0n, 2n ** 256n - 1n), (r, s) => {
        const der = encodeDer(compact(r, s));
        const mine = parseDerLax(der);
        const expected = r < N && s < N ? compact(r, s) : ZERO64;
        assert.deepEqual(mine, expected);
        assert.equal(isValidSignatureEncoding(concatBytes(der, Uint8Array.of(1))), true);
        if (r < N && s < N) assert.deepEqual(new Uint8Array(nativeSecp.signatureImport(der)), mine);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on mutated encodings; strict DER round-trips through it (fuzz)', () => {
    const mutated = fc
      .tuple(
        fc.bigInt(0n, N - 1n),
        fc.bigInt(0n, N - 1n),
        fc.array(fc.tuple(fc.nat(80), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        fc.nat(80),
      )
      .map(([r, s, edits, cut]) => {
        const bytes = Uint8Array.from([...encodeDer(compact(r, s)), 0xde, 0xad]);
        for (const [i, v] of edits) if (i < bytes.length) bytes[i] = v;
        return bytes.subarray(0, cut);
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 80 })), (bytes) => {
        const parsed = parseDerLax(bytes);
        if (isValidSignatureEncoding(concatBytes(bytes, Uint8Array.of(1)))) {
          assert.notEqual(parsed, null);
          if (!parsed!.every((b) => b === 0)) assert.deepEqual(encodeDer(parsed!), bytes);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('parses der[0, end) exactly as the subarray, whatever follows (property)', () => {
    // The interpreter passes a script signature with its sighash byte and end = length - 1.
    const mutated = fc
      .tuple(
        fc.bigInt(0n, N - 1n),
        fc.bigInt(0n, N - 1n),
        fc.array(fc.tuple(fc.nat(80), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
      )
      .map(([r, s, edits]) => {
        const bytes = Uint8Array.from([...encodeDer(compact(r, s)), 0x01]);
        for (const [i, v] of edits) if (i < bytes.length) bytes[i] = v;
        return bytes;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 80 })), fc.nat(80), (bytes, cut) => {
        const end = Math.min(cut, bytes.length);
        assert.deepEqual(parseDerLax(bytes, end), parseDerLax(bytes.slice(0, end)));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('low S', () => {
  it('isLowS is s <= n/2', () => {
    const half = BigInt(`0x${HALF_HEX}`);
    assert.equal(isLowS(compact(1n, half)), true);
    assert.equal(isLowS(compact(1n, half + 1n)), false);
    assert.equal(isLowS(compact(1n, 0n)), true);
  });

  it('normalizeS maps s to n - s above n/2 and leaves the rest (property)', () => {
    fc.assert(
      fc.property(fc.bigInt(1n, N - 1n), fc.bigInt(1n, N - 1n), (r, s) => {
        const out = normalizeS(compact(r, s));
        const expectS = s > N / 2n ? N - s : s;
        assert.deepEqual(out, compact(r, expectS));
        assert.equal(isLowS(out), true);
      }),
    );
    const overflow = compact(1n, N + 5n);
    assert.deepEqual(normalizeS(overflow), overflow);
  });
});

describe('encodeDer', () => {
  it('emits minimal DER with sign padding', () => {
    assert.equal(toHex(encodeDer(compact(1n, 2n))), '3006020101020102');
    assert.equal(toHex(encodeDer(compact(0x80n, 0x7fn))), '30070202008002017f');
    assert.equal(toHex(encodeDer(compact(0n, 0n))), '3006020100020100');
    assert.throws(() => encodeDer(new Uint8Array(63)), RangeError);
  });
});
