import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hash256 } from '../../src/crypto/hash.js';
import { BufferWriter, concatBytes, DecodeError, fromHex, toHex } from '../../src/encoding/index.js';
import {
  Block,
  BlockHeader,
  MerkleBlock,
  OutPoint,
  PartialMerkleTree,
  Transaction,
  TxIn,
  TxOut,
} from '../../src/primitives/index.js';
import { readShared, readSharedJson } from '../support/shared.js';

/**
 * Hostile bytes through every decoder: random bytes and mutated real data. Each failure must be a
 * DecodeError (what P2P and RPC catch), and whatever decodes must re-encode to the very same bytes
 * (every format here is canonical) that decode again to the same object. Inputs are bounded and run
 * counts fixed, so a hang shows up as a test timeout rather than a stuck CI job.
 */

interface Codec {
  name: string;
  /** Decodes and re-encodes; returns the re-encoding and a string naming what was decoded. */
  roundTrip(bytes: Uint8Array): { encoded: Uint8Array; identity: string };
}

const extraction = (tree: PartialMerkleTree): string => {
  const r = tree.extractMatches();
  return r.ok ? `ok:${toHex(r.root)}:${r.matches.map((m) => `${m.index}/${toHex(m.hash)}`).join()}` : r.error;
};

const CODECS: Codec[] = [
  {
    name: 'Transaction',
    roundTrip(bytes) {
      const tx = Transaction.decode(bytes);
      return { encoded: tx.encode(), identity: `${tx.txidHex()}/${tx.wtxidHex()}/${tx.weight()}` };
    },
  },
  {
    name: 'Block',
    roundTrip(bytes) {
      const block = Block.decode(bytes);
      const ids = block.txs.map((tx) => tx.wtxidHex()).join();
      return { encoded: block.encode(), identity: `${block.hashHex()}/${block.weight()}/${ids}` };
    },
  },
  {
    name: 'BlockHeader',
    roundTrip(bytes) {
      const header = BlockHeader.decode(bytes);
      return { encoded: header.encode(), identity: header.hashHex() };
    },
  },
  {
    name: 'MerkleBlock',
    roundTrip(bytes) {
      const mb = MerkleBlock.decode(bytes);
      const v = mb.verify(); // must never throw, whatever the tree
      const verdict = v.ok ? 'ok' : v.reason;
      return { encoded: mb.encode(), identity: `${mb.header.hashHex()}/${extraction(mb.tree)}/${verdict}` };
    },
  },
  {
    name: 'PartialMerkleTree',
    roundTrip(bytes) {
      const tree = PartialMerkleTree.decode(bytes);
      return { encoded: tree.encode(), identity: extraction(tree) };
    },
  },
];

/** Feeds `bytes` to a codec: a DecodeError is fine, anything else fails; success must round-trip. */
function exercise(codec: Codec, bytes: Uint8Array): boolean {
  let first: { encoded: Uint8Array; identity: string };
  try {
    // A private copy: decoded objects keep views into their input.
    first = codec.roundTrip(Uint8Array.from(bytes));
  } catch (e) {
    if (e instanceof DecodeError) return false;
    assert.fail(`${codec.name} threw ${String(e)} (not a DecodeError) on ${toHex(bytes).slice(0, 200)}`);
  }
  assert.equal(toHex(first.encoded), toHex(bytes), `${codec.name} re-encoding differs`);
  const second = codec.roundTrip(Uint8Array.from(first.encoded));
  assert.equal(toHex(second.encoded), toHex(first.encoded));
  assert.equal(second.identity, first.identity);
  return true;
}

const codec = (name: string): Codec => CODECS.find((c) => c.name === name)!;

// ---- corpus ---------------------------------------------------------------------------------------

const block1 = readShared('blocks', 'mainnet', 'block1.raw');
const block300025 = readShared('blocks', 'mainnet', 'block300025.raw');
const merkle300025 = readShared('blocks', 'mainnet', 'merkle300025.raw');
const big = Block.decode(block300025);

