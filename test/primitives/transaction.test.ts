import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hash256 } from '../../src/crypto/hash.js';
import { BufferWriter, DecodeError, fromHex, toHex } from '../../src/encoding/index.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../src/primitives/index.js';
import { readSharedJson } from '../support/shared.js';

const isDecodeError = (message: RegExp) => (e: unknown) =>
  e instanceof DecodeError && message.test(e.message);

/** A P2WPKH-style spend: one input with a two-item witness, one output. */
function segwitTx(): Transaction {
  const prevout = new OutPoint(hash256(Uint8Array.of(1)), 3);
  const sig = new Uint8Array(71).fill(0x30);
  const key = new Uint8Array(33).fill(0x02);
  const input = new TxIn(prevout, new Uint8Array(0), 0xfffffffd, [sig, key]);
  const output = new TxOut(99_000, fromHex('0014751e76e8199196d454941c45d1b3a323f1433bd6'));
  return new Transaction(2, [input], [output], 800_000);
}

const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const arbInput = fc
  .record({
    hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    index: fc.nat({ max: 0xffffffff }),
    scriptSig: bytes(40),
    sequence: fc.nat({ max: 0xffffffff }),
    witness: fc.array(bytes(40), { maxLength: 3 }),
  })
  .map((i) => new TxIn(new OutPoint(i.hash, i.index), i.scriptSig, i.sequence, i.witness));
const arbOutput = fc
  .record({ value: fc.integer({ min: 0, max: 21_000_000 * 100_000_000 }), script: bytes(40) })
  .map((o) => new TxOut(o.value, o.script));
/** Transactions with at least one input: an empty vin cannot round-trip (BIP144 reads it as the marker). */
const arbTx = fc
  .record({
    version: fc.nat({ max: 0xffffffff }),
    inputs: fc.array(arbInput, { minLength: 1, maxLength: 4 }),
    outputs: fc.array(arbOutput, { maxLength: 4 }),
    locktime: fc.nat({ max: 0xffffffff }),
  })
  .map((t) => new Transaction(t.version, t.inputs, t.outputs, t.locktime));

describe('Transaction (BIP144 serialization)', () => {
  it('writes the marker and flag only when some input has a witness', () => {
    const tx = segwitTx();
    const full = tx.encode(true);
    const stripped = tx.encode(false);
    assert.equal(toHex(full.subarray(0, 6)), '020000000001');
    assert.equal(toHex(stripped.subarray(0, 5)), '0200000001');
    // Full = version | 00 01 | body | witnesses | locktime; witness = count, then length-prefixed items.
    assert.equal(full.length, stripped.length + 2 + 1 + (1 + 71) + (1 + 33));
    assert.equal(toHex(Transaction.decode(full).encode()), toHex(full));
    assert.equal(toHex(Transaction.decode(stripped).encode()), toHex(stripped));
  });

  it('separates txid (no witness) from wtxid (with witness)', () => {
    const tx = segwitTx();
    assert.equal(toHex(tx.txid()), toHex(hash256(tx.encode(false))));
    assert.equal(toHex(tx.wtxid()), toHex(hash256(tx.encode(true))));
    assert.notEqual(toHex(tx.txid()), toHex(tx.wtxid()));
    // The witness is not covered by the txid (the point of segwit: no third-party malleability).
    const other = segwitTx();
    other.inputs[0]!.witness = [new Uint8Array(72).fill(0x31), new Uint8Array(33).fill(0x03)];
    assert.equal(other.txidHex(), tx.txidHex());
    assert.notEqual(other.wtxidHex(), tx.wtxidHex());
    // Decoding computes the hashes from the raw bytes; they agree with re-serialization.
    const decoded = Transaction.decode(tx.encode());
    assert.equal(decoded.txidHex(), tx.txidHex());
    assert.equal(decoded.wtxidHex(), tx.wtxidHex());
    // Without witness, the two are one.
    const legacy = segwitTx();
    legacy.inputs[0]!.witness = [];
    assert.equal(legacy.wtxidHex(), legacy.txidHex());
  });

  it('weighs witness bytes at 1 and the rest at 4 (BIP141)', () => {
    const tx = segwitTx();
    const base = tx.encode(false).length;
    const total = tx.encode(true).length;
    assert.equal(tx.baseSize(), base);
    assert.equal(tx.totalSize(), total);
    assert.equal(tx.weight(), base * 3 + total);
    assert.equal(tx.vsize(), Math.ceil((base * 3 + total) / 4));
  });

  it('round-trips random transactions, witness or not (property)', () => {
    fc.assert(
      fc.property(arbTx, (tx) => {
        const full = tx.encode(true);
        const decoded = Transaction.decode(full);
        assert.equal(toHex(decoded.encode(true)), toHex(full));
        assert.equal(toHex(decoded.encode(false)), toHex(tx.encode(false)));
        assert.equal(decoded.txidHex(), tx.txidHex());
        assert.equal(decoded.wtxidHex(), tx.wtxidHex());
        assert.equal(decoded.weight(), tx.weight());
        assert.equal(decoded.hasWitness(), tx.hasWitness());
        assert.equal(toHex(decoded.txid()), toHex(hash256(tx.encode(false))));
        assert.deepEqual(
          decoded.outputs.map((o) => o.value),
          tx.outputs.map((o) => o.value),
        );
        // The stripped form decodes to the same transaction without witnesses.
        const stripped = Transaction.decode(tx.encode(false));
        assert.equal(stripped.hasWitness(), false);
        assert.equal(stripped.txidHex(), tx.txidHex());
      }),
      { numRuns: 300 },
    );
  });
});

