import { base58CheckDecode, base58Decode } from '../encoding/base58.js';
import { BECH32_MAX_LENGTH, bech32Decode, convertBits } from '../encoding/bech32.js';
import type { AddressPrefixes } from '../script/address.js';
import { p2pkh, p2sh, witnessProgram } from '../script/templates.js';

/**
 * Core's DecodeDestination (key_io.cpp) with its error strings, which validateaddress returns
 * verbatim: which rule an address broke, not just that it is invalid.
 */
export type Destination =
  | { readonly kind: 'pubkeyhash' | 'scripthash'; readonly script: Uint8Array }
  | {
      readonly kind: 'witness';
      readonly version: number;
      readonly program: Uint8Array;
      readonly script: Uint8Array;
    };

export type DecodedDestination =
  | { readonly ok: true; readonly destination: Destination }
  | { readonly ok: false; readonly error: string; readonly locations: readonly number[] };

const fail = (error: string, locations: readonly number[] = []): DecodedDestination => ({
  ok: false,
  error,
  locations,
});

export function decodeDestination(text: string, prefixes: AddressPrefixes): DecodedDestination {
  const hrp = prefixes.bech32;
  // A valid Bech32 address of another network is still "bech32" here only if its prefix matches.
  const isBech32 = text.slice(0, hrp.length).toLowerCase() === hrp;
  if (!isBech32) return decodeBase58(text, prefixes);
  let decoded: ReturnType<typeof bech32Decode>;
  try {
    decoded = bech32Decode(text);
  } catch {
    return locateBech32Errors(text);
  }
  const [version, ...rest] = decoded.words;
  if (version === undefined) return fail('Empty Bech32 data section');
  if (decoded.hrp !== hrp) {
    return fail(
      `Invalid or unsupported prefix for Segwit (Bech32) address (expected ${hrp}, got ${decoded.hrp}).`,
    );
  }
  if (version === 0 && decoded.variant !== 'bech32')
    return fail('Version 0 witness address must use Bech32 checksum');
  if (version !== 0 && decoded.variant !== 'bech32m') {
    return fail('Version 1+ witness address must use Bech32m checksum');
  }
  let bytes: number[];
  try {
    bytes = convertBits(rest, 5, 8, false);
  } catch {
    return fail('Invalid padding in Bech32 data section');
  }
  const program = Uint8Array.from(bytes);
  const unit = program.length === 1 ? 'byte' : 'bytes';
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    return fail(`Invalid Bech32 v0 address program size (${program.length} ${unit}), per BIP141`);
  }
  const isAnchor = version === 1 && program.length === 2 && program[0] === 0x4e && program[1] === 0x73;
  if (!isAnchor && !(version === 1 && program.length === 32)) {
    if (version > 16) return fail('Invalid Bech32 address witness version');
    if (program.length < 2 || program.length > 40) {
      return fail(`Invalid Bech32 address program size (${program.length} ${unit})`);
    }
  }
  return {
    ok: true,
    destination: { kind: 'witness', version, program, script: witnessProgram(version, program) },
  };
}

function decodeBase58(text: string, prefixes: AddressPrefixes): DecodedDestination {
  let payload: Uint8Array | undefined;
  try {
    payload = base58CheckDecode(text);
  } catch {
    payload = undefined;
  }
  // Core decodes with a 21-byte payload limit: longer payloads fail like a bad checksum does.
  if (payload !== undefined && payload.length <= 21) {
    if (payload.length === 21 && payload[0] === prefixes.pubKeyHash) {
      return { ok: true, destination: { kind: 'pubkeyhash', script: p2pkh(payload.subarray(1)) } };
    }
    if (payload.length === 21 && payload[0] === prefixes.scriptHash) {
      return { ok: true, destination: { kind: 'scripthash', script: p2sh(payload.subarray(1)) } };
    }
    const first = payload[0];
    if (payload.length >= 1 && (first === prefixes.pubKeyHash || first === prefixes.scriptHash)) {
      return fail('Invalid length for Base58 address (P2PKH or P2SH)');
    }
    return fail('Invalid or unsupported Base58-encoded address.');
  }
  let raw: Uint8Array | undefined;
  try {
    raw = base58Decode(text);
  } catch {
    raw = undefined;
  }
  if (raw === undefined || raw.length > 100)
    return fail('Invalid or unsupported Segwit (Bech32) or Base58 encoding.');
  return fail('Invalid checksum or length of Base58 address (P2PKH or P2SH)');
}

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/**
 * Core's bech32::LocateErrors for the failures it can point at. A checksum failure is reported as
 * "Invalid checksum" without positions: Core's syndrome decoding, which names the one or two wrong
 * characters and whether Bech32 or Bech32m was meant, is not implemented here.
 */
function locateBech32Errors(text: string): DecodedDestination {
  if (text.length > BECH32_MAX_LENGTH) {
    const positions: number[] = [];
    for (let i = BECH32_MAX_LENGTH; i < text.length; i++) positions.push(i);
    return fail('Bech32 string too long', positions);
  }
  const bad: number[] = [];
  let lower = false;
  let upper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) {
      if (upper) bad.push(i);
      else lower = true;
    } else if (c >= 0x41 && c <= 0x5a) {
      if (lower) bad.push(i);
      else upper = true;
    } else if (c < 33 || c > 126) {
      bad.push(i);
    }
  }
  if (bad.length > 0) return fail('Invalid character or mixed case', bad);
  const sep = text.lastIndexOf('1');
  if (sep < 0) return fail('Missing separator');
  if (sep === 0 || sep + 6 >= text.length) return fail('Invalid separator position', [sep]);
  const lowerText = text.toLowerCase();
  for (let i = sep + 1; i < text.length; i++) {
    if (!CHARSET.includes(lowerText[i]!)) return fail('Invalid Base 32 character', [i]);
  }
  return fail('Invalid checksum');
}