function segwitTx(items: number): Transaction {
  const witness = Array.from({ length: items }, (_, i) => new Uint8Array(i * 9).fill(i));
  const input = new TxIn(
    new OutPoint(hash256(Uint8Array.of(items)), items),
    new Uint8Array(0),
    0xfffffffe,
    witness,
  );
  const second = new TxIn(new OutPoint(hash256(Uint8Array.of(9)), 0), Uint8Array.of(0x51), 0, []);
  return new Transaction(2, [input, second], [new TxOut(1234, fromHex('51200102'))], 0);
}

const validTxs = readSharedJson<unknown[][]>('vectors', 'bitcoin-core', 'tx_valid.json')
  .filter((row) => Array.isArray(row[0]) && typeof row[1] === 'string')
  .map((row) => fromHex(row[1] as string));

const txCorpus: Uint8Array[] = [
  ...big.txs.slice(0, 12).map((tx) => tx.encode()),
  Block.decode(block1).txs[0]!.encode(),
  segwitTx(1).encode(),
  segwitTx(3).encode(),
  ...validTxs.slice(0, 40),
];

/** A small block mixing legacy and segwit transactions (fast to decode, unlike the 284 kB one). */
const small = new Block(big.header, [...big.txs.slice(0, 6), segwitTx(2)]);
const smallRaw = Uint8Array.from(small.encode());
const smallMerkle = Uint8Array.from(MerkleBlock.fromBlock(small, (_t, i) => i === 2 || i === 6).encode());
const blockCorpus = [block1, smallRaw];
const headerCorpus = [block1.subarray(0, 80), block300025.subarray(0, 80)];
const merkleCorpus = [merkle300025, smallMerkle];
const treeCorpus = [merkle300025.subarray(80), smallMerkle.subarray(80)];

// ---- mutations ------------------------------------------------------------------------------------

/** CompactSize prefixes that claim far more than the input holds (or are out of range). */
const HUGE_COUNTS = [
  'fdffff',
  'fe00000100',
  'feffff0f00',
  'fe00000002',
  'fe01000002',
  'feffffffff',
  'ff0000000001000000',
  'ffffffffffffffffff',
].map(fromHex);

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'count'; at: number; count: number };

/**
 * Bit flips are weighted up: most keep the length, so the mutant often still decodes and the
 * round-trip half of the check gets exercised, not only the rejection half.
 */
const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('count' as const),
      at: fc.nat(),
      count: fc.nat({ max: HUGE_COUNTS.length - 1 }),
    }),
  },
);
const arbMutations = fc.array(arbMutation, { minLength: 1, maxLength: 4 });

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'flip' && b.length > 0) b[at]! ^= 1 << m.bit;
    else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'insert') b = concatBytes(b.subarray(0, at), m.bytes, b.subarray(at));
    else if (m.kind === 'delete') b = concatBytes(b.subarray(0, at), b.subarray(at + m.length));
    // Replace one byte (a count, at the right offset) by a lying CompactSize.
    else if (m.kind === 'count')
      b = concatBytes(b.subarray(0, at), HUGE_COUNTS[m.count]!, b.subarray(at + 1));
  }
  return b;
}

function fuzzCorpus(name: string, corpus: Uint8Array[], numRuns: number): void {
  it(`${name}: mutated real data fails only with DecodeError, or round-trips`, { timeout: 30_000 }, () => {
    const c = codec(name);
    assert.ok(
      corpus.every((bytes) => exercise(c, bytes)),
      'the unmutated corpus decodes',
    );
    // The corpus entry is drawn by index so that a counterexample prints small.
    let decoded = 0;
    fc.assert(
      fc.property(fc.nat({ max: corpus.length - 1 }), arbMutations, (i, mutations) => {
        if (exercise(c, mutate(corpus[i]!, mutations))) decoded++;
      }),
      { numRuns },
    );
    assert.ok(decoded > 0, 'some mutants decode, so the round-trip check ran');
  });
}

// ---- tests ----------------------------------------------------------------------------------------

