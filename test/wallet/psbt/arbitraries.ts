import fc from 'fast-check';
import { utf8 } from '../../../src/encoding/bytes.js';
import { hash160, hash256, ripemd160, sha256 } from '../../../src/crypto/hash.js';
import { OutPoint } from '../../../src/primitives/outpoint.js';
import { Transaction } from '../../../src/primitives/transaction.js';
import { TxIn } from '../../../src/primitives/txin.js';
import { TxOut } from '../../../src/primitives/txout.js';
import {
  type KeyOrigin,
  Psbt,
  PsbtInput,
  PsbtOutput,
  type RawRecord,
  type TapTreeLeaf,
} from '../../../src/wallet/psbt/index.js';
import { keyFor } from './support.js';

/**
 * fast-check generators of arbitrary valid PSBTs: every field type BIP174/BIP371 define, with
 * random contents that satisfy each field's rules (valid keys, strict-DER signatures, preimages
 * that hash to their key, complete taproot trees), plus proprietary and unknown records.
 */

const MAX_MONEY = 21_000_000 * 100_000_000;
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const script = fc.uint8Array({ maxLength: 40 });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Real keys with one real signature each, as partial signatures must be valid encodings. */
const POOL = Array.from({ length: 5 }, (_, i) => {
  const key = keyFor(`pool ${i}`);
  const der = key.sign(sha256(utf8(`message ${i}`)));
  return { pubkey: key.publicKey, signature: Uint8Array.from([...der, 0x01]) };
});

const origin: fc.Arbitrary<KeyOrigin> = fc.record({
  fingerprint: bytes(4),
  path: fc.array(u32, { maxLength: 4 }),
});
const poolSubset = fc.subarray(POOL);
const txout = fc
  .record({ value: fc.integer({ min: 0, max: MAX_MONEY }), script })
  .map((o) => new TxOut(o.value, o.script));

/** Records of types this code does not know, with key types drawn from `types`. */
function rawRecords(types: fc.Arbitrary<number>): fc.Arbitrary<RawRecord[]> {
  return fc.uniqueArray(
    fc
      .record({ type: types, data: fc.uint8Array({ maxLength: 8 }), value: fc.uint8Array({ maxLength: 12 }) })
      .map((r): RawRecord => ({ key: Uint8Array.from([r.type, ...r.data]), value: r.value })),
    { maxLength: 3, selector: (r) => hexOf(r.key) },
  );
}

/** 0xfc, identifier (length-prefixed), subtype, key data. */
const proprietary: fc.Arbitrary<RawRecord[]> = fc.uniqueArray(
  fc
    .record({
      id: fc.uint8Array({ maxLength: 6 }),
      subtype: fc.integer({ min: 0, max: 0xfc }),
      data: fc.uint8Array({ maxLength: 6 }),
      value: fc.uint8Array({ maxLength: 10 }),
    })
    .map(
      (p): RawRecord => ({
        key: Uint8Array.from([0xfc, p.id.length, ...p.id, p.subtype, ...p.data]),
        value: p.value,
      }),
    ),
  { maxLength: 2, selector: (r) => hexOf(r.key) },
);

const preimages = (hash: (b: Uint8Array) => Uint8Array) =>
  fc
    .uniqueArray(fc.uint8Array({ maxLength: 16 }), { maxLength: 2, selector: hexOf })
    .map((list) => list.map((preimage) => ({ hash: hash(preimage), preimage })));

const tapBip32 = fc.uniqueArray(
  fc.record({ xonly: bytes(32), leafHashes: fc.array(bytes(32), { maxLength: 2 }), origin }),
  {
    maxLength: 2,
    selector: (d) => hexOf(d.xonly),
  },
);

/** Complete binary trees, as leaf depths in depth-first order. */
const TREE_SHAPES = [[0], [1, 1], [1, 2, 2], [2, 2, 1], [2, 2, 2, 2], [1, 2, 3, 3]];
const tapTree: fc.Arbitrary<TapTreeLeaf[]> = fc
  .constantFrom(...TREE_SHAPES)
  .chain((shape) =>
    fc.tuple(
      ...shape.map((depth) =>
        fc.record({ depth: fc.constant(depth), leafVersion: fc.constantFrom(0xc0, 0xc2), script }),
      ),
    ),
  );

const prevTx = fc
  .record({
    hash: bytes(32),
    witness: fc.array(fc.uint8Array({ minLength: 1, maxLength: 8 }), { maxLength: 2 }),
    outputs: fc.array(txout, { minLength: 1, maxLength: 2 }),
  })
  .map(
    (p) =>
      new Transaction(
        1,
        [new TxIn(new OutPoint(p.hash, 0), new Uint8Array(0), 0xffffffff, p.witness)],
        p.outputs,
        0,
      ),
  );

