import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  bech32Decode,
  bech32Encode,
  convertBits,
  DecodeError,
  decodeSegwitAddress,
  encodeSegwitAddress,
  fromHex,
  toHex,
} from '../../src/encoding/index.js';

// Test vectors typed from the BIP173 and BIP350 texts (bitcoin/bips, BSD-2-Clause).

const VALID_BECH32 = [
  'A12UEL5L',
  'a12uel5l',
  'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
  'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
  `11${'q'.repeat(82)}c8247j`,
  'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
  '?1ezyfcl',
];

const VALID_BECH32M = [
  'A1LQFN3A',
  'a1lqfn3a',
  'an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6',
  'abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx',
  `11${'l'.repeat(82)}ludsr8`,
  'split1checkupstagehandshakeupstreamerranterredcaperredlc445v',
  '?1v759aa',
];

/** [string, reason given by the BIP, the message our decoder must give]. */
const INVALID_BECH32: [string, string, RegExp][] = [
  // BIP173
  ['\x201nwldj5', 'HRP character out of range', /out of range/],
  ['\x7f1axkwrx', 'HRP character out of range', /out of range/],
  ['\x801eym55h', 'HRP character out of range', /out of range/],
  [
    'an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx',
    'overall max length exceeded',
    /too long/,
  ],
  ['pzry9x0s0muk', 'No separator character', /no separator/],
  ['1pzry9x0s0muk', 'Empty HRP', /empty human-readable part/],
  ['x1b4n0q5v', 'Invalid data character', /invalid data character/],
  ['li1dgmt3', 'Too short checksum', /checksum too short/],
  ['de1lg7wt\xff', 'Invalid character in checksum', /out of range/],
  ['A1G7SGD8', 'checksum calculated with uppercase form of HRP', /invalid checksum/],
  ['10a06t8', 'empty HRP', /empty human-readable part/],
  ['1qzzfhee', 'empty HRP', /empty human-readable part/],
  // BIP350
  ['\x201xj0phk', 'HRP character out of range', /out of range/],
  ['\x7f1g6xzxy', 'HRP character out of range', /out of range/],
  ['\x801vctc34', 'HRP character out of range', /out of range/],
  [
    'an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4',
    'overall max length exceeded',
    /too long/,
  ],
  ['qyrz8wqd2c9m', 'No separator character', /no separator/],
  ['1qyrz8wqd2c9m', 'Empty HRP', /empty human-readable part/],
  ['y1b0jsk6g', 'Invalid data character', /invalid data character/],
  ['lt1igcx5c0', 'Invalid data character', /invalid data character/],
  ['in1muywd', 'Too short checksum', /checksum too short/],
  ['mm1crxm3i', 'Invalid character in checksum', /invalid data character/],
  ['au1s5cgom', 'Invalid character in checksum', /invalid data character/],
  ['M1VUXWEZ', 'checksum calculated with uppercase form of HRP', /invalid checksum/],
  ['16plkw9', 'empty HRP', /empty human-readable part/],
  ['1p2gdwpf', 'empty HRP', /empty human-readable part/],
];

/** BIP350's valid segwit addresses and their scriptPubKeys (BIP173's v0 ones are among them). */
const VALID_ADDRESSES: [string, string][] = [
  ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', '0014751e76e8199196d454941c45d1b3a323f1433bd6'],
  [
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
  ],
  [
    'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
    '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6',
  ],
  ['BC1SW50QGDZ25J', '6002751e'],
  ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', '5210751e76e8199196d454941c45d1b3a323'],
  [
    'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
    '0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
  ],
  [
    'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
    '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
  ],
  [
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
  ],
];

/** BIP173's v1+ examples: valid Bech32 strings that BIP350 since made invalid addresses (v1+ needs Bech32m). */
const BIP173_V1_PLUS: [string, string][] = [
  [
    'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx',
    '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6',
  ],
  ['BC1SW50QA3JX3S', '6002751e'],
  ['bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj', '5210751e76e8199196d454941c45d1b3a323'],
];

