import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../../src/crypto/hash.js';
import { generateMnemonic, mnemonicToSeed } from '../../../src/wallet/keys/bip39.js';
import type { ScryptParams } from '../../../src/wallet/keystore/index.js';
import { WalletSecrets } from '../../../src/wallet/keystore/index.js';

/** The smallest cost the keystore accepts (~1 ms), so tests do not spend 200 ms per derivation. */
export const FAST_KDF: ScryptParams = { log2N: 10, r: 8, p: 1 };

export const PASSPHRASE = 'correct horse battery staple';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tally-keystore-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Fresh secrets plus copies of their plaintext, for comparisons and for scanning files. */
export function sampleSecrets(): {
  secrets: WalletSecrets;
  mnemonic: string;
  seed: Uint8Array;
  imported: Uint8Array;
} {
  const mnemonic = generateMnemonic(256);
  const seed = mnemonicToSeed(mnemonic);
  const imported = Uint8Array.from(randomBytes(32));
  imported[0] = 0x01; // keep it below n
  const secrets = new WalletSecrets({
    seed,
    mnemonic,
    importedKeys: [{ privateKey: imported, compressed: true }],
  });
  return { secrets, mnemonic, seed: seed.slice(), imported: imported.slice() };
}

export const fileMode = (path: string): number => statSync(path).mode & 0o777;

export const readBytes = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

/** Files in `dir` other than `keep`: a leftover temporary file would show up here. */
export const strayFiles = (dir: string, keep: string): string[] => readdirSync(dir).filter((f) => f !== keep);

/** Whether `needle` occurs anywhere in `haystack`. */
export function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).indexOf(Buffer.from(needle)) !== -1;
}

/**
 * Edits one byte of a keystore file and, unless `keepChecksum`, recomputes the trailing SHA-256 as
 * a deliberate attacker would, so that the edit reaches the authenticated checks.
 */
export function tamper(path: string, offset: number, keepChecksum = false): void {
  const bytes = readBytes(path);
  const at = offset < 0 ? bytes.length + offset : offset;
  bytes[at]! ^= 0x01;
  if (!keepChecksum) bytes.set(sha256(bytes.subarray(0, bytes.length - 32)), bytes.length - 32);
  writeFileSync(path, bytes);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
