/**
 * BIP380 key expressions (the BIP's valid and invalid lists, inside pk()), hardened markers as
 * Core prints them, key origins in expansions, and the derivation cache.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { toHex } from '../../../src/encoding/hex.js';
import { HARDENED } from '../../../src/wallet/keys/index.js';
import { DescriptorError, parseDescriptor } from '../../../src/wallet/descriptors/index.js';

const network = mainnet;
const H = HARDENED;
const KEY = '0260b2003c386519fc9eadf2b5cf124dd8eea4c4e68d5e154050a9346ea98ce600';
const XPUB =
  'xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL';
const XPRV =
  'xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc';
const XPRV_M =
  'xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U';

const body = (text: string): string => text.split('#')[0]!;
const pk = (key: string) => parseDescriptor(`pk(${key})`, { network });

function keyError(key: string, wrap = 'pk'): string {
  try {
    parseDescriptor(`${wrap}(${key})`, { network });
  } catch (err) {
    assert.ok(err instanceof DescriptorError, String(err));
    return err.message;
  }
  assert.fail(`parsed: ${key}`);
}

describe('BIP380 key expressions', () => {
  it('accepts the valid public key expressions and prints them back', () => {
    const same = [
      KEY,
      '04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235',
      `[deadbeef/0h/0h/0h]${KEY}`,
      `[deadbeef/0'/0'/0']${KEY}`,
      XPUB,
      `[deadbeef/0h/1h/2h]${XPUB}`,
      `[deadbeef/0h/1h/2h]${XPUB}/3/4/5`,
      `[deadbeef/0h/1h/2h]${XPUB}/3/4/5/*`,
      `${XPUB}/3h/4h/5h/*`,
      `${XPUB}/3h/4h/5h/*h`,
      `[deadbeef/0h/1h/2]${XPUB}/3h/4h/5h/*h`,
    ];
    for (const key of same) assert.equal(body(pk(key).toString()), `pk(${key})`, key);
    // Mixed markers: Core keeps the last one it saw for the whole key expression.
    assert.equal(body(pk(`[deadbeef/0'/0h/0']${KEY}`).toString()), `pk([deadbeef/0'/0'/0']${KEY})`);
    assert.equal(body(pk(`[deadbeef/0'/0h/0h]${KEY}`).toString()), `pk([deadbeef/0h/0h/0h]${KEY})`);
    assert.equal(body(pk(`[deadbeef/1']${XPUB}/2h/*`).toString()), `pk([deadbeef/1h]${XPUB}/2h/*)`);
    assert.equal(body(pk(`[deadbeef/1h]${XPUB}/2/*'`).toString()), `pk([deadbeef/1']${XPUB}/2/*')`);
    assert.equal(body(pk(`[DEADBEEF]${KEY}`).toString()), `pk([deadbeef]${KEY})`);
  });

  it('accepts the valid private key expressions, printing public and private forms', () => {
    const wifs: [string, string][] = [
      [
        '5KYZdUEo39z3FPrtuX2QbbwGnNP5zTd7yyr2SC1j299sBCnWjss',
        '04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235',
      ],
      [
        'L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1',
        '03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd',
      ],
    ];
    for (const [wif, pub] of wifs) {
      const d = pk(wif);
      assert.equal(body(d.toString()), `pk(${pub})`);
      assert.equal(body(d.toPrivateString()), `pk(${wif})`);
      assert.ok(d.hasPrivateKeys && d.hasAllPrivateKeys);
    }
    const xprvs = [
      '',
      '[deadbeef/0h/1h/2h]',
      '[deadbeef/0h/1h/2h]|/3/4/5',
      '[deadbeef/0h/1h/2h]|/3/4/5/*',
      '|/3h/4h/5h/*',
      '|/3h/4h/5h/*h',
      '[deadbeef/0h/1h/2]|/3h/4h/5h/*h',
    ];
    for (const shape of xprvs) {
      const [origin, path = ''] = shape.split('|');
      const d = pk(`${origin}${XPRV}${path}`);
      assert.equal(body(d.toString()), `pk(${origin}${XPUB}${path})`);
      assert.equal(body(d.toPrivateString()), `pk(${origin}${XPRV}${path})`);
      assert.equal(d.isRange, path.includes('*'));
    }
  });

  it('rejects the invalid BIP380 key expressions with Core messages', () => {
    const xprvPath = `${XPRV_M}/2147483647'/0`;
    const cases: [string, string][] = [
      [`[deadbeef/0h/0h/0h/*]${KEY}`, "Key path value '*' is not a valid uint32"],
      [`[deadbeef/0h/0h/0h/]${KEY}`, "Key path value '' is not valid"],
      [`[deadbef/0h/0h/0h]${KEY}`, 'Fingerprint is not 4 bytes (7 characters instead of 8 characters)'],
      [`[deadbeeef/0h/0h/0h]${KEY}`, 'Fingerprint is not 4 bytes (9 characters instead of 8 characters)'],
      [`[deadbeef/0f/0f/0f]${KEY}`, "Key path value '0f' is not a valid uint32"],
      [`[deadbeef/0H/0H/0H]${KEY}`, "Key path value '0H' is not a valid uint32"],
      [`[deadbeef/-0/-0/-0]${KEY}`, "Key path value '-0' is not a valid uint32"],
      [
        'L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1/0',
        "key 'L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1' is not valid",
      ],
      [
        'L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1/*',
        "key 'L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1' is not valid",
      ],
      [`${XPRV_M}/2147483648`, 'Key path value 2147483648 is out of range'],
      [`${XPRV_M}/1aa`, "Key path value '1aa' is not a valid uint32"],
      [`[aaaaaaaa][aaaaaaaa]${xprvPath}`, "Multiple ']' characters found for a single pubkey"],
      [`aaaaaaaa]${xprvPath}`, "Key origin start '[ character expected but not found, got 'a' instead"],
      [`[gaaaaaaa]${xprvPath}`, "Fingerprint 'gaaaaaaa' is not hex"],
      ['[deadbeef]', 'No key provided'],
    ];
    for (const [key, message] of cases) assert.equal(keyError(key), `pk(): ${message}`, key);
  });

  it('rejects other bad keys as Core does', () => {
    assert.equal(keyError(` ${KEY}`), `pk(): Key ' ${KEY}' is invalid due to whitespace`);
    assert.equal(keyError(''), 'pk(): No key provided');
    // A hybrid key (0x06: even y) of the generator point.
    const hybrid =
      '0679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8';
    assert.equal(keyError(hybrid), 'pk(): Hybrid public keys are not allowed');
    assert.equal(keyError(`02${'00'.repeat(32)}`), `pk(): Pubkey '02${'00'.repeat(32)}' is invalid`);
    // x-only keys only inside tr().
    assert.equal(keyError(KEY.slice(2)), `pk(): Pubkey '${KEY.slice(2)}' is invalid`);
    // A key of another network.
    const tpub = parseDescriptor(`pk(${XPUB})`, { network }).toString();
    assert.ok(tpub.startsWith('pk(xpub'));
    assert.equal(
      (() => {
        try {
          parseDescriptor(`pk(${XPUB})`, { network: regtest });
          return '';
        } catch (err) {
          return (err as Error).message;
        }
      })(),
      `pk(): key '${XPUB}' is not valid`,
    );
    // BIP389 multipath: one descriptor is expected here (parseDescriptors takes several).
    assert.equal(
      keyError(`${XPUB}/<0;1>/*`, 'wpkh'),
      'A multipath descriptor (BIP389) stands for 2 descriptors; one was expected here',
    );
    assert.equal(
      keyError(`[deadbeef/<0;1>]${KEY}`),
      "Key path value '<0;1>' specifies multipath in a section where multipath is not allowed",
    );
  });
});

describe('derivation', () => {
  it('records key origins as Core does', () => {
    const d = parseDescriptor(
      `pkh([deadbeef/1/2'/3/4']L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1)`,
      {
        network,
      },
    );
    const [key] = d.expand().keys;
    assert.equal(toHex(key!.origin.fingerprint), 'deadbeef');
    assert.deepEqual(key!.origin.path, [1, H + 2, 3, H + 4]);
    assert.equal(key!.privateKey?.length, 32);

    // descriptor_tests.cpp: wpkh([ffffffff/13']xpub.../1/2/*) derives [13', 1, 2, i].
    const ranged = parseDescriptor(
      "wpkh([ffffffff/13']xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH/1/2/*)",
      { network },
    );
    for (const i of [0, 1, 2]) {
      const [k] = ranged.expand(i).keys;
      assert.equal(toHex(k!.origin.fingerprint), 'ffffffff');
      assert.deepEqual(k!.origin.path, [H + 13, 1, 2, i]);
      assert.equal(k!.privateKey, undefined);
    }

    // A key without origin is its own: HASH160 fingerprint of the root, path below it.
    const bare = parseDescriptor(`sh(wpkh(${XPRV_M}/10/20/30/40/*'))`, { network });
    const [b] = bare.expand(2).keys;
    assert.deepEqual(b!.origin.path, [10, 20, 30, 40, H + 2]);
    assert.ok(b!.privateKey !== undefined);
    const c = parseDescriptor(`pk(${KEY})`, { network }).expand().keys[0]!;
    assert.deepEqual(c.origin.path, []);
    assert.equal(c.origin.fingerprint.length, 4);
  });

  it('hands out copies of private keys, so wiping one leaves the descriptor intact', () => {
    for (const text of [`wpkh(${XPRV}/0/*)`, 'wpkh(L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1)']) {
      const d = parseDescriptor(text, { network });
      const first = d.expand(5).keys[0]!.privateKey!;
      const copy = first.slice();
      first.fill(0);
      assert.deepEqual(d.expand(5).keys[0]!.privateKey, copy);
    }
  });

  it('refuses positions outside 0..2^31-1', () => {
    const d = parseDescriptor(`wpkh(${XPUB}/0/*)`, { network });
    for (const bad of [-1, 2 ** 31, 1.5]) {
      assert.throws(
        () => d.expand(bad),
        (err: unknown) => err instanceof DescriptorError && err.kind === 'parameter',
      );
    }
    assert.ok(d.expand(2 ** 31 - 1).scriptPubKey.length === 22);
  });

  it('needs the private key for hardened steps (Core: cannot derive from an xpub)', () => {
    for (const text of [`wpkh(${XPUB}/1h/*)`, `wpkh(${XPUB}/1/*h)`, `wpkh([deadbeef/1]${XPUB}/1'/0)`]) {
      const d = parseDescriptor(text, { network });
      assert.throws(
        () => d.expand(0),
        (err: unknown) =>
          err instanceof DescriptorError &&
          err.kind === 'derive' &&
          err.message === 'Cannot derive script without private keys',
      );
    }
  });

  it('derives an xpub range from one cached parent (timed)', () => {
    const d = parseDescriptor(`wpkh(${XPUB}/0/*)`, { network });
    const started = performance.now();
    const scripts = new Set<string>();
    for (let i = 0; i < 1000; i++) scripts.add(toHex(d.expand(i).scriptPubKey));
    const ms = performance.now() - started;
    assert.equal(scripts.size, 1000);
    // The same range from a fresh descriptor matches (the cache changes nothing but speed).
    const fresh = parseDescriptor(`wpkh(${XPUB}/0/*)`, { network });
    assert.equal(toHex(fresh.expand(999).scriptPubKey), toHex(d.expand(999).scriptPubKey));
    console.log(`# 1,000 wpkh(xpub/0/*) expansions: ${ms.toFixed(1)} ms`);
  });
});