const INVALID_ADDRESSES: [string, string, RegExp][] = [
  // BIP173
  ['tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty', 'Invalid human-readable part', /mismatch/],
  ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'Invalid checksum', /invalid checksum/],
  ['BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2', 'Invalid witness version', /witness version/],
  ['bc1rw5uspcuh', 'Invalid program length', /program length/],
  [
    'bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90',
    'Invalid program length',
    /program length/,
  ],
  ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'Invalid program length for witness version 0', /witness v0/],
  ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7', 'Mixed case', /mixed case/],
  ['bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du', 'zero padding of more than 4 bits', /excess padding/],
  [
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv',
    'Non-zero padding in 8-to-5 conversion',
    /non-zero padding/,
  ],
  ['bc1gmk9yu', 'Empty data section', /empty data section/],
  // BIP350
  [
    'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut',
    'Invalid human-readable part',
    /mismatch/,
  ],
  [
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
    'Invalid checksum (Bech32 instead of Bech32m)',
    /requires bech32m/,
  ],
  [
    'tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf',
    'Invalid checksum (Bech32 instead of Bech32m)',
    /requires bech32m/,
  ],
  [
    'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL',
    'Invalid checksum (Bech32 instead of Bech32m)',
    /requires bech32m/,
  ],
  [
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh',
    'Invalid checksum (Bech32m instead of Bech32)',
    /requires bech32$/,
  ],
  [
    'tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47',
    'Invalid checksum (Bech32m instead of Bech32)',
    /requires bech32$/,
  ],
  [
    'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4',
    'Invalid character in checksum',
    /invalid data character/,
  ],
  [
    'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R',
    'Invalid witness version',
    /witness version/,
  ],
  ['bc1pw5dgrnzv', 'Invalid program length (1 byte)', /program length/],
  [
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
    'Invalid program length (41 bytes)',
    /program length/,
  ],
  ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'Invalid program length for witness version 0', /witness v0/],
  ['tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq', 'Mixed case', /mixed case/],
  [
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf',
    'zero padding of more than 4 bits',
    /excess padding/,
  ],
  [
    'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j',
    'Non-zero padding in 8-to-5 conversion',
    /non-zero padding/,
  ],
  ['bc1gmk9yu', 'Empty data section', /empty data section/],
];

const badBech32 = (message: RegExp) => (e: unknown) =>
  e instanceof DecodeError && e.code === 'bad-bech32' && message.test(e.message);

const hrpOf = (address: string): string => (address.toLowerCase().startsWith('tb1') ? 'tb' : 'bc');

/** BIP141 scriptPubKey of a witness program: OP_n (0x00, 0x51..0x60), then a push of the program. */
function witnessScript(version: number, program: Uint8Array): string {
  const op = version === 0 ? 0 : 0x50 + version;
  return toHex(Uint8Array.of(op, program.length, ...program));
}

describe('bech32 / bech32m strings', () => {
  it('accepts the BIP173 valid strings as bech32 and the BIP350 ones as bech32m', () => {
    for (const [list, variant] of [
      [VALID_BECH32, 'bech32'],
      [VALID_BECH32M, 'bech32m'],
    ] as const) {
      for (const s of list) {
        const d = bech32Decode(s);
        assert.equal(d.variant, variant, s);
        // Re-encoding gives the lower-case form: encoders must output lower case (BIP173).
        assert.equal(bech32Encode(d.hrp, d.words, d.variant), s.toLowerCase(), s);
      }
    }
  });

  it('rejects each invalid string of both BIPs for the reason given', () => {
    for (const [s, reason, message] of INVALID_BECH32) {
      assert.throws(() => bech32Decode(s), badBech32(message), `${JSON.stringify(s)}: ${reason}`);
    }
  });

  it('honours a raised length limit', () => {
    const long = bech32Encode('x', new Array(100).fill(3), 'bech32m', 200);
    assert.throws(() => bech32Decode(long), badBech32(/too long/));
    assert.equal(bech32Decode(long, 200).words.length, 100);
  });

  it('round-trips random HRPs and words, and catches any single substitution (property)', () => {
    const hrp = fc.stringMatching(/^[!-~]{1,10}$/);
    const words = fc.array(fc.integer({ min: 0, max: 31 }), { maxLength: 60 });
    const variant = fc.constantFrom('bech32' as const, 'bech32m' as const);
    fc.assert(
      fc.property(hrp, words, variant, fc.nat(), fc.integer({ min: 1, max: 31 }), (h, w, v, at, delta) => {
        const s = bech32Encode(h, w, v);
        const d = bech32Decode(s);
        assert.deepEqual(d, { hrp: h.toLowerCase(), words: w, variant: v });
        // BCH guarantee: every error touching at most 4 characters of the data part is detected.
        const charset = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
        const i = s.lastIndexOf('1') + 1 + (at % (w.length + 6));
        const swapped = charset[(charset.indexOf(s[i]!) + delta) % 32]!;
        assert.throws(() => bech32Decode(s.slice(0, i) + swapped + s.slice(i + 1)), DecodeError);
      }),
    );
  });
});

