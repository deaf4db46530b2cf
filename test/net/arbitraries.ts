import fc from 'fast-check';
import { BlockHeader } from '../../src/primitives/block-header.js';
import { Block } from '../../src/primitives/block.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import type { PeerAddress } from '../../src/net/wire/addr.js';
import type { NetMessage } from '../../src/net/wire/message.js';
import type { NetAddress } from '../../src/net/wire/net-address.js';
import { MerkleBlock } from '../../src/primitives/merkle-block.js';

/** fast-check generators for every wire message, shared by the round-trip and fuzz tests. */

export const arbHash = fc.uint8Array({ minLength: 32, maxLength: 32 });
export const arbU64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
export const arbI64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
export const arbI32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
export const arbU32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const arbPort = fc.integer({ min: 0, max: 0xffff });

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

const startsWith = (b: Uint8Array, prefix: number[]) => prefix.every((x, i) => b[i] === x);
/** IPv6 addresses that stay IPv6 through both encodings (no IPv4-mapped, OnionCat or internal). */
const arbPlainIpv6 = bytes(16).filter(
  (b) =>
    !startsWith(b, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]) &&
    !startsWith(b, [0xfd, 0x87, 0xd8, 0x7e, 0xeb, 0x43]) &&
    !startsWith(b, [0xfd, 0x6b, 0x88, 0xc0, 0x87, 0x24]),
);

export const arbLegacyAddress: fc.Arbitrary<NetAddress> = fc.oneof(
  fc.record({ network: fc.constant('ipv4' as const), bytes: bytes(4), port: arbPort }),
  fc.record({ network: fc.constant('ipv6' as const), bytes: arbPlainIpv6, port: arbPort }),
);

export const arbAddrV2Address: fc.Arbitrary<NetAddress> = fc.oneof(
  arbLegacyAddress,
  fc.record({ network: fc.constantFrom('torv3' as const, 'i2p' as const), bytes: bytes(32), port: arbPort }),
  fc.record({
    network: fc.constant('cjdns' as const),
    bytes: bytes(16).map((b) => {
      b[0] = 0xfc;
      return b;
    }),
    port: arbPort,
  }),
);

const arbPeerAddress = (address: fc.Arbitrary<NetAddress>): fc.Arbitrary<PeerAddress> =>
  fc.record({ time: arbU32, services: arbU64, address });

const arbScript = fc.uint8Array({ maxLength: 40 });

export const arbTransaction: fc.Arbitrary<Transaction> = fc
  .record({
    version: arbU32,
    inputs: fc.array(
      fc.record({
        hash: arbHash,
        index: arbU32,
        script: arbScript,
        sequence: arbU32,
        witness: fc.array(fc.uint8Array({ maxLength: 30 }), { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    outputs: fc.array(
      fc.record({ value: fc.integer({ min: 0, max: 2_100_000_000_000_000 }), script: arbScript }),
      { maxLength: 3 },
    ),
    locktime: arbU32,
  })
  .map(
    (t) =>
      new Transaction(
        t.version,
        t.inputs.map((i) => new TxIn(new OutPoint(i.hash, i.index), i.script, i.sequence, i.witness)),
        t.outputs.map((o) => new TxOut(o.value, o.script)),
        t.locktime,
      ),
  );

export const arbHeader: fc.Arbitrary<BlockHeader> = fc
  .tuple(arbI32, arbHash, arbHash, arbU32, arbU32, arbU32)
  .map(([v, p, m, t, b, n]) => new BlockHeader(v, p, m, t, b, n));

export const arbBlock: fc.Arbitrary<Block> = fc
  .tuple(arbHeader, fc.array(arbTransaction, { minLength: 1, maxLength: 4 }))
  .map(([h, txs]) => new Block(h, txs));

const arbMerkleBlock: fc.Arbitrary<MerkleBlock> = fc
  .tuple(arbBlock, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
  .map(([block, picks]) => MerkleBlock.fromBlock(block, (_txid, i) => picks[i % 4] === true));

const arbInvItems = fc.array(fc.record({ type: arbU32, hash: arbHash }), { maxLength: 20 });
const arbLocator = fc.record({
  version: arbU32,
  locator: fc.array(arbHash, { maxLength: 12 }),
  hashStop: arbHash,
});

export const arbMessage: fc.Arbitrary<NetMessage> = fc.oneof(
  fc.record({
    command: fc.constant('version' as const),
    version: arbI32,
    services: arbU64,
    timestamp: arbI64,
    addrRecv: fc.record({ services: arbU64, address: arbLegacyAddress }),
    addrFrom: fc.record({ services: arbU64, address: arbLegacyAddress }),
    nonce: arbU64,
    userAgent: fc.string({ maxLength: 80 }),
    startHeight: arbI32,
    relay: fc.boolean(),
  }),
  fc.constantFrom<NetMessage>(
    { command: 'verack' },
    { command: 'getaddr' },
    { command: 'sendaddrv2' },
    { command: 'sendheaders' },
    { command: 'wtxidrelay' },
    { command: 'mempool' },
  ),
  fc.record({ command: fc.constantFrom('ping' as const, 'pong' as const), nonce: arbU64 }),
  fc.record({
    command: fc.constant('addr' as const),
    addresses: fc.array(arbPeerAddress(arbLegacyAddress), { maxLength: 8 }),
  }),
  fc.record({
    command: fc.constant('addrv2' as const),
    addresses: fc.array(arbPeerAddress(arbAddrV2Address), { maxLength: 8 }),
  }),
  fc.record({
    command: fc.constantFrom('inv' as const, 'getdata' as const, 'notfound' as const),
    items: arbInvItems,
  }),
  fc
    .tuple(fc.constantFrom('getheaders' as const, 'getblocks' as const), arbLocator)
    .map(([command, l]) => ({ command, ...l })),
  fc.record({ command: fc.constant('headers' as const), headers: fc.array(arbHeader, { maxLength: 6 }) }),
  fc.record({ command: fc.constant('block' as const), block: arbBlock }),
  fc.record({ command: fc.constant('tx' as const), tx: arbTransaction }),
  fc.record({ command: fc.constant('merkleblock' as const), merkleBlock: arbMerkleBlock }),
  fc.record({ command: fc.constant('feefilter' as const), feeRate: arbI64 }),
  fc.record({ command: fc.constant('sendcmpct' as const), announce: fc.boolean(), version: arbU64 }),
);

/** A small deterministic PRNG (mulberry32) for reproducible address-manager tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
