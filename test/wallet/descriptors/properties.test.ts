/**
 * Property tests: random descriptors round-trip through their text forms with the same scripts,
 * inference recovers what expansion produced, and arbitrary text (random, or a valid descriptor
 * mutated) fails only with a DescriptorError, never with anything else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { hash160, sha256 } from '../../../src/crypto/hash.js';
import { publicKeyCreate } from '../../../src/crypto/secp256k1.js';
import { equalBytes } from '../../../src/encoding/bytes.js';
import { toHex } from '../../../src/encoding/hex.js';
import { encodeWif, HDKey } from '../../../src/wallet/keys/index.js';
import {
  type Descriptor,
  DescriptorError,
  inferDescriptor,
  parseDescriptor,
  parseDescriptors,
} from '../../../src/wallet/descriptors/index.js';

const network = regtest;

/** A valid private key from a seed number (SHA256 of it is below n with overwhelming odds). */
const privKey = (n: number) => sha256(Uint8Array.of(n >>> 24, n >>> 16, n >>> 8, n, 7));

/** KEY expressions: hex, WIF, xpub/xprv with paths and wildcards, with or without an origin. */
const keyArb = fc
  .record({
    seed: fc.nat(),
    kind: fc.constantFrom('hex', 'wif', 'xpub', 'xprv'),
    path: fc.array(fc.tuple(fc.nat(20), fc.boolean()), { maxLength: 3 }),
    wildcard: fc.constantFrom('', '/*', "/*'"),
    origin: fc.option(fc.tuple(fc.nat(0xffffffff), fc.array(fc.nat(5), { maxLength: 2 })), {
      nil: undefined,
    }),
  })
  .map(({ seed, kind, path, wildcard, origin }) => {
    const k = privKey(seed);
    let text: string;
    if (kind === 'hex') text = toHex(publicKeyCreate(k, true));
    else if (kind === 'wif') text = encodeWif(k, true, network);
    else {
      const root = HDKey.fromSeed(sha256(k));
      const ext = kind === 'xprv' ? root.toBase58(network) : root.neuter().toBase58(network);
      // Hardened steps only under an xprv, so every descriptor expands.
      const steps = path.map(([i, h]) => `/${i}${h && kind === 'xprv' ? "'" : ''}`).join('');
      const wild = kind === 'xprv' ? wildcard : wildcard.replace("'", '');
      text = ext + steps + wild;
    }
    const prefix =
      origin === undefined
        ? ''
        : `[${origin[0].toString(16).padStart(8, '0')}${origin[1].map((i) => `/${i}'`).join('')}]`;
    return prefix + text;
  });

const descriptorArb = fc.oneof(
  keyArb.map((k) => `pkh(${k})`),
  keyArb.map((k) => `wpkh(${k})`),
  keyArb.map((k) => `sh(wpkh(${k}))`),
  keyArb.map((k) => `combo(${k})`),
  keyArb.map((k) => `tr(${k})`),
  fc.tuple(keyArb, keyArb).map(([a, b]) => `tr(${a},pk(${b}))`),
  fc
    .array(keyArb, { minLength: 1, maxLength: 4 })
    .chain((keys) =>
      fc
        .tuple(fc.integer({ min: 1, max: keys.length }), fc.constantFrom('multi', 'sortedmulti'))
        .chain(([k, f]) =>
          fc.constantFrom(`wsh(${f}(${k},${keys.join(',')}))`, `sh(wsh(${f}(${k},${keys.join(',')})))`),
        ),
    ),
);

const scriptsAt = (d: Descriptor, i: number) => d.expandAll(i).map((o) => toHex(o.scriptPubKey));

describe('descriptor properties', () => {
  it('round-trips public and private forms with the same scripts', () => {
    fc.assert(
      fc.property(descriptorArb, fc.nat(50), (text, pos) => {
        const d = parseDescriptor(text, { network });
        const pub = parseDescriptor(d.toString(), { network, requireChecksum: true });
        const prv = parseDescriptor(d.toPrivateString(), { network, requireChecksum: true });
        assert.equal(pub.toString(), d.toString());
        assert.equal(prv.toPrivateString(), d.toPrivateString());
        assert.deepEqual(scriptsAt(prv, pos), scriptsAt(d, pos));
        assert.equal(pub.hasPrivateKeys, false);
        // The normalized form derives the same scripts without private keys (no hardened wildcard here).
        if (!d.toString().includes("*'")) {
          const norm = parseDescriptor(d.toNormalizedString(), { network });
          assert.deepEqual(scriptsAt(norm, pos), scriptsAt(d, pos));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('infers a descriptor giving the same script from what expansion reveals', () => {
    fc.assert(
      fc.property(descriptorArb, (text) => {
        for (const o of parseDescriptor(text, { network }).expandAll(0)) {
          const scripts = [o.redeemScript, o.witnessScript].filter((s) => s !== undefined);
          const inferred = inferDescriptor(o.scriptPubKey, {
            addressPrefixes: network.addressPrefixes,
            getPubKey: (id) => o.keys.find((k) => equalBytes(hash160(k.pubkey), id))?.pubkey,
            getScript: (id) => scripts.find((s) => equalBytes(hash160(s), id)),
          });
          assert.equal(toHex(inferred.expand().scriptPubKey), toHex(o.scriptPubKey));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('fails on arbitrary or mutated text only with DescriptorError', () => {
    const alphabet = "0123456789()[],'/*abcdefgh<>;{}#hkmprstuwxLKXA ";
    const noise = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 60 });
    const mutated = fc
      .tuple(descriptorArb, fc.nat(), fc.constantFrom(...alphabet), fc.boolean())
      .map(([text, at, ch, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + ch + text.slice(insert ? i : i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(noise, mutated), (text) => {
        try {
          for (const d of parseDescriptors(text, { network })) d.expandAll(0);
        } catch (err) {
          assert.ok(err instanceof DescriptorError, `${text}: ${String(err)}`);
        }
      }),
      { numRuns: 400 },
    );
  });
});
