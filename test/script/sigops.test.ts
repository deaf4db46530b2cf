import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 } from '../../src/crypto/hash.js';
import { fromHex } from '../../src/encoding/index.js';
import {
  countWitnessSigOps,
  getP2SHSigOpCount,
  getSigOpCount,
  multisig,
  p2pkh,
  p2shOfScript,
  p2wpkh,
  p2wshOfScript,
  parseAsm,
  pushData,
  ScriptFlags,
  witnessProgram,
} from '../../src/script/index.js';

const KEY = fromHex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
const WITNESS = ScriptFlags.P2SH | ScriptFlags.WITNESS;

describe('getSigOpCount (Core CScript::GetSigOpCount)', () => {
  it('counts CHECKSIG as 1 and CHECKMULTISIG as 20 unless accurate after OP_1..OP_16', () => {
    assert.equal(getSigOpCount(parseAsm('CHECKSIG CHECKSIGVERIFY'), false), 2);
    const twoOfThree = multisig(2, [KEY, KEY, KEY]);
    assert.equal(getSigOpCount(twoOfThree, false), 20);
    assert.equal(getSigOpCount(twoOfThree, true), 3);
    // A count pushed as data is not OP_N: the accurate count still assumes 20.
    assert.equal(getSigOpCount(parseAsm('0x01 0x03 CHECKMULTISIGVERIFY'), true), 20);
    assert.equal(getSigOpCount(parseAsm('0 CHECKMULTISIG'), true), 20);
  });

  it('stops silently at a truncated push (consensus)', () => {
    assert.equal(getSigOpCount(parseAsm('CHECKSIG 0x4c'), true), 1);
    // The 0x4c reads CHECKSIG as its length byte and runs off the end: nothing is counted.
    assert.equal(getSigOpCount(parseAsm('0x4c CHECKSIG CHECKSIG'), true), 0);
  });
});

describe('getP2SHSigOpCount', () => {
  it('counts the redeem script of a P2SH spend accurately', () => {
    const redeem = multisig(2, [KEY, KEY, KEY]);
    const scriptSig = Uint8Array.from([0x00, ...pushData(new Uint8Array(71)), ...pushData(redeem)]);
    assert.equal(getP2SHSigOpCount(p2shOfScript(redeem), scriptSig), 3);
  });

  it('is 0 for non-P2SH outputs and non-push-only scriptSigs', () => {
    const redeem = multisig(2, [KEY, KEY, KEY]);
    assert.equal(getP2SHSigOpCount(p2pkh(new Uint8Array(20)), pushData(redeem)), 0);
    assert.equal(getP2SHSigOpCount(p2shOfScript(redeem), Uint8Array.from([...pushData(redeem), 0x76])), 0);
  });
});

describe('countWitnessSigOps', () => {
  const witnessScript = multisig(2, [KEY, KEY, KEY]);

  it('counts P2WPKH as 1 and P2WSH by its witness script', () => {
    assert.equal(countWitnessSigOps(new Uint8Array(0), p2wpkh(new Uint8Array(20)), [], WITNESS), 1);
    const spk = p2wshOfScript(witnessScript);
    assert.equal(countWitnessSigOps(new Uint8Array(0), spk, [new Uint8Array(0), witnessScript], WITNESS), 3);
    assert.equal(countWitnessSigOps(new Uint8Array(0), spk, [], WITNESS), 0);
  });

  it('looks through P2SH-wrapped programs', () => {
    const program = witnessProgram(0, sha256(witnessScript));
    const spk = p2shOfScript(program);
    assert.equal(countWitnessSigOps(pushData(program), spk, [witnessScript], WITNESS), 3);
    const nestedKeyHash = p2wpkh(new Uint8Array(20));
    assert.equal(countWitnessSigOps(pushData(nestedKeyHash), p2shOfScript(nestedKeyHash), [], WITNESS), 1);
  });

  it('is 0 without the WITNESS flag and for other witness versions', () => {
    assert.equal(countWitnessSigOps(new Uint8Array(0), p2wpkh(new Uint8Array(20)), [], ScriptFlags.P2SH), 0);
    assert.equal(
      countWitnessSigOps(new Uint8Array(0), witnessProgram(1, new Uint8Array(32)), [], WITNESS),
      0,
    );
  });
});
