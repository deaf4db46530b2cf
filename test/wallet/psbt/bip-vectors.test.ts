import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../../../src/encoding/index.js';
import {
  PSBT_ERROR_CODES,
  Psbt,
  PsbtError,
  type PsbtErrorCode,
  signPsbt,
} from '../../../src/wallet/psbt/index.js';
import { BIP174_INVALID, BIP174_SIGNER_FAILURES, BIP174_VALID, type BipCase } from './bip174-vectors.js';
import { BIP370_INVALID_V0, BIP371_INVALID, BIP371_VALID } from './bip371-bip370-vectors.js';
import { keyFor } from './support.js';

const isPsbtError = (code?: PsbtErrorCode) => (e: unknown) =>
  e instanceof PsbtError && (code === undefined || e.code === code);

function assertInvalid(cases: readonly BipCase[]): void {
  for (const c of cases) {
    assert.throws(() => Psbt.fromHex(c.hex), isPsbtError(), c.name);
    assert.throws(() => Psbt.fromBase64(c.base64), isPsbtError(), c.name);
  }
}

function assertRoundTrip(cases: readonly BipCase[]): void {
  for (const c of cases) {
    const psbt = Psbt.fromBase64(c.base64);
    assert.equal(psbt.toHex(), c.hex, c.name);
    assert.equal(psbt.toBase64(), c.base64, c.name);
    assert.equal(Psbt.decode(fromHex(c.hex)).clone().toHex(), c.hex, c.name);
  }
}

describe('BIP174 test vectors', () => {
  it('every invalid PSBT fails with a PsbtError', () => assertInvalid(BIP174_INVALID));

  it('invalid PSBTs fail for the reason the BIP names', () => {
    const expected: PsbtErrorCode[] = [
      'bad-magic',
      'map-count-mismatch',
      'bad-unsigned-tx',
      'bad-unsigned-tx',
      'duplicate-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'bad-key',
      'truncated',
      'bad-value',
    ];
    assert.equal(BIP174_INVALID.length, expected.length);
    for (const [i, c] of BIP174_INVALID.entries()) {
      assert.throws(() => Psbt.fromHex(c.hex), isPsbtError(expected[i]), c.name);
    }
  });

  it('every valid PSBT parses and re-serializes byte for byte', () => {
    assertRoundTrip(BIP174_VALID);
    assertRoundTrip(BIP174_SIGNER_FAILURES);
  });

  it('keeps unknown records and global xpubs', () => {
    const unknown = Psbt.fromHex(BIP174_VALID[6]!.hex);
    assert.equal(unknown.inputs[0]!.unknown.length, 1);
    assert.equal(toHex(unknown.inputs[0]!.unknown[0]!.key), 'f0010203040506070809');
    assert.equal(toHex(unknown.inputs[0]!.unknown[0]!.value), '0102030405060708090a0b0c0d0e0f');
    const xpubs = Psbt.fromHex(BIP174_VALID[5]!.hex).xpubs;
    assert.equal(xpubs.length, 2);
    // BIP174: as many path elements as the xpub's depth byte says.
    for (const x of xpubs) assert.equal(x.origin.path.length, x.xpub[4]);
  });

  it('a signer refuses the inputs the BIP says it must not sign', () => {
    const expected = [
      'witness-utxo-for-non-witness',
      'redeem-script-mismatch',
      'redeem-script-mismatch',
      'witness-script-mismatch',
    ];
    BIP174_SIGNER_FAILURES.forEach((c, i) => {
      const psbt = Psbt.fromHex(c.hex);
      const before = psbt.toHex();
      const statuses = signPsbt(psbt, [keyFor('anyone')]).map((r) => r.status);
      assert.ok(
        statuses.includes(expected[i] as (typeof statuses)[number]),
        `${c.name}: ${statuses.join(',')}`,
      );
      assert.equal(psbt.toHex(), before, `${c.name}: nothing added`);
    });
  });
});

describe('BIP371 (taproot fields) test vectors', () => {
  it('every invalid PSBT fails with a PsbtError', () => assertInvalid(BIP371_INVALID));

  it('every valid PSBT parses and re-serializes byte for byte', () => {
    assertRoundTrip(BIP371_VALID);
    const scriptPath = Psbt.fromHex(BIP371_VALID[5]!.hex).inputs[0]!;
    assert.ok(scriptPath.tapScriptSigs.length > 0);
    assert.ok(scriptPath.tapLeafScripts.length > 0);
    assert.equal(scriptPath.tapMerkleRoot?.length, 32);
    const tree = Psbt.fromHex(BIP371_VALID[4]!.hex).outputs[0]!;
    assert.ok((tree.tapTree?.length ?? 0) > 0);
  });
});

describe('BIP370 version 0 PSBTs with version 2 fields', () => {
  it('are refused', () => {
    assert.throws(() => Psbt.fromHex(BIP370_INVALID_V0[0]!.hex), isPsbtError('unsupported-version'));
    for (const c of BIP370_INVALID_V0.slice(1)) {
      assert.throws(() => Psbt.fromHex(c.hex), isPsbtError('field-not-allowed'), c.name);
    }
  });
});

describe('PsbtError', () => {
  it('has unique codes', () => {
    assert.equal(new Set(PSBT_ERROR_CODES).size, PSBT_ERROR_CODES.length);
  });

  it('rejects malformed text encodings', () => {
    const padded = BIP174_VALID.find((c) => c.base64.endsWith('='))!.base64;
    assert.throws(() => Psbt.fromBase64(`${padded}!`), isPsbtError('bad-encoding'));
    assert.throws(() => Psbt.fromBase64(padded.slice(0, -1)), isPsbtError('bad-encoding'));
    assert.throws(() => Psbt.fromBase64(padded.replace(/=+$/, '')), isPsbtError('bad-encoding'));
    // Non-zero bits after the last byte: a second spelling of the same bytes.
    assert.throws(() => Psbt.fromBase64('cHNidP9='), isPsbtError('bad-encoding'));
    assert.throws(() => Psbt.fromHex('70736274ff0'), isPsbtError('bad-encoding'));
    assert.throws(() => Psbt.fromHex(`${BIP174_VALID[0]!.hex}00`), isPsbtError('extra-data'));
  });
});
