/**
 * Wallet Import Format, as Core's EncodeSecret/DecodeSecret (key_io.cpp): Base58Check of
 * [network prefix] || 32-byte key || [0x01 if the public key is compressed]. Decoding is strict:
 * the checksum, the prefix of the expected network, the exact length, the 0x01 flag byte and the
 * key range are all checked.
 */
import { getNetwork, NETWORK_NAMES, type NetworkParams } from '../../consensus/params.js';
import { privateKeyVerify, publicKeyCreate } from '../../crypto/secp256k1.js';
import { base58CheckDecode, base58CheckEncode } from '../../encoding/base58.js';
import { DecodeError } from '../../encoding/errors.js';
import { INSPECT_CUSTOM, REDACTED, wipe } from './secret.js';

/** Core: the suffix byte that marks a key whose public key is used compressed. */
const COMPRESSED_FLAG = 0x01;

export type WifNetwork = Pick<NetworkParams, 'wifPrefix'>;

/** A private key from (or for) WIF, with the compression its addresses use. */
export class WifKey {
  #privateKey: Uint8Array | null;

  constructor(
    privateKey: Uint8Array,
    readonly compressed: boolean,
  ) {
    if (!privateKeyVerify(privateKey))
      throw new RangeError('invalid private key (must be 32 bytes, 0 < k < n)');
    this.#privateKey = privateKey;
  }

  /** The 32-byte key (a view, zeroed by `wipe()`). */
  get privateKey(): Uint8Array {
    if (this.#privateKey === null) throw new Error('WifKey was wiped');
    return this.#privateKey;
  }

  /** The public key as this key's addresses use it: 33 bytes if compressed, else 65. */
  publicKey(): Uint8Array {
    return publicKeyCreate(this.privateKey, this.compressed);
  }

  wipe(): void {
    wipe(this.#privateKey);
    this.#privateKey = null;
  }

  toJSON(): Record<string, string | boolean> {
    return { privateKey: REDACTED, compressed: this.compressed };
  }

  [INSPECT_CUSTOM](): string {
    return `WifKey { privateKey: '${REDACTED}', compressed: ${this.compressed} }`;
  }
}

export function encodeWif(privateKey: Uint8Array, compressed: boolean, network: WifNetwork): string {
  if (!privateKeyVerify(privateKey))
    throw new RangeError('invalid private key (must be 32 bytes, 0 < k < n)');
  const payload = new Uint8Array(compressed ? 34 : 33);
  payload[0] = network.wifPrefix;
  payload.set(privateKey, 1);
  if (compressed) payload[33] = COMPRESSED_FLAG;
  try {
    return base58CheckEncode(payload);
  } finally {
    wipe(payload);
  }
}

/** The network names whose WIF prefix is `prefix`, to say "this key is for X" instead of "bad". */
function networksWithPrefix(prefix: number): string[] {
  return NETWORK_NAMES.filter((n) => getNetwork(n)?.wifPrefix === prefix);
}

export function decodeWif(text: string, network: WifNetwork): WifKey {
  const payload = base58CheckDecode(text);
  try {
    const bad = (why: string): never => {
      throw new DecodeError('bad-format', `invalid WIF private key: ${why}`);
    };
    if (payload.length !== 33 && payload.length !== 34)
      bad(`${payload.length}-byte payload, expected 33 or 34`);
    if (payload[0] !== network.wifPrefix) {
      const other = networksWithPrefix(payload[0]!);
      bad(other.length > 0 ? `key is for ${other.join('/')}, not this network` : 'unknown version byte');
    }
    const compressed = payload.length === 34;
    if (compressed && payload[33] !== COMPRESSED_FLAG) bad('compression flag byte must be 0x01');
    const key = payload.slice(1, 33);
    if (!privateKeyVerify(key)) {
      wipe(key);
      bad('private key not in 1..n-1');
    }
    return new WifKey(key, compressed);
  } finally {
    wipe(payload);
  }
}
