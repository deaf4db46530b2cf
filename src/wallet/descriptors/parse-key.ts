/**
 * Parsing KEY expressions (BIP380): Core's ParsePubkey and ParsePubkeyInner, with their error
 * messages. Which keys are allowed depends on the script context: uncompressed keys only outside
 * segwit, 32-byte x-only keys only inside tr().
 */
import { isValidPublicKey } from '../../crypto/secp256k1.js';
import { fromHex } from '../../encoding/hex.js';
import { HDKey } from '../keys/bip32.js';
import { decodeWif, type WifKey } from '../keys/wif.js';
import { DescriptorError } from './errors.js';
import {
  Bip32Key,
  ConstKey,
  type DeriveType,
  type KeyExpression,
  type KeyNetwork,
  OriginKey,
} from './key-expression.js';
import { type HardenedMarker, parseKeyPath } from './key-path.js';

/** Where a script or key sits (Core's ParseScriptContext). */
export type ScriptContext = 'top' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr';

/** What parsing collects across the whole descriptor. */
export interface KeyParseState {
  readonly network: KeyNetwork;
  /** Key expressions that gave a private key (getdescriptorinfo's hasprivatekeys). */
  privateKeys: number;
}

/** Core's IsHex: a non-empty, even number of hex digits. */
export function isHex(text: string): boolean {
  return text.length > 0 && text.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(text);
}

/** Core's IsSpace (the C locale's isspace). */
const isSpace = (ch: string | undefined): boolean => ch !== undefined && ' \f\n\r\t\v'.includes(ch);

/** CPubKey::IsValid: the length its header byte promises (hybrid 06/07 included). */
function hasValidSize(data: Uint8Array): boolean {
  const h = data[0];
  if (h === 2 || h === 3) return data.length === 33;
  if (h === 4 || h === 6 || h === 7) return data.length === 65;
  return false;
}

/** A KEY expression with its optional [fingerprint/path] origin. */
export function parsePubkey(text: string, ctx: ScriptContext, state: KeyParseState): KeyExpression {
  const originSplit = text.split(']');
  if (originSplit.length > 2) throw new DescriptorError("Multiple ']' characters found for a single pubkey");
  // Core's `apostrophe`: the marker of the last hardened step seen in origin, path or wildcard.
  const marker: { marker: HardenedMarker } = { marker: 'h' };
  if (originSplit.length === 1) return parsePubkeyInner(text, ctx, state, marker);
  const origin = originSplit[0]!;
  if (origin === '' || origin[0] !== '[') {
    const got = origin === '' ? ']' : origin[0];
    throw new DescriptorError(`Key origin start '[ character expected but not found, got '${got}' instead`);
  }
  const slashSplit = origin.slice(1).split('/');
  const fpr = slashSplit[0]!;
  if (fpr.length !== 8) {
    throw new DescriptorError(
      `Fingerprint is not 4 bytes (${fpr.length} characters instead of 8 characters)`,
    );
  }
  if (!isHex(fpr)) throw new DescriptorError(`Fingerprint '${fpr}' is not hex`);
  // A BIP389 <a;b> group in an origin was refused before (multipath.ts): groups are expanded first.
  const steps = slashSplit.slice(1);
  const path = parseKeyPath(steps, marker);
  const inner = parsePubkeyInner(originSplit[1]!, ctx, state, marker);
  return new OriginKey(fromHex(fpr.toLowerCase()), path, inner, marker.marker);
}

function tryDecodeWif(text: string, state: KeyParseState): WifKey | undefined {
  try {
    return decodeWif(text, state.network);
  } catch {
    return undefined;
  }
}

function tryDecodeExtKey(text: string, state: KeyParseState): HDKey | undefined {
  try {
    return HDKey.fromBase58(text, state.network);
  } catch {
    return undefined;
  }
}

/** A key without origin: hex public key, WIF, or extended key with path and wildcard. */
function parsePubkeyInner(
  text: string,
  ctx: ScriptContext,
  state: KeyParseState,
  marker: { marker: HardenedMarker },
): KeyExpression {
  const permitUncompressed = ctx === 'top' || ctx === 'p2sh';
  const split = text.split('/');
  const str = split[0]!;
  if (str === '') throw new DescriptorError('No key provided');
  if (isSpace(str[0]) || isSpace(str[str.length - 1])) {
    throw new DescriptorError(`Key '${str}' is invalid due to whitespace`);
  }
  if (split.length === 1) {
    if (isHex(str)) {
      const data = fromHex(str.toLowerCase());
      if (hasValidSize(data) && data[0]! > 4) throw new DescriptorError('Hybrid public keys are not allowed');
      if (isValidPublicKey(data)) {
        if (!permitUncompressed && data.length !== 33) {
          throw new DescriptorError('Uncompressed keys are not allowed');
        }
        return new ConstKey(data, false);
      }
      if (data.length === 32 && ctx === 'p2tr') {
        // An x-only key (BIP386) stands for the point with this x and an even y.
        const full = new Uint8Array(33);
        full[0] = 2;
        full.set(data, 1);
        if (isValidPublicKey(full)) return new ConstKey(full, true);
      }
      throw new DescriptorError(`Pubkey '${str}' is invalid`);
    }
    const wif = tryDecodeWif(str, state);
    if (wif !== undefined) {
      if (!permitUncompressed && !wif.compressed)
        throw new DescriptorError('Uncompressed keys are not allowed');
      state.privateKeys += 1;
      const secret = { privateKey: wif.privateKey, network: state.network };
      return new ConstKey(wif.publicKey(), ctx === 'p2tr', secret);
    }
  }
  const root = tryDecodeExtKey(str, state);
  if (root === undefined) throw new DescriptorError(`key '${str}' is not valid`);
  let deriveType: DeriveType = 'none';
  const last = split[split.length - 1];
  if (split.length > 1 && last === '*') {
    split.pop();
    deriveType = 'unhardened';
  } else if (split.length > 1 && (last === "*'" || last === '*h')) {
    marker.marker = last[1] as HardenedMarker;
    split.pop();
    deriveType = 'hardened';
  }
  const path = parseKeyPath(split.slice(1), marker);
  if (root.hasPrivateKey) state.privateKeys += 1;
  return new Bip32Key(root, path, deriveType, marker.marker, state.network);
}
