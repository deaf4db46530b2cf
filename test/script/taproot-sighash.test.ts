import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256, taggedHash } from '../../src/crypto/hash.js';
import { BufferWriter, fromHex, toHex } from '../../src/encoding/index.js';
import { TxOut } from '../../src/primitives/index.js';
import {
  annexHash,
  PrecomputedTransactionData,
  ScriptExecutionData,
  SigVersion,
  signatureHashTaproot,
  taprootSigMsg,
} from '../../src/script/index.js';
import { spendingTx } from './taproot-support.js';

/**
 * BIP341's SigMsg written out field by field from the BIP's text, for the parts its wallet vectors
 * do not reach (they are key path only, without annex): the annex, anyone-can-pay with SINGLE, and
 * BIP342's extension (tapleaf hash, key version, codesep position).
 */

const tx = spendingTx(3, [
  new TxOut(1_000, fromHex('0014'.padEnd(44, 'a'))),
  new TxOut(2_000, fromHex('5120'.padEnd(68, 'b'))),
]);
tx.locktime = 812_345;
const spent = [
  new TxOut(5_000, fromHex('5120'.padEnd(68, 'c'))),
  new TxOut(6_000, fromHex('0014'.padEnd(44, 'd'))),
  new TxOut(7_000, fromHex('76a914'.padEnd(46, 'e').concat('88ac'))),
];
const txdata = new PrecomputedTransactionData(tx, spent);
const ANNEX = Uint8Array.of(0x50, 0xde, 0xad);
const LEAF = taggedHash('TapLeaf', Uint8Array.of(0xc0, 1, 0x51));

function sha(write: (w: BufferWriter) => void): Uint8Array {
  const w = new BufferWriter();
  write(w);
  return sha256(w.finish());
}

/** The common prefix: epoch, hash_type, nVersion, nLockTime, and the all-inputs hashes. */
function header(w: BufferWriter, hashType: number, allInputs: boolean, allOutputs: boolean): void {
  w.u8(0).u8(hashType).u32(tx.version).u32(tx.locktime);
  if (allInputs) {
    w.bytes(
      sha((h) => {
        for (const i of tx.inputs) h.bytes(i.prevout.hash).u32(i.prevout.index);
      }),
    );
    w.bytes(
      sha((h) => {
        for (const o of spent) h.i64num(o.value);
      }),
    );
    w.bytes(
      sha((h) => {
        for (const o of spent) h.varBytes(o.scriptPubKey);
      }),
    );
    w.bytes(
      sha((h) => {
        for (const i of tx.inputs) h.u32(i.sequence);
      }),
    );
  }
  if (allOutputs) {
    w.bytes(
      sha((h) => {
        for (const o of tx.outputs) h.i64num(o.value).varBytes(o.scriptPubKey);
      }),
    );
  }
}

function message(hashType: number, sigversion: SigVersion, execdata: ScriptExecutionData, index: number) {
  const msg = taprootSigMsg(tx, index, hashType, sigversion, txdata, execdata);
  const hash = signatureHashTaproot(tx, index, hashType, sigversion, txdata, execdata);
  assert.ok(msg !== null && hash !== null);
  // The hash is the tagged hash of the message (epoch byte included).
  assert.equal(toHex(hash), toHex(taggedHash('TapSighash', msg)));
  return toHex(msg);
}

describe('BIP341/342 SigMsg, field by field', () => {
  it('key path, SINGLE|ANYONECANPAY, with an annex', () => {
    const execdata = new ScriptExecutionData();
    execdata.annexHash = annexHash(ANNEX);
    const w = new BufferWriter();
    header(w, 0x83, false, false);
    w.u8(0 * 2 + 1); // spend_type: key path, annex present
    const input = tx.inputs[1]!;
    w.bytes(input.prevout.hash).u32(input.prevout.index);
    w.i64num(spent[1]!.value).varBytes(spent[1]!.scriptPubKey).u32(input.sequence);
    w.bytes(sha((h) => h.varBytes(ANNEX))); // sha_annex: compact size, then the annex
    w.bytes(sha((h) => h.i64num(tx.outputs[1]!.value).varBytes(tx.outputs[1]!.scriptPubKey)));
    assert.equal(message(0x83, SigVersion.TAPROOT, execdata, 1), toHex(w.finish()));
  });

  it('tapscript, SIGHASH_DEFAULT, annex and a code separator', () => {
    const execdata = new ScriptExecutionData();
    execdata.annexHash = annexHash(ANNEX);
    execdata.tapleafHash = LEAF;
    execdata.codeSeparatorPos = 5;
    const w = new BufferWriter();
    header(w, 0x00, true, true);
    w.u8(1 * 2 + 1); // spend_type: ext_flag 1, annex present
    w.u32(2); // input_index
    w.bytes(sha((h) => h.varBytes(ANNEX)));
    w.bytes(LEAF).u8(0).u32(5); // tapleaf_hash, key_version 0, codesep_pos
    assert.equal(message(0x00, SigVersion.TAPSCRIPT, execdata, 2), toHex(w.finish()));
  });

  it('tapscript, NONE, no annex, no code separator', () => {
    const execdata = new ScriptExecutionData();
    execdata.tapleafHash = LEAF;
    const w = new BufferWriter();
    header(w, 0x02, true, false);
    w.u8(1 * 2 + 0).u32(0);
    w.bytes(LEAF).u8(0).u32(0xffffffff);
    assert.equal(message(0x02, SigVersion.TAPSCRIPT, execdata, 0), toHex(w.finish()));
  });

  it('fails where Core does: bad hashtype, SINGLE past the outputs, missing spent outputs', () => {
    const execdata = new ScriptExecutionData();
    for (const bad of [0x04, 0x7f, 0x80, 0x84, 0xff]) {
      assert.equal(signatureHashTaproot(tx, 0, bad, SigVersion.TAPROOT, txdata, execdata), null);
    }
    assert.equal(signatureHashTaproot(tx, 2, 0x03, SigVersion.TAPROOT, txdata, execdata), null);
    assert.notEqual(signatureHashTaproot(tx, 1, 0x03, SigVersion.TAPROOT, txdata, execdata), null);
    const partial = new PrecomputedTransactionData(tx, spent.slice(0, 2));
    assert.equal(partial.hasSpentOutputs, false);
    assert.equal(signatureHashTaproot(tx, 0, 0x00, SigVersion.TAPROOT, partial, execdata), null);
    assert.throws(() => partial.spentAmountsSha256, RangeError);
  });
});