describe('decoders under hostile bytes', () => {
  it('random bytes: every decoder fails with DecodeError or round-trips', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        for (const c of CODECS) exercise(c, bytes);
      }),
      { numRuns: 1500 },
    );
  });

  it('random bytes after a valid header: Block and MerkleBlock bodies', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (tail) => {
        const bytes = concatBytes(headerCorpus[1]!, tail);
        exercise(codec('Block'), bytes);
        exercise(codec('MerkleBlock'), bytes);
      }),
      { numRuns: 800 },
    );
  });

  fuzzCorpus('Transaction', txCorpus, 1500);
  fuzzCorpus('Block', blockCorpus, 600);
  fuzzCorpus('BlockHeader', headerCorpus, 300);
  fuzzCorpus('MerkleBlock', merkleCorpus, 1000);
  fuzzCorpus('PartialMerkleTree', treeCorpus, 1000);
  fuzzCorpus('Block', [block300025], 25);

  it('lying counts at every count field are refused without allocating for them', { timeout: 30_000 }, () => {
    // Offsets of CompactSize counts: tx vin; block tx count and the first tx's vin; merkleblock hashes
    // and flag bytes.
    const cases: [string, Uint8Array, number][] = [
      ['Transaction', txCorpus[0]!, 4],
      ['Transaction', segwitTx(2).encode(), 6],
      ['Block', smallRaw, 80],
      ['Block', smallRaw, 85],
      ['MerkleBlock', merkle300025, 84],
      ['MerkleBlock', merkle300025, merkle300025.length - 4],
      ['PartialMerkleTree', treeCorpus[0]!, 4],
    ];
    for (const [name, bytes, at] of cases) {
      for (let count = 0; count < HUGE_COUNTS.length; count++) {
        const started = performance.now();
        const hostile = mutate(bytes, [{ kind: 'count', at, count }]);
        assert.equal(exercise(codec(name), hostile), false, `${name} @${at} ${toHex(HUGE_COUNTS[count]!)}`);
        assert.ok(performance.now() - started < 250, 'refused promptly');
      }
    }
  });

  it('bounds a block count by the smallest decodable transaction (10 bytes), as Core deserializes it', () => {
    // Coinbase then six transactions of version | empty vin | zero flag | locktime: invalid for
    // consensus (bad-txns-vin-empty), yet well-formed bytes that Core's deserializer accepts.
    const coinbase = Block.decode(block1).txs[0]!.encode();
    const empty = fromHex('01000000000000000000');
    const w = new BufferWriter().bytes(block1.subarray(0, 80)).compactSize(7).bytes(coinbase);
    for (let i = 0; i < 6; i++) w.bytes(empty);
    const raw = Uint8Array.from(w.finish());
    assert.ok(exercise(codec('Block'), raw));
    const block = Block.decode(raw);
    assert.equal(block.txs.length, 7);
    assert.deepEqual([block.txs[6]!.inputs.length, block.txs[6]!.outputs.length], [0, 0]);
    // A count the remaining bytes cannot hold is a DecodeError.
    raw[80] = 8;
    assert.equal(exercise(codec('Block'), raw), false);
  });

  it('partial trees from random fields: extraction never throws and reports sane matches', () => {
    const pool = Array.from({ length: 6 }, (_, i) => hash256(Uint8Array.of(i)));
    const arb = fc.record({
      total: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.nat({ max: 0xffffffff })),
      hashes: fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 12 }),
      flags: fc.uint8Array({ maxLength: 5 }),
    });
    fc.assert(
      fc.property(arb, ({ total, hashes, flags }) => {
        const tree = new PartialMerkleTree(
          total,
          hashes.map((i) => pool[i]!),
          flags,
        );
        const r = tree.extractMatches();
        if (!r.ok) return;
        assert.ok(r.matches.length <= tree.hashes.length);
        for (let i = 0; i < r.matches.length; i++) {
          assert.ok(r.matches[i]!.index < total);
          if (i > 0) assert.ok(r.matches[i]!.index > r.matches[i - 1]!.index);
        }
        const w = new BufferWriter();
        tree.write(w);
        assert.equal(extraction(PartialMerkleTree.decode(w.finish())), extraction(tree));
      }),
      { numRuns: 3000 },
    );
  });
});