describe('convertBits', () => {
  it('round-trips bytes through 5-bit groups (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const words = convertBits(bytes, 8, 5, true);
        assert.equal(words.length, Math.ceil((bytes.length * 8) / 5));
        assert.deepEqual(Uint8Array.from(convertBits(words, 5, 8, false)), bytes);
      }),
    );
  });

  it('rejects out-of-range input values', () => {
    assert.throws(() => convertBits([32], 5, 8, true), badBech32(/out of range/));
    assert.throws(() => convertBits([256], 8, 5, true), badBech32(/out of range/));
    assert.throws(() => convertBits([2 ** 32], 8, 5, true), badBech32(/out of range/));
    assert.throws(() => convertBits([-1], 8, 5, true), badBech32(/out of range/));
  });
});

describe('segwit addresses (BIP173 + BIP350)', () => {
  it('decodes every valid address to its scriptPubKey and re-encodes it', () => {
    for (const [address, script] of VALID_ADDRESSES) {
      const hrp = hrpOf(address);
      const { version, program } = decodeSegwitAddress(hrp, address);
      assert.equal(witnessScript(version, program), script, address);
      assert.equal(encodeSegwitAddress(hrp, version, program), address.toLowerCase());
    }
  });

  it("refuses BIP173's v1+ Bech32 examples, which BIP350 replaced with Bech32m", () => {
    for (const [address, script] of BIP173_V1_PLUS) {
      const d = bech32Decode(address);
      assert.equal(d.variant, 'bech32');
      const [version, ...rest] = d.words;
      assert.equal(witnessScript(version!, Uint8Array.from(convertBits(rest, 5, 8, false))), script);
      assert.throws(() => decodeSegwitAddress('bc', address), badBech32(/requires bech32m/), address);
    }
  });

  it('rejects each invalid address of both BIPs for the reason given', () => {
    for (const [address, reason, message] of INVALID_ADDRESSES) {
      for (const hrp of ['bc', 'tb']) {
        const expected = /mismatch/.test(message.source) || hrp === hrpOf(address) ? message : /./;
        assert.throws(() => decodeSegwitAddress(hrp, address), badBech32(expected), `${address}: ${reason}`);
      }
    }
  });

  it('refuses to encode what it would refuse to decode', () => {
    assert.throws(() => encodeSegwitAddress('bc', 0, new Uint8Array(21)), badBech32(/witness v0/));
    assert.throws(() => encodeSegwitAddress('bc', 1, new Uint8Array(1)), badBech32(/program length/));
    assert.throws(() => encodeSegwitAddress('bc', 1, new Uint8Array(41)), badBech32(/program length/));
    assert.throws(() => encodeSegwitAddress('bc', 17, new Uint8Array(32)), badBech32(/witness version/));
  });

  it('matches the HRP case-insensitively, since the decoded HRP is always lower case', () => {
    const address = 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4';
    assert.equal(
      toHex(decodeSegwitAddress('BC', address).program),
      '751e76e8199196d454941c45d1b3a323f1433bd6',
    );
    assert.deepEqual(
      decodeSegwitAddress('bc', address).program,
      fromHex('751e76e8199196d454941c45d1b3a323f1433bd6'),
    );
  });

  it('round-trips every version and length, and uses the variant BIP350 assigns (property)', () => {
    const versionAndLength = fc.oneof(
      fc.tuple(fc.constant(0), fc.constantFrom(20, 32)),
      fc.tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 2, max: 40 })),
    );
    const arb = versionAndLength.chain(([v, n]) =>
      fc.tuple(
        fc.constant(v),
        fc.uint8Array({ minLength: n, maxLength: n }),
        fc.constantFrom('bc', 'tb', 'bcrt'),
      ),
    );
    fc.assert(
      fc.property(arb, ([version, program, hrp]) => {
        const address = encodeSegwitAddress(hrp, version, program);
        assert.equal(bech32Decode(address).variant, version === 0 ? 'bech32' : 'bech32m');
        assert.deepEqual(decodeSegwitAddress(hrp, address), { version, program });
        assert.deepEqual(decodeSegwitAddress(hrp, address.toUpperCase()), { version, program });
      }),
    );
  });
});
