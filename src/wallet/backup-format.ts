/**
 * The single-file wallet backup (backupwallet / restorewallet). Core's backup is one file (a copy
 * of the SQLite database); Tally's wallet is a LevelDB directory plus a keystore file, so the
 * backup is a small versioned container of both:
 *
 *   magic       8 bytes  "TALLYWBK"
 *   version     u8       BACKUP_VERSION
 *   network     varstr   the network the wallet belongs to (restore refuses another)
 *   wallet      varstr   name of the wallet backed up (informational: restore picks a new name)
 *   keystore    u8 flag, then varbytes: the keystore file byte for byte (encrypted when the wallet
 *                        is; absent for wallets without private keys)
 *   entries     compactSize count, then each: varbytes key, varbytes value (the database records,
 *                        layout.ts, in key order)
 *   checksum    32 bytes SHA256 of everything before it (a truncated or damaged copy is refused)
 *
 * The database never holds secrets (layout.ts) and the keystore is copied as it is on disk, so a
 * backup of an encrypted wallet holds no plaintext secret. A backup of an unencrypted wallet holds
 * what its directory holds, as Core's does.
 */
import { sha256 } from '../crypto/hash.js';
import { equalBytes } from '../encoding/bytes.js';
import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';

export const BACKUP_MAGIC = 'TALLYWBK';
export const BACKUP_VERSION = 1;
/** Entries and single values well beyond any real wallet's (a 100,000-tx wallet has 100,000 't' rows). */
const MAX_ENTRIES = 50_000_000;
const MAX_VALUE = 64 * 1024 * 1024;

export interface WalletBackup {
  readonly network: string;
  readonly walletName: string;
  readonly keystore: Uint8Array | undefined;
  readonly entries: readonly (readonly [Uint8Array, Uint8Array])[];
}

export class BackupFormatError extends Error {
  override readonly name = 'BackupFormatError';
}

export function encodeBackup(b: WalletBackup): Uint8Array {
  const w = new BufferWriter(1024);
  w.bytes(new TextEncoder().encode(BACKUP_MAGIC)).u8(BACKUP_VERSION);
  w.varBytes(new TextEncoder().encode(b.network));
  w.varBytes(new TextEncoder().encode(b.walletName));
  if (b.keystore === undefined) w.u8(0);
  else w.u8(1).varBytes(b.keystore);
  w.compactSize(b.entries.length);
  for (const [key, value] of b.entries) w.varBytes(key).varBytes(value);
  const body = w.finish();
  const out = new Uint8Array(body.length + 32);
  out.set(body, 0);
  out.set(sha256(body), body.length);
  return out;
}

export function decodeBackup(bytes: Uint8Array): WalletBackup {
  const magic = new TextEncoder().encode(BACKUP_MAGIC);
  if (bytes.length < magic.length + 1 + 32 || !equalBytes(bytes.subarray(0, magic.length), magic)) {
    throw new BackupFormatError('not a Tally wallet backup');
  }
  const body = bytes.subarray(0, bytes.length - 32);
  if (!equalBytes(sha256(body), bytes.subarray(bytes.length - 32))) {
    throw new BackupFormatError('checksum mismatch (truncated or damaged)');
  }
  const r = new BufferReader(body);
  r.bytes(magic.length);
  const version = r.u8();
  if (version !== BACKUP_VERSION) throw new BackupFormatError(`unsupported backup version ${version}`);
  try {
    const text = (): string => new TextDecoder('utf-8', { fatal: true }).decode(r.varBytes());
    const network = text();
    const walletName = text();
    const flag = r.u8();
    if (flag > 1) throw new BackupFormatError('bad keystore flag');
    const keystore = flag === 1 ? r.bytesCopy(r.compactSize(MAX_VALUE)) : undefined;
    const count = r.compactSize(MAX_ENTRIES);
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < count; i++) {
      const key = r.bytesCopy(r.compactSize(MAX_VALUE));
      entries.push([key, r.bytesCopy(r.compactSize(MAX_VALUE))]);
    }
    r.end();
    return { network, walletName, keystore, entries };
  } catch (e) {
    if (e instanceof BackupFormatError) throw e;
    throw new BackupFormatError(`malformed backup: ${e instanceof Error ? e.message : String(e)}`);
  }
}
