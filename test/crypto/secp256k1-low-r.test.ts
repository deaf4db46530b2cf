import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeDer } from '../../src/crypto/der.js';
import {
  ecdsaSign,
  ecdsaSignDerLowR,
  ecdsaSignLowR,
  ecdsaVerifyCompact,
  publicKeyCreate,
} from '../../src/crypto/secp256k1.js';
import { det, withBackend } from './secp256k1-support.js';

/** Core's CKey::Sign extra-entropy block: the counter little-endian in the first 4 of 32 bytes. */
function counterBlock(counter: number): Uint8Array {
  const b = new Uint8Array(32);
  new DataView(b.buffer).setUint32(0, counter, true);
  return b;
}

describe('ECDSA signing: native libsecp256k1 against the noble reference', () => {
  it('gives identical RFC6979 signatures without and with extra data, and both verify', () => {
    for (let i = 0; i < 64; i++) {
      const msg = det('msg', i);
      const key = det('key', i);
      const pub = publicKeyCreate(key);
      for (const extra of [undefined, counterBlock(i + 1), det('extra', i)]) {
        const native = withBackend('native', () => ecdsaSign(msg, key, extra));
        const reference = withBackend('noble', () => ecdsaSign(msg, key, extra));
        assert.deepEqual(native, reference, `signature ${i} differs between backends`);
        assert.ok(withBackend('native', () => ecdsaVerifyCompact(native, msg, pub)));
        assert.ok(withBackend('noble', () => ecdsaVerifyCompact(native, msg, pub)));
      }
    }
  });

  it('rejects extra data that is not 32 bytes', () => {
    assert.throws(() => ecdsaSign(det('m', 0), det('k', 0), new Uint8Array(31)), RangeError);
  });
});

describe("low-R grinding (Core's CKey::Sign with grind)", () => {
  it('keeps every DER signature at 70 bytes or less, and verifies', () => {
    let ground = 0;
    for (let i = 0; i < 200; i++) {
      const msg = det('grind-msg', i);
      const key = det('grind-key', i);
      const sig = ecdsaSignLowR(msg, key);
      assert.ok(sig[0]! < 0x80, 'R below 2^255');
      assert.ok(ecdsaSignDerLowR(msg, key).length <= 70);
      assert.ok(ecdsaVerifyCompact(sig, msg, publicKeyCreate(key)));
      if (ecdsaSign(msg, key)[0]! >= 0x80) ground++;
    }
    // About half of plain RFC6979 signatures have a high R: the grinding must have run.
    assert.ok(ground > 50 && ground < 150, `${ground} of 200 needed grinding`);
  });

  it('is the first low-R signature in the sequence no extra data, counter 1, 2, … (both backends)', () => {
    for (let i = 0; i < 40; i++) {
      const msg = det('seq-msg', i);
      const key = det('seq-key', i);
      for (const backend of ['native', 'noble'] as const) {
        const expected = withBackend(backend, () => {
          let sig = ecdsaSign(msg, key);
          for (let c = 1; sig[0]! >= 0x80; c++) sig = ecdsaSign(msg, key, counterBlock(c));
          return sig;
        });
        assert.deepEqual(
          withBackend(backend, () => ecdsaSignLowR(msg, key)),
          expected,
        );
        assert.deepEqual(
          withBackend(backend, () => ecdsaSignDerLowR(msg, key)),
          encodeDer(expected),
        );
      }
    }
  });
});
