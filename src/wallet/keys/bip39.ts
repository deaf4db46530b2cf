/**
 * BIP39 mnemonic sentences: entropy <-> words with a SHA-256 checksum, and the sentence -> seed
 * stretch (PBKDF2-HMAC-SHA512, 2,048 rounds, salt "mnemonic" + passphrase, both NFKD).
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { sha256 } from '../../crypto/hash.js';
import { BIP39_ENGLISH } from './bip39-english.js';
import { wipe } from './secret.js';

export type MnemonicErrorCode = 'bad-entropy' | 'bad-word-count' | 'unknown-word' | 'bad-checksum';

/** Why a sentence is not a valid BIP39 mnemonic; `message` is written for the person typing it. */
export class MnemonicError extends Error {
  override readonly name = 'MnemonicError';
  constructor(
    readonly code: MnemonicErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** BIP39: ENT is 128..256 bits in steps of 32, giving 12, 15, 18, 21 or 24 words. */
const ENTROPY_BYTES = [16, 20, 24, 28, 32] as const;
const WORD_COUNTS = [12, 15, 18, 21, 24] as const;
/** BIP39: "The iteration count is set to 2048 and HMAC-SHA512 is used". */
const PBKDF2_ROUNDS = 2048;
const SEED_BYTES = 64;

if (BIP39_ENGLISH.length !== 2048) throw new Error('BIP39 English word list must hold 2,048 words');
const ENGLISH_INDEX = new Map<string, number>(BIP39_ENGLISH.map((w, i) => [w, i]));

/**
 * Bits of `bytes` as 0/1 values, most significant first. The array holds secret material and is
 * wiped by its callers.
 */
function toBits(bytes: Uint8Array, bitCount: number): Uint8Array {
  const bits = new Uint8Array(bitCount);
  for (let i = 0; i < bitCount; i++) bits[i] = (bytes[i >> 3]! >> (7 - (i & 7))) & 1;
  return bits;
}

/** Entropy -> mnemonic: entropy bits, then ENT/32 checksum bits of SHA256(entropy), 11 bits a word. */
export function entropyToMnemonic(entropy: Uint8Array, wordlist: readonly string[] = BIP39_ENGLISH): string {
  if (!(ENTROPY_BYTES as readonly number[]).includes(entropy.length)) {
    throw new MnemonicError(
      'bad-entropy',
      `entropy must be 16, 20, 24, 28 or 32 bytes, got ${entropy.length}`,
    );
  }
  const ent = entropy.length * 8;
  const checksumBits = ent / 32;
  const hash = sha256(entropy);
  const bits = new Uint8Array(ent + checksumBits);
  const entropyBits = toBits(entropy, ent);
  const hashBits = toBits(hash, checksumBits);
  bits.set(entropyBits, 0);
  bits.set(hashBits, ent);
  wipe(hash, entropyBits, hashBits);
  const words: string[] = [];
  for (let w = 0; w < bits.length / 11; w++) {
    let index = 0;
    for (let b = 0; b < 11; b++) index = (index << 1) | bits[w * 11 + b]!;
    words.push(wordlist[index]!);
  }
  wipe(bits);
  return words.join(' ');
}

/**
 * The words of a sentence as a person may have typed it: NFKD (BIP39 defines the words in NFKD),
 * surrounding whitespace trimmed, runs of whitespace taken as one separator.
 */
function splitWords(mnemonic: string): string[] {
  const trimmed = mnemonic.normalize('NFKD').trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/** Mnemonic -> entropy, checking word count, every word and the checksum, each with its own error. */
export function mnemonicToEntropy(mnemonic: string, wordlist: readonly string[] = BIP39_ENGLISH): Uint8Array {
  const words = splitWords(mnemonic);
  if (!(WORD_COUNTS as readonly number[]).includes(words.length)) {
    throw new MnemonicError(
      'bad-word-count',
      `a mnemonic has 12, 15, 18, 21 or 24 words, this one has ${words.length}`,
    );
  }
  const index = wordlist === BIP39_ENGLISH ? ENGLISH_INDEX : new Map(wordlist.map((w, i) => [w, i]));
  const bits = new Uint8Array(words.length * 11);
  words.forEach((word, position) => {
    const value = index.get(word);
    if (value === undefined) {
      wipe(bits);
      // The position, not the word: the error may be logged, and the word is part of a secret.
      throw new MnemonicError('unknown-word', `word ${position + 1} is not in the BIP39 English word list`);
    }
    for (let b = 0; b < 11; b++) bits[position * 11 + b] = (value >> (10 - b)) & 1;
  });
  const checksumBits = words.length / 3; // ENT + ENT/32 = 11 * words, so CS = words / 3
  const ent = bits.length - checksumBits;
  const entropy = new Uint8Array(ent / 8);
  for (let i = 0; i < ent; i++) entropy[i >> 3]! |= bits[i]! << (7 - (i & 7));
  const expected = toBits(sha256(entropy), checksumBits);
  let ok = true;
  for (let i = 0; i < checksumBits; i++) if (bits[ent + i] !== expected[i]) ok = false;
  wipe(bits, expected);
  if (!ok) {
    wipe(entropy);
    throw new MnemonicError(
      'bad-checksum',
      'the mnemonic checksum does not match: a word is wrong or the words are out of order',
    );
  }
  return entropy;
}

/** Whether `mnemonic` is a valid BIP39 sentence (word count, words and checksum). */
export function validateMnemonic(mnemonic: string, wordlist: readonly string[] = BIP39_ENGLISH): boolean {
  try {
    wipe(mnemonicToEntropy(mnemonic, wordlist));
    return true;
  } catch (e) {
    if (e instanceof MnemonicError) return false;
    throw e;
  }
}

/** A fresh mnemonic from the OS CSPRNG; 256 bits (24 words) by default, as BIP32 advises. */
export function generateMnemonic(strengthBits: 128 | 160 | 192 | 224 | 256 = 256): string {
  const entropy = randomBytes(strengthBits / 8);
  try {
    return entropyToMnemonic(entropy);
  } finally {
    wipe(entropy);
  }
}

export interface MnemonicToSeedOptions {
  /**
   * Check word list and checksum first (default true). BIP39 defines the seed of any sentence but
   * tells software to check and warn; a wallet restoring from a mistyped sentence would otherwise
   * open an empty wallet without a word. `false` is for sentences known to come from elsewhere.
   */
  readonly validate?: boolean;
}

/**
 * BIP39 seed: PBKDF2-HMAC-SHA512(password = NFKD(sentence), salt = "mnemonic" + NFKD(passphrase),
 * 2,048 rounds, 64 bytes). The sentence is used in its canonical form, words joined by single
 * spaces, so stray whitespace in what someone typed cannot change the seed.
 */
export function mnemonicToSeed(
  mnemonic: string,
  passphrase = '',
  options: MnemonicToSeedOptions = {},
): Uint8Array {
  if (options.validate ?? true) wipe(mnemonicToEntropy(mnemonic));
  const password = Buffer.from(splitWords(mnemonic).join(' '), 'utf8');
  const salt = Buffer.from(`mnemonic${passphrase.normalize('NFKD')}`, 'utf8');
  const seed = pbkdf2Sync(password, salt, PBKDF2_ROUNDS, SEED_BYTES, 'sha512');
  wipe(password, salt);
  return new Uint8Array(seed.buffer, seed.byteOffset, seed.byteLength);
}