describe("Transaction: Core's deserialization edge cases", () => {
  it('rejects a marker and flag with every witness empty: "Superfluous witness record"', () => {
    const tx = segwitTx();
    const full = tx.encode(true);
    // Replace the two-item witness (02 47 <71> 21 <33>) by an empty one (00).
    const witnessStart = full.length - 4 - (1 + 1 + 71 + 1 + 33);
    const bad = new Uint8Array(witnessStart + 1 + 4);
    bad.set(full.subarray(0, witnessStart));
    bad[witnessStart] = 0;
    bad.set(full.subarray(full.length - 4), witnessStart + 1);
    assert.throws(() => Transaction.decode(bad), isDecodeError(/Superfluous witness record/));
  });

  it('rejects unknown optional data flags: "Unknown transaction optional data"', () => {
    const full = segwitTx().encode(true);
    for (const flag of [0x02, 0x03, 0x80, 0xff]) {
      const bad = Uint8Array.from(full);
      bad[5] = flag;
      assert.throws(
        () => Transaction.decode(bad),
        isDecodeError(/Unknown transaction optional data/),
        `${flag}`,
      );
    }
  });

  it('reads an empty vin with flag 0 as Core does: no inputs, no outputs', () => {
    const raw = fromHex('01000000' + '00' + '00' + '00000000');
    const tx = Transaction.decode(raw);
    assert.equal(tx.inputs.length, 0);
    assert.equal(tx.outputs.length, 0);
    assert.equal(toHex(tx.encode()), toHex(raw));
    assert.equal(toHex(tx.txid()), toHex(hash256(raw)));
  });

  it('keeps an output value above 2^53 exact, so the transaction re-serializes identically', () => {
    for (const value of [
      2n ** 53n + 1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      -1n,
      2n ** 53n - 1n,
      -(2n ** 53n) - 7n,
    ]) {
      const w = new BufferWriter();
      w.u32(1).compactSize(1).bytes(new Uint8Array(32)).u32(0).varBytes(Uint8Array.of(0x51)).u32(0xffffffff);
      w.compactSize(1).i64(value).varBytes(Uint8Array.of(0x6a)).u32(0);
      const raw = Uint8Array.from(w.finish());
      const tx = Transaction.decode(raw);
      assert.equal(toHex(tx.encode()), toHex(raw), `${value}`);
      assert.equal(toHex(tx.txid()), toHex(hash256(raw)));
      // A fresh serialization (not from cached bytes) is still exact.
      const copy = new Transaction(tx.version, tx.inputs, tx.outputs, tx.locktime);
      assert.equal(toHex(copy.encode()), toHex(raw), `${value}`);
      assert.equal(copy.txidHex(), tx.txidHex());
    }
  });

  it('rejects trailing bytes and truncation with DecodeError', () => {
    const full = segwitTx().encode(true);
    assert.throws(() => Transaction.decode(Uint8Array.of(...full, 0)), DecodeError);
    for (let n = 0; n < full.length; n++)
      assert.throws(() => Transaction.decode(full.subarray(0, n)), DecodeError);
  });
});

describe("Transaction: Core's tx_valid.json and tx_invalid.json", () => {
  type Case = [unknown, string, string];
  const load = (name: string): string[] =>
    readSharedJson<unknown[][]>('vectors', 'bitcoin-core', name)
      .filter((row): row is Case => Array.isArray(row[0]) && typeof row[1] === 'string')
      .map((row) => row[1]);

  it('decodes every valid transaction and re-encodes it byte for byte', () => {
    const txs = load('tx_valid.json');
    assert.ok(txs.length >= 100);
    for (const hex of txs) {
      const tx = Transaction.decode(fromHex(hex));
      assert.equal(toHex(tx.encode()), hex.toLowerCase());
      assert.equal(toHex(tx.wtxid()), toHex(hash256(fromHex(hex))));
    }
  });

  // Their invalidity is in script or consensus rules; deserialization either succeeds exactly or (for a
  // malformed encoding) fails with DecodeError, never another error.
  it('decodes each invalid transaction exactly or refuses it with DecodeError', () => {
    const txs = load('tx_invalid.json');
    assert.ok(txs.length >= 80);
    for (const hex of txs) {
      let tx: Transaction;
      try {
        tx = Transaction.decode(fromHex(hex));
      } catch (e) {
        assert.ok(e instanceof DecodeError, `${hex}: ${String(e)}`);
        continue;
      }
      assert.equal(toHex(tx.encode()), hex.toLowerCase());
    }
  });
});
