import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64, encodeBase64 } from '../../src/encoding/base64.js';
import { utf8 } from '../../src/encoding/bytes.js';

const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('latin1'));

describe("base64 as Core's EncodeBase64/DecodeBase64", () => {
  it("round-trips RFC 4648's test vectors (Core's util_tests base64 cases)", () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      assert.equal(encodeBase64(utf8(plain)), encoded);
      assert.equal(text(decodeBase64(encoded)), plain);
    }
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes);
    }
  });

  it('refuses what Buffer would quietly accept', () => {
    // Core: length not a multiple of 4, a character outside the alphabet, '=' inside the text,
    // three '=', a lone leftover character, and non-zero padding bits are all malformed.
    for (const bad of [
      'Zg',
      'Zg=',
      'Zm9v\n',
      'Zm 9v',
      'Zm9v!A==',
      'Z=9v',
      'Zg===',
      'Z===',
      'Zh==',
      'Zm9=',
      'Zm-_',
      'Zm9vYg==Zm9v',
      'invalid signature, not in base64 encoding',
      '\u00e9\u00e9\u00e9\u00e9',
    ]) {
      assert.equal(decodeBase64(bad), null, JSON.stringify(bad));
    }
  });
});
