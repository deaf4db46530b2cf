import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildGenesisBlock } from '../../src/consensus/genesis.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import {
  COMMANDS,
  decodeMessage,
  encodeMessage,
  InvType,
  MessageParser,
  type NetMessage,
  serializeMessage,
  ServiceFlags,
  WireError,
} from '../../src/net/wire/index.js';
import { arbMessage } from './arbitraries.js';

/** Payload bytes of a message, the comparison every round trip uses (classes compare by bytes). */
const payloadHex = (m: NetMessage): string => toHex(encodeMessage(m));

function roundTrip(m: NetMessage): NetMessage {
  const decoded = decodeMessage(m.command, encodeMessage(m));
  assert.ok(decoded !== undefined);
  return decoded;
}

/** Independent of src/crypto: node's streaming SHA-256, twice. */
const checksumHex = (payload: Uint8Array): string =>
  createHash('sha256')
    .update(createHash('sha256').update(payload).digest())
    .digest()
    .subarray(0, 4)
    .toString('hex');

describe('wire messages: round trips', () => {
  it('every message type round-trips to identical bytes (property)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbMessage, (m) => {
        seen.add(m.command);
        const decoded = roundTrip(m);
        assert.equal(decoded.command, m.command);
        assert.equal(payloadHex(decoded), payloadHex(m));
      }),
      { numRuns: 600 },
    );
    // The generator covers the whole union, so no command goes untested.
    assert.deepEqual([...seen].sort(), [...COMMANDS].sort());
  });

  it('plain messages decode to equal objects (property)', () => {
    const plain = arbMessage.filter((m) => !['block', 'tx', 'headers', 'merkleblock'].includes(m.command));
    fc.assert(
      fc.property(plain, (m) => {
        // structuredClone gives fast-check's null-prototype records an ordinary prototype.
        assert.deepStrictEqual(structuredClone(roundTrip(m)), structuredClone(m));
      }),
      { numRuns: 300 },
    );
  });

  it('frames survive the parser whole (property)', () => {
    fc.assert(
      fc.property(fc.array(arbMessage, { maxLength: 5 }), (messages) => {
        const parser = new MessageParser(regtest.messageStart);
        const stream = messages.map((m) => serializeMessage(regtest.messageStart, m));
        const frames = stream.flatMap((f) => parser.feed(f));
        assert.equal(frames.length, messages.length);
        frames.forEach((f, i) => {
          assert.ok(f.ok);
          assert.equal(f.command, messages[i]!.command);
          assert.equal(payloadHex(decodeMessage(f.command, f.payload)!), payloadHex(messages[i]!));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('serializes transactions and blocks without witness on request', () => {
    const genesis = buildGenesisBlock(regtest);
    const withWitness = encodeMessage({ command: 'block', block: genesis });
    const without = encodeMessage({ command: 'block', block: genesis }, { witness: false });
    assert.equal(toHex(without), toHex(genesis.encode(false)));
    assert.equal(toHex(withWitness), toHex(genesis.encode(true)));
  });

  it('unknown and obsolete commands decode to undefined (ignored, as Core does)', () => {
    for (const command of ['reject', 'cmpctblock', 'filterload', 'alert', '', 'x']) {
      assert.equal(decodeMessage(command, fromHex('00112233')), undefined);
    }
  });
});

describe('wire messages: known bytes', () => {
  it('verack on mainnet is the well-known 24-byte frame', () => {
    const frame = serializeMessage(mainnet.messageStart, { command: 'verack' });
    assert.equal(toHex(frame), 'f9beb4d976657261636b000000000000000000005df6e0e2');
  });

  it('version matches Core layout field by field', () => {
    // Core's PushNodeVersion: version, services, time, addr_you (services + V1 address + port),
    // addr_me (services + zeros), nonce, subversion, starting height, relay.
    const payloadHexExpected = [
      '80110100', // 70016
      '0900000000000000', // NODE_NETWORK | NODE_WITNESS
      '00f1536500000000', // 1700000000
      '0000000000000000', // addr_recv services
      '00000000000000000000ffff7f000001', // ::ffff:127.0.0.1
      '480c', // 18444, big-endian
      '0900000000000000', // addr_from services
      '00000000000000000000000000000000',
      '0000',
      '0807060504030201', // nonce
      '102f5361746f7368693a32372e302e302f', // "/Satoshi:27.0.0/"
      '2a000000', // start height 42
      '01', // relay
    ].join('');
    const message: NetMessage = {
      command: 'version',
      version: 70016,
      services: ServiceFlags.NETWORK | ServiceFlags.WITNESS,
      timestamp: 1_700_000_000n,
      addrRecv: {
        services: 0n,
        address: { network: 'ipv4', bytes: Uint8Array.of(127, 0, 0, 1), port: 18444 },
      },
      addrFrom: { services: 9n, address: { network: 'ipv6', bytes: new Uint8Array(16), port: 0 } },
      nonce: 0x0102030405060708n,
      userAgent: '/Satoshi:27.0.0/',
      startHeight: 42,
      relay: true,
    };
    assert.equal(payloadHex(message), payloadHexExpected);
    const payload = fromHex(payloadHexExpected);
    const frame = serializeMessage(regtest.messageStart, message);
    const header = `fabfb5da76657273696f6e0000000000${'66000000'}${checksumHex(payload)}`;
    assert.equal(payload.length, 0x66);
    assert.equal(toHex(frame), header + payloadHexExpected);
    assert.deepStrictEqual(decodeMessage('version', payload), message);
  });

  it('version from an old peer without the optional fields decodes with Core defaults', () => {
    // Through addr_recv only: everything later is absent, relay defaults to true.
    const payload = fromHex(
      `${'7c7e0000'}0100000000000000${'00f1536500000000'}0000000000000000${'00'.repeat(10)}ffff0a000001208d`,
    );
    const v = decodeMessage('version', payload);
    assert.ok(v?.command === 'version');
    assert.equal(v.version, 32380);
    assert.equal(v.nonce, 0n);
    assert.equal(v.userAgent, '');
    assert.equal(v.relay, true);
    assert.deepEqual([...v.addrRecv.address.bytes], [10, 0, 0, 1]);
  });

  it('version rejects a user agent over 256 bytes (Core LIMITED_STRING)', () => {
    const good = encodeMessage({
      command: 'version',
      version: 70016,
      services: 0n,
      timestamp: 0n,
      addrRecv: { services: 0n, address: { network: 'ipv4', bytes: new Uint8Array(4), port: 0 } },
      addrFrom: { services: 0n, address: { network: 'ipv4', bytes: new Uint8Array(4), port: 0 } },
      nonce: 0n,
      userAgent: 'a'.repeat(256),
      startHeight: 0,
      relay: false,
    });
    assert.ok(decodeMessage('version', good));
    const bad = Uint8Array.from([
      ...good.subarray(0, 80),
      0xfd,
      0x01,
      0x01,
      ...new Uint8Array(257),
      0,
      0,
      0,
      0,
    ]);
    assert.throws(
      () => decodeMessage('version', bad),
      (e) => e instanceof WireError && /limit/.test(e.message),
    );
  });

  it('headers with the regtest genesis header match Core bytes and hash', () => {
    const genesis = buildGenesisBlock(regtest);
    const expected =
      '01' +
      '01000000' +
      '00'.repeat(32) +
      '3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a' +
      'dae5494d' +
      'ffff7f20' +
      '02000000' +
      '00';
    assert.equal(payloadHex({ command: 'headers', headers: [genesis.header] }), expected);
    const decoded = decodeMessage('headers', fromHex(expected));
    assert.ok(decoded?.command === 'headers');
    assert.equal(decoded.headers[0]!.hashHex(), regtest.genesis.hash);
  });

  it('headers ignores a non-zero transaction count, as Core does', () => {
    const genesis = buildGenesisBlock(regtest);
    const payload = fromHex(`01${toHex(genesis.header.encode())}05`);
    const decoded = decodeMessage('headers', payload);
    assert.ok(decoded?.command === 'headers');
    assert.equal(decoded.headers.length, 1);
  });

  it('inv, getdata and feefilter in Core layout', () => {
    const hash = fromHex('11'.repeat(32));
    const inv: NetMessage = { command: 'getdata', items: [{ type: InvType.WITNESS_BLOCK, hash }] };
    assert.equal(payloadHex(inv), `0102000040${'11'.repeat(32)}`);
    assert.equal(payloadHex({ command: 'feefilter', feeRate: 1000n }), 'e803000000000000');
    assert.equal(payloadHex({ command: 'sendcmpct', announce: false, version: 2n }), '000200000000000000');
    assert.equal(payloadHex({ command: 'ping', nonce: 1n }), '0100000000000000');
  });
});
