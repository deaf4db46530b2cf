import { base58CheckDecode, base58CheckEncode } from '../encoding/base58.js';
import { bech32Decode, decodeSegwitAddress, encodeSegwitAddress } from '../encoding/bech32.js';
import { p2pkh, p2sh, witnessProgram, classifyScript } from './templates.js';

/** Per-network address parameters; consensus params provide one per network. */
export interface AddressPrefixes {
  /** Base58 version byte of P2PKH addresses (main 0x00, test/regtest 0x6f). */
  pubKeyHash: number;
  /** Base58 version byte of P2SH addresses (main 0x05, test/regtest 0xc4). */
  scriptHash: number;
  /** Bech32 human-readable part ('bc', 'tb', 'bcrt'). */
  bech32: string;
}

export class AddressError extends Error {
  override readonly name = 'AddressError';
}

function versioned(version: number, hash: Uint8Array): string {
  const payload = new Uint8Array(21);
  payload[0] = version;
  payload.set(hash, 1);
  return base58CheckEncode(payload);
}

/**
 * The address of an output script (Core's ExtractDestination + EncodeDestination), or null when it
 * has none. Bare P2PK gets null too: Core's RPC stopped showing the P2PKH address of the key
 * for those (it is a different output, not an encoding of this one).
 */
export function addressFromScript(script: Uint8Array, prefixes: AddressPrefixes): string | null {
  const c = classifyScript(script);
  switch (c.type) {
    case 'pubkeyhash':
      return versioned(prefixes.pubKeyHash, c.hash);
    case 'scripthash':
      return versioned(prefixes.scriptHash, c.hash);
    case 'witness_v0_keyhash':
    case 'witness_v0_scripthash':
      return encodeSegwitAddress(prefixes.bech32, 0, c.program);
    case 'witness_v1_taproot':
    case 'anchor':
      return encodeSegwitAddress(prefixes.bech32, 1, c.program);
    case 'witness_unknown':
      return encodeSegwitAddress(prefixes.bech32, c.version, c.program);
    default:
      return null;
  }
}

/** Whether the string parses as Bech32/Bech32m at all (any HRP): then it is never Base58. */
function looksBech32(address: string): boolean {
  try {
    bech32Decode(address);
    return true;
  } catch {
    return false;
  }
}

/**
 * The output script an address pays to (Core's DecodeDestination + GetScriptForDestination).
 * Throws AddressError for anything invalid on this network, with the reason.
 */
export function scriptFromAddress(address: string, prefixes: AddressPrefixes): Uint8Array {
  if (looksBech32(address)) {
    let decoded: { version: number; program: Uint8Array };
    try {
      decoded = decodeSegwitAddress(prefixes.bech32, address);
    } catch (cause) {
      throw new AddressError(`invalid segwit address: ${(cause as Error).message}`, { cause });
    }
    return witnessProgram(decoded.version, decoded.program);
  }
  let payload: Uint8Array;
  try {
    payload = base58CheckDecode(address);
  } catch (cause) {
    throw new AddressError(`invalid address: ${(cause as Error).message}`, { cause });
  }
  if (payload.length !== 21) throw new AddressError('invalid length for Base58 address (P2PKH or P2SH)');
  const hash = payload.subarray(1);
  if (payload[0] === prefixes.pubKeyHash) return p2pkh(hash);
  if (payload[0] === prefixes.scriptHash) return p2sh(hash);
  throw new AddressError('invalid or unsupported Base58-encoded address (wrong network?)');
}