const inputMap = fc.record({
  prev: opt(prevTx),
  hash: bytes(32),
  index: u32,
  sequence: u32,
  witnessUtxo: opt(txout),
  sigs: poolSubset,
  sighashType: opt(u32),
  redeemScript: opt(script),
  witnessScript: opt(script),
  derivations: fc.tuple(poolSubset, origin),
  finalScriptSig: opt(script),
  finalScriptWitness: opt(fc.array(script, { maxLength: 3 })),
  porCommitment: opt(fc.uint8Array({ maxLength: 10 })),
  ripemd160: preimages(ripemd160),
  sha256: preimages(sha256),
  hash160: preimages(hash160),
  hash256: preimages(hash256),
  tapKeySig: opt(fc.oneof(bytes(64), bytes(65))),
  tapScriptSigs: fc.uniqueArray(fc.record({ xonly: bytes(32), leafHash: bytes(32), signature: bytes(64) }), {
    maxLength: 2,
    selector: (s) => hexOf(s.xonly) + hexOf(s.leafHash),
  }),
  tapLeafScripts: fc.uniqueArray(
    fc.record({
      controlBlock: fc.integer({ min: 0, max: 2 }).chain((n) => bytes(33 + 32 * n)),
      script,
      leafVersion: fc.integer({ min: 0, max: 255 }),
    }),
    { maxLength: 2, selector: (l) => hexOf(l.controlBlock) },
  ),
  tapBip32,
  tapInternalKey: opt(bytes(32)),
  tapMerkleRoot: opt(bytes(32)),
  proprietary,
  // Known input types end at 0x18; 0x19..0xfb are unknown to this code.
  unknown: rawRecords(fc.integer({ min: 0x19, max: 0xfb })),
});

const outputMap = fc.record({
  txout,
  redeemScript: opt(script),
  witnessScript: opt(script),
  derivations: fc.tuple(poolSubset, origin),
  tapInternalKey: opt(bytes(32)),
  tapTree: opt(tapTree),
  tapBip32,
  proprietary,
  unknown: rawRecords(fc.integer({ min: 0x08, max: 0xfb })),
});

const xpubs = fc.uniqueArray(
  fc
    .record({
      head: bytes(4),
      depth: fc.integer({ min: 0, max: 3 }),
      middle: bytes(40),
      key: fc.constantFrom(...POOL.map((p) => p.pubkey)),
      fingerprint: bytes(4),
    })
    .chain((x) =>
      fc.array(u32, { minLength: x.depth, maxLength: x.depth }).map((path) => ({
        xpub: Uint8Array.from([...x.head, x.depth, ...x.middle, ...x.key]),
        origin: { fingerprint: x.fingerprint, path },
      })),
    ),
  { maxLength: 2, selector: (x) => hexOf(x.xpub) },
);

export const arbPsbt: fc.Arbitrary<Psbt> = fc
  .record({
    version: u32,
    locktime: u32,
    inputs: fc.array(inputMap, { maxLength: 3 }),
    outputs: fc.array(outputMap, { maxLength: 3 }),
    xpubs,
    psbtVersion: opt(fc.constant(0)),
    proprietary,
    // 0x02..0x06 are PSBTv2 fields, 0xfb the version, 0xfc proprietary.
    unknown: rawRecords(fc.integer({ min: 0x07, max: 0xfa })),
  })
  .map((g) => {
    const txins = g.inputs.map((m) => {
      // A non-witness UTXO must be the transaction the outpoint names.
      const prevout =
        m.prev === undefined
          ? new OutPoint(m.hash, m.index)
          : new OutPoint(m.prev.txid(), m.index % m.prev.outputs.length);
      return new TxIn(prevout, new Uint8Array(0), m.sequence);
    });
    const psbt = new Psbt(
      new Transaction(
        g.version,
        txins,
        g.outputs.map((o) => o.txout),
        g.locktime,
      ),
    );
    psbt.version = g.psbtVersion;
    psbt.xpubs = g.xpubs;
    psbt.proprietary = g.proprietary;
    psbt.unknown = g.unknown;
    g.inputs.forEach((m, i) => {
      const input = new PsbtInput();
      input.nonWitnessUtxo = m.prev;
      input.witnessUtxo = m.witnessUtxo;
      input.partialSigs = m.sigs.map((s) => ({ ...s }));
      input.sighashType = m.sighashType;
      input.redeemScript = m.redeemScript;
      input.witnessScript = m.witnessScript;
      input.bip32Derivations = m.derivations[0].map((p) => ({ pubkey: p.pubkey, origin: m.derivations[1] }));
      input.finalScriptSig = m.finalScriptSig;
      input.finalScriptWitness = m.finalScriptWitness;
      input.porCommitment = m.porCommitment;
      input.preimages = { ripemd160: m.ripemd160, sha256: m.sha256, hash160: m.hash160, hash256: m.hash256 };
      input.tapKeySig = m.tapKeySig;
      input.tapScriptSigs = m.tapScriptSigs;
      input.tapLeafScripts = m.tapLeafScripts;
      input.tapBip32Derivations = m.tapBip32;
      input.tapInternalKey = m.tapInternalKey;
      input.tapMerkleRoot = m.tapMerkleRoot;
      input.proprietary = m.proprietary;
      input.unknown = m.unknown;
      psbt.inputs[i] = input;
    });
    g.outputs.forEach((m, i) => {
      const output = new PsbtOutput();
      output.redeemScript = m.redeemScript;
      output.witnessScript = m.witnessScript;
      output.bip32Derivations = m.derivations[0].map((p) => ({ pubkey: p.pubkey, origin: m.derivations[1] }));
      output.tapInternalKey = m.tapInternalKey;
      output.tapTree = m.tapTree;
      output.tapBip32Derivations = m.tapBip32;
      output.proprietary = m.proprietary;
      output.unknown = m.unknown;
      psbt.outputs[i] = output;
    });
    return psbt;
  });
