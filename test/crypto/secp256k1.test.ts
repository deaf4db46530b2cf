import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import * as tiny from 'tiny-secp256k1';
import { encodeDer, isLowS, normalizeS } from '../../src/crypto/der.js';
import {
  ecdsaSign,
  ecdsaSignDer,
  ecdsaVerifyCompact,
  ecdsaVerifyDer,
  getVerifyBackend,
  isLowDerSignature,
  isValidPublicKey,
  privateKeyTweakAdd,
  privateKeyVerify,
  publicKeyConvert,
  publicKeyCreate,
  publicKeyTweakAdd,
  setVerifyBackend,
  type VerifyBackendName,
} from '../../src/crypto/secp256k1.js';
import { fromHex } from '../../src/encoding/index.js';
import { det, withBackend } from './secp256k1-support.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const to32 = (x: bigint): Uint8Array => fromHex(x.toString(16).padStart(64, '0'));
const toBig = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString('hex')}`);

/** libsecp256k1's own signer through its JS wrapper: fast, and independent of the adapter. */
interface NativeSecp {
  ecdsaSign(msg32: Uint8Array, priv32: Uint8Array): { signature: Uint8Array };
}
const nativeSecp = createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp;

/** n - s: the other valid S of the same signature. */
function flipS(sig64: Uint8Array): Uint8Array {
  const out = Uint8Array.from(sig64);
  out.set(to32(N - toBig(sig64.subarray(32))), 32);
  return out;
}

/** tiny-secp256k1 knows no hybrid keys and throws on malformed input: adapt it to Core's rules. */
function tinyVerify(sig64: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
  let key = pubkey;
  if (pubkey.length === 65 && (pubkey[0] === 6 || pubkey[0] === 7)) {
    if ((pubkey[64]! & 1) !== (pubkey[0]! & 1)) return false;
    key = Uint8Array.from(pubkey);
    key[0] = 4;
  }
  try {
    return tiny.verify(msg32, key, normalizeS(sig64), true);
  } catch {
    return false;
  }
}

interface Case {
  readonly what: string;
  readonly sig64: Uint8Array;
  readonly msg32: Uint8Array;
  readonly pubkey: Uint8Array;
  /** Known answer for the variants where it is certain, undefined where the backends decide. */
  readonly expect?: boolean;
}

function hybrid(pubkey65: Uint8Array, rightParity: boolean): Uint8Array {
  const out = Uint8Array.from(pubkey65);
  out[0] = 6 + ((out[64]! & 1) ^ (rightParity ? 0 : 1));
  return out;
}

function makeCase(i: number): Case {
  const priv = det('priv', i);
  const msg32 = det('msg', i);
  const compressed = publicKeyCreate(priv, true);
  const uncompressed = publicKeyCreate(priv, false);
  const pubkey = [compressed, uncompressed, hybrid(uncompressed, true)][i % 3]!;
  const sig64 = new Uint8Array(nativeSecp.ecdsaSign(msg32, priv).signature);
  const bit = (b: Uint8Array, at: number): Uint8Array => {
    const out = Uint8Array.from(b);
    out[at % out.length]! ^= 1 << (i % 8);
    return out;
  };
  switch (i % 10) {
    case 0:
      return { what: 'valid', sig64, msg32, pubkey, expect: true };
    case 1:
      return { what: 'high S', sig64: flipS(sig64), msg32, pubkey, expect: true };
    case 2:
      return { what: 'message bit flipped', sig64, msg32: bit(msg32, i), pubkey, expect: false };
    case 3:
      return { what: 'signature bit flipped', sig64: bit(sig64, i), msg32, pubkey, expect: false };
    case 4:
      return { what: 'other key', sig64, msg32, pubkey: publicKeyCreate(det('other', i)), expect: false };
    case 5:
      return {
        what: 'hybrid, wrong parity',
        sig64,
        msg32,
        pubkey: hybrid(uncompressed, false),
        expect: false,
      };
    case 6: {
      const bad = Uint8Array.from(sig64);
      if (i % 4 === 0)
        bad.fill(0, 0, 32); // r = 0
      else if (i % 4 === 1)
        bad.fill(0, 32); // s = 0
      else bad.set(to32(N + BigInt(i % 3)), i % 4 === 2 ? 0 : 32); // r or s >= n
      return { what: 'r/s zero or >= n', sig64: bad, msg32, pubkey, expect: false };
    }
    case 7: // random x: on the curve about half the time, then simply the wrong key
      return {
        what: 'random pubkey',
        sig64,
        msg32,
        pubkey: Uint8Array.from([2 + (i & 1), ...det('x', i)]),
        expect: false,
      };
    case 8: {
      const header = [0x00, 0x01, 0x05, 0x08, 0x04][i % 5]!;
      const wrong = Uint8Array.from(compressed);
      wrong[0] = header; // 04 with 33 bytes is no key either
      return { what: 'bad header', sig64, msg32, pubkey: wrong, expect: false };
    }
    default: {
      const offCurve = Uint8Array.from(uncompressed);
      offCurve[64]! ^= 2;
      const xTooBig = Uint8Array.from([2, ...to32(P + BigInt(i % 7))]);
      return { what: 'invalid point', sig64, msg32, pubkey: i % 2 ? offCurve : xTooBig, expect: false };
    }
  }
}

describe('secp256k1 adapter', () => {
  after(() => setVerifyBackend('native'));

  it('defaults to the native backend', () => {
    assert.equal(getVerifyBackend(), 'native');
    assert.throws(() => setVerifyBackend('elliptic' as VerifyBackendName), RangeError);
  });

  it('native, noble and tiny-secp256k1 agree on 1,500 valid and corrupted signatures', () => {
    const cases = Array.from({ length: 1500 }, (_, i) => makeCase(i));
    const counts = new Map<string, number>();
    for (const c of cases) {
      const native = withBackend('native', () => ecdsaVerifyCompact(c.sig64, c.msg32, c.pubkey));
      const noble = withBackend('noble', () => ecdsaVerifyCompact(c.sig64, c.msg32, c.pubkey));
      const viaTiny = tinyVerify(c.sig64, c.msg32, c.pubkey);
      assert.equal(noble, native, `noble vs native: ${c.what}`);
      assert.equal(viaTiny, native, `tiny vs native: ${c.what}`);
      if (c.expect !== undefined) assert.equal(native, c.expect, c.what);
      if (native) counts.set(c.what, (counts.get(c.what) ?? 0) + 1);
    }
    assert.equal(counts.get('valid'), 150);
    assert.equal(counts.get('high S'), 150);
  });

  it('verifies high S as Core does, while CheckLowS reports it', () => {
    for (let i = 0; i < 50; i++) {
      const priv = det('hs', i);
      const msg = det('hsm', i);
      const pub = publicKeyCreate(priv);
      const high = flipS(ecdsaSign(msg, priv));
      assert.equal(isLowS(high), false);
      const der = encodeDer(high);
      assert.equal(ecdsaVerifyCompact(high, msg, pub), true);
      assert.equal(ecdsaVerifyDer(der, msg, pub), true);
      assert.equal(isLowDerSignature(der), false);
      assert.equal(isLowDerSignature(encodeDer(normalizeS(high))), true);
    }
    assert.equal(isLowDerSignature(fromHex('3005')), false); // unparsable
  });

  it('ecdsaVerifyDer takes the lax encodings of pre-BIP66 blocks', () => {
    const priv = det('lax', 0);
    const msg = det('laxm', 0);
    const pub = publicKeyCreate(priv, false);
    const der = ecdsaSignDer(msg, priv);
    assert.equal(ecdsaVerifyDer(der, msg, pub), true);
    // Excess zero padding on both integers, and garbage after the sequence.
    const r = der.subarray(4, 4 + der[3]!);
    const s = der.subarray(6 + der[3]!);
    const padded = Uint8Array.from([
      0x30,
      0,
      0x02,
      r.length + 2,
      0,
      0,
      ...r,
      0x02,
      s.length + 1,
      0,
      ...s,
      0xab,
    ]);
    assert.equal(ecdsaVerifyDer(padded, msg, pub), true);
    assert.equal(ecdsaVerifyDer(padded.subarray(0, 10), msg, pub), false);
  });

  it('never throws on malformed inputs', () => {
    const sig = new Uint8Array(64).fill(1);
    for (const [s, m, p] of [
      [new Uint8Array(63), new Uint8Array(32), publicKeyCreate(det('k', 0))],
      [sig, new Uint8Array(31), publicKeyCreate(det('k', 0))],
      [sig, new Uint8Array(32), new Uint8Array(0)],
      [sig, new Uint8Array(32), new Uint8Array(66)],
    ] as const) {
      for (const b of ['native', 'noble'] as const)
        assert.equal(
          withBackend(b, () => ecdsaVerifyCompact(s, m, p)),
          false,
        );
    }
  });

  it('signs deterministically like libsecp256k1 (RFC6979, low S) and produces strict DER', () => {
    for (let i = 0; i < 100; i++) {
      const priv = det('sign', i);
      const msg = det('signm', i);
      const sig = ecdsaSign(msg, priv);
      assert.deepEqual(sig, new Uint8Array(nativeSecp.ecdsaSign(msg, priv).signature));
      assert.equal(isLowS(sig), true);
      assert.deepEqual(ecdsaSignDer(msg, priv), encodeDer(sig));
    }
    assert.throws(() => ecdsaSign(det('m', 0), new Uint8Array(32)), RangeError);
    assert.throws(() => ecdsaSign(det('m', 0), to32(N)), RangeError);
  });

  it('key operations agree between backends, including the edge cases BIP32 meets', () => {
    for (let i = 0; i < 200; i++) {
      const priv = det('key', i);
      const tweak = i % 20 === 0 ? to32(N - toBig(priv)) : i % 20 === 1 ? to32(N + 1n) : det('tweak', i);
      const results = (['native', 'noble'] as const).map((b) =>
        withBackend(b, () => {
          const pub = publicKeyCreate(priv, i % 2 === 0);
          const hyb = hybrid(publicKeyConvert(pub, false)!, i % 3 !== 0);
          return {
            pub,
            unc: publicKeyCreate(priv, false),
            conv: publicKeyConvert(pub, i % 2 !== 0),
            hybValid: isValidPublicKey(hyb),
            hybConv: publicKeyConvert(hyb, true),
            privTweak: privateKeyTweakAdd(priv, tweak),
            pubTweak: publicKeyTweakAdd(pub, tweak, i % 3 === 0),
          };
        }),
      );
      assert.deepEqual(results[0], results[1], `case ${i}`);
      if (i % 20 < 2) {
        assert.equal(results[0]!.privTweak, null);
        assert.equal(results[0]!.pubTweak, null); // the sum is the point at infinity, or tweak >= n
      } else {
        assert.deepEqual(publicKeyCreate(results[0]!.privTweak!, i % 3 === 0), results[0]!.pubTweak);
      }
    }
  });

  it('validates private keys as 0 < k < n', () => {
    for (const b of ['native', 'noble'] as const) {
      withBackend(b, () => {
        assert.equal(privateKeyVerify(to32(1n)), true);
        assert.equal(privateKeyVerify(to32(N - 1n)), true);
        assert.equal(privateKeyVerify(to32(0n)), false);
        assert.equal(privateKeyVerify(to32(N)), false);
        assert.equal(privateKeyVerify(new Uint8Array(31).fill(1)), false);
        assert.throws(() => publicKeyCreate(to32(0n)), RangeError);
      });
    }
  });
});
