import { isValidPublicKey } from '../../crypto/secp256k1.js';
import { toHex } from '../../encoding/hex.js';
import { type AddressPrefixes, addressFromScript } from '../../script/address.js';
import { classifyScript } from '../../script/templates.js';

/**
 * The `desc` field bitcoind shows for scripts (InferDescriptor over a signing provider that knows no
 * keys, script/descriptor.cpp), with its BIP380 checksum. What a key-less provider can infer:
 * pk(KEY) and multi(k,KEY,...) for bare keys, rawtr(XONLY) for a taproot key on the curve,
 * wsh(...) when the witness script is supplied (decodescript's segwit section), addr(ADDRESS) for
 * every other script with an address, raw(HEX) for the rest.
 *
 * Not inferred (yet): miniscript inside wsh() beyond pk/multi. Core would print e.g. wsh(and_v(...))
 * for such a script where this prints addr(<the P2WSH address>).
 */

type Context = 'top' | 'p2wsh';

/** CPubKey::IsValidNonHybrid (size from the header byte, 02/03/04; not checked to be on the curve). */
function isValidNonHybrid(key: Uint8Array): boolean {
  const h = key[0];
  if (h === 2 || h === 3) return key.length === 33;
  return h === 4 && key.length === 65;
}

/** Core's InferPubkey: uncompressed keys only outside segwit. */
function inferKey(key: Uint8Array, ctx: Context): string | undefined {
  if (!isValidNonHybrid(key)) return undefined;
  if (ctx === 'p2wsh' && key.length !== 33) return undefined;
  return toHex(key);
}

/** Core's InferScript, for the contexts decodescript and transaction outputs reach. */
function inferScript(
  script: Uint8Array,
  ctx: Context,
  prefixes: AddressPrefixes,
  witnessScript: Uint8Array | undefined,
): string | undefined {
  const c = classifyScript(script);
  if (c.type === 'pubkey') {
    const key = inferKey(c.pubkey, ctx);
    if (key !== undefined) return `pk(${key})`;
  }
  if (c.type === 'multisig') {
    const keys = c.pubkeys.map((k) => inferKey(k, ctx));
    if (keys.every((k) => k !== undefined)) return `multi(${c.required},${keys.join(',')})`;
  }
  if (c.type === 'witness_v0_scripthash' && ctx === 'top' && witnessScript !== undefined) {
    const inner = inferScript(witnessScript, 'p2wsh', prefixes, undefined);
    if (inner !== undefined) return `wsh(${inner})`;
  }
  if (c.type === 'witness_v1_taproot' && ctx === 'top') {
    // rawtr() needs a valid x-only key: the x coordinate of a point on the curve (even y assumed).
    const compressed = new Uint8Array(33);
    compressed[0] = 2;
    compressed.set(c.program, 1);
    if (isValidPublicKey(compressed)) return `rawtr(${toHex(c.program)})`;
  }
  if (ctx !== 'top') return undefined;
  const address = addressFromScript(script, prefixes);
  if (address !== null) return `addr(${address})`;
  return `raw(${toHex(script)})`;
}

/**
 * The descriptor of `script` with checksum. `witnessScript`, when given, is the script a P2WSH
 * output commits to (it must hash to the program), as decodescript's provider knows it.
 */
export function inferDescriptor(
  script: Uint8Array,
  prefixes: AddressPrefixes,
  witnessScript?: Uint8Array,
): string {
  const desc = inferScript(script, 'top', prefixes, witnessScript) ?? `raw(${toHex(script)})`;
  return `${desc}#${descriptorChecksum(desc)}`;
}

// BIP380 checksum: a BCH code over GF(32) of the descriptor's characters, 8 characters long.
const INPUT_CHARSET =
  '0123456789()[],\'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#"\\ ';
const CHECKSUM_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATORS = [0xf5dee51989n, 0xa9fdca3312n, 0x1bab10e32dn, 0x3706b1677an, 0x644d626ffdn];

function polyMod(c: bigint, value: number): bigint {
  const top = c >> 35n;
  let next = ((c & 0x7ffffffffn) << 5n) ^ BigInt(value);
  for (let i = 0; i < 5; i++) if ((top >> BigInt(i)) & 1n) next ^= GENERATORS[i]!;
  return next;
}

/** BIP380 DescriptorChecksum; '' for a character outside the descriptor alphabet. */
export function descriptorChecksum(desc: string): string {
  let c = 1n;
  let cls = 0;
  let clsCount = 0;
  for (const ch of desc) {
    const pos = INPUT_CHARSET.indexOf(ch);
    if (pos < 0) return '';
    c = polyMod(c, pos & 31);
    cls = cls * 3 + (pos >> 5);
    if (++clsCount === 3) {
      c = polyMod(c, cls);
      cls = 0;
      clsCount = 0;
    }
  }
  if (clsCount > 0) c = polyMod(c, cls);
  for (let i = 0; i < 8; i++) c = polyMod(c, 0);
  c ^= 1n;
  let out = '';
  for (let j = 0; j < 8; j++) out += CHECKSUM_CHARSET[Number((c >> BigInt(5 * (7 - j))) & 31n)];
  return out;
}
