import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { fromHex, toHex } from '../../../src/encoding/hex.js';
import {
  BIP39_ENGLISH,
  entropyToMnemonic,
  generateMnemonic,
  HDKey,
  MnemonicError,
  mnemonicToEntropy,
  mnemonicToSeed,
  validateMnemonic,
} from '../../../src/wallet/keys/index.js';
import { readShared, readSharedJson } from '../../support/shared.js';

/** [entropy hex, mnemonic, passphrase, seed hex, BIP32 master xprv] */
type Bip39Vector = [string, string, string, string, string];
const vectors = readSharedJson<Bip39Vector[]>('vectors', 'bip', 'bip39-english.json');

const code = (c: string) => (e: unknown) => e instanceof MnemonicError && e.code === c;

describe('BIP39 vectors (../shared/vectors/bip/bip39-english.json)', () => {
  it('entropy -> mnemonic -> seed ("TREZOR") -> xprv for all 24 vectors', () => {
    assert.equal(vectors.length, 24);
    let checked = 0;
    for (const [entropyHex, mnemonic, passphrase, seedHex, xprv] of vectors) {
      assert.equal(passphrase, 'TREZOR');
      const entropy = fromHex(entropyHex);
      assert.equal(entropyToMnemonic(entropy), mnemonic);
      assert.equal(toHex(mnemonicToEntropy(mnemonic)), entropyHex);
      const seed = mnemonicToSeed(mnemonic, passphrase);
      assert.equal(toHex(seed), seedHex);
      assert.equal(HDKey.fromSeed(seed).toBase58(mainnet), xprv);
      checked++;
    }
    assert.equal(checked, 24);
  });
});

describe('BIP39 English word list', () => {
  it('embedded list equals ../shared/vectors/bip/bip39-wordlist-english.txt', () => {
    const shared = new TextDecoder().decode(readShared('vectors', 'bip', 'bip39-wordlist-english.txt'));
    assert.deepEqual(
      [...BIP39_ENGLISH],
      shared.split('\n').filter((w) => w !== ''),
    );
    assert.equal(BIP39_ENGLISH.length, 2048);
    assert.ok(Object.isFrozen(BIP39_ENGLISH));
  });
});

describe('mnemonic validation', () => {
  const valid =
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

  it('rejects bad word counts, unknown words and bad checksums with their own errors', () => {
    assert.throws(() => mnemonicToEntropy(''), code('bad-word-count'));
    assert.throws(() => mnemonicToEntropy('abandon '.repeat(11)), code('bad-word-count'));
    assert.throws(() => mnemonicToEntropy('abandon '.repeat(13)), code('bad-word-count'));
    // 12 known words whose checksum is wrong (the last word should be "about").
    assert.throws(() => mnemonicToEntropy('abandon '.repeat(12)), code('bad-checksum'));
    assert.throws(() => mnemonicToEntropy(valid.replace('about', 'abandon')), code('bad-checksum'));
    assert.throws(
      () => mnemonicToEntropy(valid.replace('about', 'aboutt')),
      (e: unknown) => code('unknown-word')(e) && /word 12 /.test((e as Error).message),
    );
    // Exact words only: the list is lowercase, and an error never echoes the (secret) word.
    assert.throws(
      () => mnemonicToEntropy(valid.replace('about', 'About')),
      (e: unknown) => code('unknown-word')(e) && !(e as Error).message.includes('About'),
    );
    assert.equal(validateMnemonic(valid), true);
    assert.equal(validateMnemonic(valid.replace('about', 'abandon')), false);
    for (const n of [0, 15, 17, 33, 64]) {
      assert.throws(() => entropyToMnemonic(new Uint8Array(n)), code('bad-entropy'));
    }
  });

  it('reads typed whitespace canonically, so it cannot change the seed', () => {
    const messy = `  ${valid.split(' ').join('  \t')}\n`;
    assert.deepEqual(mnemonicToEntropy(messy), new Uint8Array(16));
    assert.deepEqual(mnemonicToSeed(messy, 'TREZOR'), mnemonicToSeed(valid, 'TREZOR'));
    assert.equal(toHex(mnemonicToSeed(valid, 'TREZOR')), vectors[0]![3]);
  });

  it('normalises the passphrase to NFKD (BIP39), so composed and decomposed forms agree', () => {
    const composed = 'caf\u00e9'; // é as one code point (NFC)
    const decomposed = 'cafe\u0301'; // e + combining acute (NFD)
    assert.notEqual(composed, decomposed);
    assert.deepEqual(mnemonicToSeed(valid, composed), mnemonicToSeed(valid, decomposed));
    assert.notDeepEqual(mnemonicToSeed(valid, composed), mnemonicToSeed(valid, 'cafe'));
  });

  it('round-trips any entropy of a BIP39 length, and generates valid sentences', () => {
    const lengths = [16, 20, 24, 28, 32];
    fc.assert(
      fc.property(
        fc.constantFrom(...lengths).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        (e) => {
          const words = entropyToMnemonic(e);
          assert.equal(words.split(' ').length, (e.length * 8 + e.length / 4) / 11);
          assert.deepEqual(mnemonicToEntropy(words), e);
        },
      ),
      { numRuns: 200 },
    );
    for (const [bits, words] of [
      [128, 12],
      [160, 15],
      [192, 18],
      [224, 21],
      [256, 24],
    ] as const) {
      const m = generateMnemonic(bits);
      assert.equal(m.split(' ').length, words);
      assert.ok(validateMnemonic(m));
    }
    assert.equal(generateMnemonic().split(' ').length, 24);
    assert.notEqual(generateMnemonic(), generateMnemonic());
  });
});
