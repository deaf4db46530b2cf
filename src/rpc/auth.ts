import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NetworkName } from '../consensus/params.js';

/**
 * RPC authentication as bitcoind does it (httprpc.cpp, rpc/request.cpp): HTTP Basic credentials
 * checked against salted HMAC-SHA256 hashes. The cookie, rpcuser/rpcpassword and every rpcauth line
 * all become one `user:salt$hash` record, so one constant-time check serves them all and plaintext
 * passwords are not kept in memory longer than start-up.
 */

/** Core's COOKIEAUTH_USER: the user name of the random cookie credential. */
export const COOKIE_USER = '__cookie__';
const COOKIE_FILE = '.cookie';

/** bitcoind's per-network data subdirectory (chainparamsbase.cpp): none for main, testnet3, regtest. */
export function networkDataDir(datadir: string, network: NetworkName): string {
  switch (network) {
    case 'main':
      return datadir;
    case 'testnet':
      return join(datadir, 'testnet3');
    case 'regtest':
      return join(datadir, 'regtest');
  }
}

export function cookiePath(datadir: string, network: NetworkName): string {
  return join(networkDataDir(datadir, network), COOKIE_FILE);
}

export interface AuthRecord {
  readonly user: string;
  readonly salt: string;
  /** Hex of HMAC-SHA256(key = salt, message = password). */
  readonly hash: string;
}

export class RpcAuthConfigError extends Error {
  override readonly name = 'RpcAuthConfigError';
}

/** HMAC-SHA256 keyed with the salt's text, as share/rpcauth/rpcauth.py and CheckUserAuthorized. */
export function passwordHmac(salt: string, password: string): string {
  return createHmac('sha256', salt).update(password, 'utf8').digest('hex');
}

/** A record for a plaintext credential, with a fresh 16-byte salt (Core's InitRPCAuthentication). */
export function hashCredential(user: string, password: string): AuthRecord {
  const salt = randomBytes(16).toString('hex');
  return { user, salt, hash: passwordHmac(salt, password) };
}

/** Parses an rpcauth value `user:salt$hash`; Core refuses to start on a malformed one. */
export function parseRpcAuth(line: string): AuthRecord {
  const fields = line.split(':');
  const saltHash = (fields[fields.length - 1] ?? '').split('$');
  if (fields.length !== 2 || saltHash.length !== 2)
    throw new RpcAuthConfigError('Invalid -rpcauth argument.');
  return { user: fields[0]!, salt: saltHash[0]!, hash: saltHash[1]! };
}

/** An rpcauth line for `user` and `password` (random when omitted), as share/rpcauth prints it. */
export function generateRpcAuth(user: string, password = randomBytes(32).toString('base64url')) {
  const record = hashCredential(user, password);
  return { line: `${user}:${record.salt}$${record.hash}`, password };
}

/**
 * Equality that takes the same time wherever the strings differ and whatever their lengths: both
 * sides are hashed to 32 bytes first (Core's TimingResistantEqual serves the same purpose).
 */
export function timingSafeStringEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/**
 * Checks an Authorization header value. Returns the user name on success, undefined otherwise.
 * Every record is checked (no early exit on the first user-name match), so timing does not reveal
 * which user names exist.
 */
export function checkAuthorization(
  header: string | undefined,
  records: readonly AuthRecord[],
): string | undefined {
  if (header === undefined || !header.startsWith('Basic ')) return undefined;
  const encoded = header.slice(6).trim();
  // Core's DecodeBase64 refuses invalid input; Buffer.from would silently skip bad characters.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  let ok = false;
  for (const record of records) {
    const userOk = timingSafeStringEqual(record.user, user);
    const passOk = timingSafeStringEqual(passwordHmac(record.salt, password), record.hash);
    ok = (userOk && passOk) || ok;
  }
  return ok ? user : undefined;
}

/**
 * The random cookie credential: written to a temporary file then renamed over `.cookie` (readers
 * never see a partial file), mode 0600 so only this OS user can read it. Returns the password.
 */
export function writeCookie(path: string): string {
  const password = randomBytes(32).toString('hex');
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${COOKIE_USER}:${password}`, { mode: 0o600 });
  renameSync(tmp, path);
  return password;
}

/** Removes the cookie at clean shutdown (a missing file is fine: someone removed it already). */
export function deleteCookie(path: string): void {
  rmSync(path, { force: true });
}

/** Reads `user:password` from a cookie file (bitcoin-cli's GetAuthCookie reads the first line). */
export function readCookie(path: string): { user: string; password: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n')[0] ?? '';
  const colon = line.indexOf(':');
  if (colon < 0) return undefined;
  return { user: line.slice(0, colon), password: line.slice(colon + 1) };
}
