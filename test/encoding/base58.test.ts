import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  base58CheckDecode,
  base58CheckEncode,
  base58Decode,
  base58Encode,
  DecodeError,
  fromHex,
  toHex,
} from '../../src/encoding/index.js';

// Bitcoin Core src/test/data/base58_encode_decode.json (MIT): [hex, base58].
const CORE_VECTORS: [string, string][] = [
  ['', ''],
  ['61', '2g'],
  ['626262', 'a3gV'],
  ['636363', 'aPEr'],
  ['73696d706c792061206c6f6e6720737472696e67', '2cFupjhnEsSn59qHXstmK2ffpLv2'],
  ['00eb15231dfceb60925886b67d065299925915aeb172c06647', '1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L'],
  ['516b6fcd0f', 'ABnLTmg'],
  ['bf4f89001e670274dd', '3SEo3LWLoPntC'],
  ['572e4794', '3EFU7m'],
  ['ecac89cad93923c02321', 'EJDM8drfXA6uyA'],
  ['10c8511e', 'Rt5zm'],
  ['00000000000000000000', '1111111111'],
  [
    '00000000000000000000000000000000000000000000000000000000000000000000000000000001',
    '1111111111111111111111111111111111111112',
  ],
  [
    '000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5',
    '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz',
  ],
  // 86 zero bytes then 12 bytes: leading zeros and a non-zero tail in one string.
  [`${'00'.repeat(86)}ec39d04c37e71e5d591881f6`, `${'1'.repeat(86)}5TYzLYH1udmLdzCLM`],
  ['271f359e', 'zzzzy'],
  ['271f359f', 'zzzzz'],
  ['271f35a0', '211111'],
  ['271f35a1', '211112'],
];

const isDecodeError = (code: string) => (e: unknown) => e instanceof DecodeError && e.code === code;

describe('base58', () => {
  it("encodes and decodes Core's vectors", () => {
    for (const [hex, b58] of CORE_VECTORS) {
      assert.equal(base58Encode(fromHex(hex)), b58, hex);
      assert.equal(toHex(base58Decode(b58)), hex, b58);
    }
  });

  it('encodes all 256 byte values (the long Core vector) and back', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = base58Encode(all);
    assert.ok(
      text.startsWith('1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3mdY'),
    );
    assert.ok(text.endsWith('rjeshsWQwpZsZGzvbdAdN8MKV5QsBDY'));
    assert.deepEqual(base58Decode(text), all);
  });

  it('keeps each leading zero byte as a leading 1', () => {
    assert.equal(base58Encode(new Uint8Array(3)), '111');
    assert.deepEqual(base58Decode('111'), new Uint8Array(3));
    assert.equal(base58Encode(fromHex('000001')), '112');
  });

  it('rejects characters outside the alphabet with bad-base58', () => {
    for (const bad of ['0', 'O', 'I', 'l', '3SEo3LWLoPntC ', ' 3SEo', '3SE\u00e9', 'a+b', '\u0000']) {
      assert.throws(() => base58Decode(bad), isDecodeError('bad-base58'), JSON.stringify(bad));
    }
  });

  it('round-trips random bytes, leading zeros included (property)', () => {
    const bytes = fc.tuple(fc.nat({ max: 5 }), fc.uint8Array({ maxLength: 80 }));
    fc.assert(
      fc.property(bytes, ([zeros, rest]) => {
        const data = new Uint8Array(zeros + rest.length);
        data.set(rest, zeros);
        const text = base58Encode(data);
        assert.match(text, /^[1-9A-HJ-NP-Za-km-z]*$/);
        assert.deepEqual(base58Decode(text), data);
      }),
    );
  });

  it('decode then encode is the identity on valid strings (property)', () => {
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    const text = fc
      .array(fc.integer({ min: 0, max: 57 }), { maxLength: 60 })
      .map((ds) => ds.map((d) => alphabet[d]).join(''));
    fc.assert(fc.property(text, (s) => assert.equal(base58Encode(base58Decode(s)), s)));
  });
});

describe('base58check', () => {
  // The genesis coinbase's P2PKH address: version 0x00 + hash160 of Satoshi's key.
  const GENESIS_ADDRESS = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
  const GENESIS_PAYLOAD = '0062e907b15cbf27d5425399ebf6f0fb50ebb88f18';

  it('encodes and decodes a known address', () => {
    assert.equal(base58CheckEncode(fromHex(GENESIS_PAYLOAD)), GENESIS_ADDRESS);
    assert.equal(toHex(base58CheckDecode(GENESIS_ADDRESS)), GENESIS_PAYLOAD);
    // Core's base58_tests: "3vQB7B6MrGQZaxCuFg4oh" is Base58Check of "hello world".
    assert.equal(base58CheckEncode(new TextEncoder().encode('hello world')), '3vQB7B6MrGQZaxCuFg4oh');
  });

  it('rejects a corrupted checksum with bad-checksum', () => {
    assert.throws(
      () => base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'),
      isDecodeError('bad-checksum'),
    );
    assert.throws(() => base58CheckDecode('3vQB7B6MrGQZaxCuFg4oi'), isDecodeError('bad-checksum'));
  });

  it('rejects strings too short to hold a checksum', () => {
    for (const s of ['', '1', '111', 'zzzzy']) {
      assert.throws(() => base58CheckDecode(s), isDecodeError('bad-checksum'), s);
    }
  });

  it('round-trips and detects any single changed character (property)', () => {
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 57 }),
        (payload, at, shift) => {
          const text = base58CheckEncode(payload);
          assert.deepEqual(base58CheckDecode(text), payload);
          const i = at % text.length;
          const changed = alphabet[(alphabet.indexOf(text[i]!) + shift) % 58]!;
          const mutated = text.slice(0, i) + changed + text.slice(i + 1);
          // A changed digit changes the number; the 32-bit checksum catches it (or, at the top digit,
          // the length changes): either way it must not decode to the same payload.
          let decoded: Uint8Array | undefined;
          try {
            decoded = base58CheckDecode(mutated);
          } catch (e) {
            assert.ok(e instanceof DecodeError);
          }
          if (decoded !== undefined) assert.notDeepEqual(decoded, payload);
        },
      ),
    );
  });
});
