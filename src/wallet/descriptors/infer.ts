/**
 * InferDescriptor (Core's InferScript, script/descriptor.cpp): the descriptor of a script, using
 * what a provider knows (public keys behind hashes, scripts behind P2SH/P2WSH, key origins). The
 * wallet shows it as `desc`; with an empty provider it is what decodescript shows.
 */
import { hash160, ripemd160 } from '../../crypto/hash.js';
import { isValidPublicKey } from '../../crypto/secp256k1.js';
import type { AddressPrefixes } from '../../script/address.js';
import { addressFromScript } from '../../script/address.js';
import { classifyScript } from '../../script/templates.js';
import { NodeDescriptor } from './descriptor.js';
import { ConstKey, type KeyExpression, OriginKey } from './key-expression.js';
import {
  AddrNode,
  type DescriptorNode,
  MultiNode,
  PkhNode,
  PkNode,
  RawNode,
  RawTrNode,
  ShNode,
  WpkhNode,
  WshNode,
} from './nodes.js';
import type { Descriptor, InferProvider } from './types.js';

type InferContext = 'top' | 'p2sh' | 'p2wpkh' | 'p2wsh';

/** What inference needs: the provider's knowledge and the network's address encoding. */
export interface InferOptions extends InferProvider {
  readonly addressPrefixes: AddressPrefixes;
}

/** Core's InferPubkey: no hybrid keys, uncompressed ones only outside segwit; origin if known. */
function inferKey(pubkey: Uint8Array, ctx: InferContext, provider: InferProvider): KeyExpression | undefined {
  const h = pubkey[0];
  // IsValidNonHybrid looks at the size and header byte only, not whether the point is on the curve.
  const validNonHybrid = ((h === 2 || h === 3) && pubkey.length === 33) || (h === 4 && pubkey.length === 65);
  if (!validNonHybrid) return undefined;
  if (ctx !== 'top' && ctx !== 'p2sh' && pubkey.length !== 33) return undefined;
  const key = new ConstKey(pubkey, false);
  const origin = provider.getKeyOrigin?.(hash160(pubkey));
  return origin === undefined ? key : new OriginKey(origin.fingerprint, origin.path, key, 'h');
}

function inferScript(script: Uint8Array, ctx: InferContext, o: InferOptions): DescriptorNode | undefined {
  const c = classifyScript(script);
  const keyed = ctx === 'top' || ctx === 'p2sh' || ctx === 'p2wsh';
  if (c.type === 'pubkey' && keyed) {
    const key = inferKey(c.pubkey, ctx, o);
    if (key !== undefined) return new PkNode(key, false);
  }
  if (c.type === 'pubkeyhash' && keyed) {
    const pubkey = o.getPubKey?.(c.hash);
    const key = pubkey === undefined ? undefined : inferKey(pubkey, ctx, o);
    if (key !== undefined) return new PkhNode(key);
  }
  if (c.type === 'witness_v0_keyhash' && (ctx === 'top' || ctx === 'p2sh')) {
    const pubkey = o.getPubKey?.(c.program);
    const key = pubkey === undefined ? undefined : inferKey(pubkey, 'p2wpkh', o);
    if (key !== undefined) return new WpkhNode(key);
  }
  if (c.type === 'multisig' && keyed) {
    const keys = c.pubkeys.map((k) => inferKey(k, ctx, o));
    if (keys.every((k) => k !== undefined)) return new MultiNode(c.required, keys, false);
  }
  if (c.type === 'scripthash' && ctx === 'top') {
    const sub = o.getScript?.(c.hash);
    const inner = sub === undefined ? undefined : inferScript(sub, 'p2sh', o);
    if (inner !== undefined) return new ShNode(inner);
  }
  if (c.type === 'witness_v0_scripthash' && (ctx === 'top' || ctx === 'p2sh')) {
    // CScriptID of a P2WSH program: RIPEMD160(SHA256(script)) = HASH160(script).
    const sub = o.getScript?.(ripemd160(c.program));
    const inner = sub === undefined ? undefined : inferScript(sub, 'p2wsh', o);
    if (inner !== undefined) return new WshNode(inner);
  }
  if (c.type === 'witness_v1_taproot' && ctx === 'top') {
    // Without the taproot spend data only rawtr() can be said, for an x on the curve (even y).
    const full = new Uint8Array(33);
    full[0] = 2;
    full.set(c.program, 1);
    if (isValidPublicKey(full)) return new RawTrNode(new ConstKey(full, true));
  }
  if (ctx !== 'top') return undefined;
  if (addressFromScript(script, o.addressPrefixes) !== null) return new AddrNode(script, o.addressPrefixes);
  return new RawNode(script);
}

/** The descriptor of `script` given what `options` knows (never fails: raw() at worst). */
export function inferDescriptor(script: Uint8Array, options: InferOptions): Descriptor {
  return new NodeDescriptor(inferScript(script, 'top', options) ?? new RawNode(script));
}
