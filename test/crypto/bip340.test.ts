import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schnorr } from '@noble/curves/secp256k1.js';
import * as tiny from 'tiny-secp256k1';
import { sha256 } from '../../src/crypto/hash.js';
import {
  schnorrPublicKey,
  schnorrSign,
  schnorrVerify,
  setVerifyBackend,
} from '../../src/crypto/secp256k1.js';
import { fromHex, toHex, utf8 } from '../../src/encoding/index.js';
import { readShared } from '../support/shared.js';

interface Vector {
  readonly index: number;
  readonly secretKey: string;
  readonly publicKey: string;
  readonly auxRand: string;
  readonly message: string;
  readonly signature: string;
  readonly valid: boolean;
  readonly comment: string;
}

function readVectors(): Vector[] {
  const lines = new TextDecoder()
    .decode(readShared('vectors', 'bip', 'bip340.csv'))
    .trim()
    .split(/\r?\n/);
  assert.equal(
    lines[0],
    'index,secret key,public key,aux_rand,message,signature,verification result,comment',
  );
  return lines.slice(1).map((line) => {
    const [index, secretKey, publicKey, auxRand, message, signature, result, ...comment] = line.split(',');
    assert.ok(result === 'TRUE' || result === 'FALSE', line);
    return {
      index: Number(index),
      secretKey: secretKey ?? '',
      publicKey: publicKey ?? '',
      auxRand: auxRand ?? '',
      message: message ?? '',
      signature: signature ?? '',
      valid: result === 'TRUE',
      comment: comment.join(','),
    };
  });
}

const det = (tag: string, i: number): Uint8Array => sha256(utf8(`${tag}/${i}`));

describe('BIP340 Schnorr (shared/vectors/bip/bip340.csv)', () => {
  const vectors = readVectors();

  it('has the 19 published vectors', () => {
    assert.equal(vectors.length, 19);
    assert.deepEqual(
      vectors.map((v) => v.index),
      Array.from({ length: 19 }, (_, i) => i),
    );
  });

  for (const v of vectors) {
    it(`vector ${v.index}: ${v.valid ? 'valid' : 'invalid'}${v.comment ? ` (${v.comment})` : ''}`, () => {
      const msg = fromHex(v.message);
      const sig = fromHex(v.signature);
      const pub = fromHex(v.publicKey);
      // Both paths: WASM libsecp256k1 ('native', 32-byte messages) and the pure-JS reference.
      for (const name of ['native', 'noble'] as const) {
        setVerifyBackend(name);
        try {
          assert.equal(schnorrVerify(sig, msg, pub), v.valid, `${name} backend`);
        } finally {
          setVerifyBackend('native');
        }
      }
      if (v.secretKey !== '') {
        const sk = fromHex(v.secretKey);
        assert.equal(toHex(schnorrPublicKey(sk)), v.publicKey.toLowerCase());
        assert.equal(toHex(schnorrSign(msg, sk, fromHex(v.auxRand))), v.signature.toLowerCase());
      }
    });
  }

  it('agrees with noble and tiny-secp256k1 on random valid and corrupted signatures', () => {
    let valid = 0;
    for (let i = 0; i < 300; i++) {
      const sk = det('sk', i);
      const msg = det('msg', i);
      const pub = schnorrPublicKey(sk);
      const sig = schnorrSign(msg, sk, det('aux', i));
      if (i % 3 === 1) sig[i % 64]! ^= 1 << (i % 8);
      if (i % 3 === 2) msg[i % 32]! ^= 1;
      const ours = schnorrVerify(sig, msg, pub);
      assert.equal(ours, schnorr.verify(sig, msg, pub), `noble, case ${i}`);
      assert.equal(ours, tiny.verifySchnorr(msg, pub, sig), `tiny, case ${i}`);
      if (ours) valid++;
    }
    assert.equal(valid, 100);
  });

  it('rejects malformed lengths without throwing', () => {
    const v = vectors[0]!;
    assert.equal(
      schnorrVerify(fromHex(v.signature).subarray(1), fromHex(v.message), fromHex(v.publicKey)),
      false,
    );
    assert.equal(schnorrVerify(fromHex(v.signature), fromHex(v.message), new Uint8Array(33)), false);
    assert.throws(
      () => schnorrSign(new Uint8Array(32), fromHex(v.secretKey), new Uint8Array(31)),
      RangeError,
    );
  });
});
