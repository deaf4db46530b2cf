import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../../src/encoding/errors.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { BufferWriter } from '../../src/encoding/writer.js';
import {
  decodeMessage,
  encodeMessage,
  MAX_ADDR_TO_SEND,
  MAX_HEADERS_RESULTS,
  MAX_INV_SIZE,
  MAX_LOCATOR_SIZE,
  readCompactSize64,
  WireError,
  type WireErrorCode,
  writeCompactSize64,
} from '../../src/net/wire/index.js';
import { BufferReader } from '../../src/encoding/reader.js';

function expectWireError(fn: () => unknown, code: WireErrorCode): WireError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof WireError, `expected WireError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (code === 'malformed-payload') assert.ok(e.cause instanceof DecodeError);
    return e;
  }
  assert.fail(`expected ${code}`);
}

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ type: 1, hash: new Uint8Array(32).fill(i) }));

describe('wire limits', () => {
  it('inv/getdata/notfound: 50,000 entries pass, 50,001 are too many', () => {
    for (const command of ['inv', 'getdata', 'notfound'] as const) {
      const ok = encodeMessage({ command, items: items(MAX_INV_SIZE) });
      const decoded = decodeMessage(command, ok);
      assert.ok(decoded?.command === command);
      assert.equal(decoded.items.length, MAX_INV_SIZE);
      const over = encodeMessage({ command, items: items(MAX_INV_SIZE + 1) });
      assert.equal(expectWireError(() => decodeMessage(command, over), 'too-many-items').command, command);
    }
  });

  it('a count the payload cannot hold is malformed, not too many (Core deserializes first)', () => {
    // 60,000 claimed, 2 present.
    const w = new BufferWriter().compactSize(60_000);
    for (const item of items(2)) w.u32(item.type).bytes(item.hash);
    expectWireError(() => decodeMessage('inv', w.finish()), 'malformed-payload');
  });

  it('headers: the count is checked before reading, as Core does', () => {
    const claim = new BufferWriter().compactSize(MAX_HEADERS_RESULTS + 1).finish();
    expectWireError(() => decodeMessage('headers', claim), 'too-many-items');
    const fits = new BufferWriter().compactSize(MAX_HEADERS_RESULTS).finish();
    expectWireError(() => decodeMessage('headers', fits), 'malformed-payload');
  });

  it('getheaders/getblocks: 101 locator hashes pass, 102 are too many', () => {
    for (const command of ['getheaders', 'getblocks'] as const) {
      const make = (n: number) =>
        encodeMessage({
          command,
          version: 70016,
          locator: Array.from({ length: n }, () => new Uint8Array(32)),
          hashStop: new Uint8Array(32),
        });
      assert.ok(decodeMessage(command, make(MAX_LOCATOR_SIZE)));
      expectWireError(() => decodeMessage(command, make(MAX_LOCATOR_SIZE + 1)), 'too-many-items');
    }
  });

  it('addr and addrv2: 1,000 entries pass, 1,001 are too many', () => {
    const entry = {
      time: 1,
      services: 1n,
      address: { network: 'ipv4' as const, bytes: Uint8Array.of(8, 8, 8, 8), port: 8333 },
    };
    for (const command of ['addr', 'addrv2'] as const) {
      const make = (n: number) => encodeMessage({ command, addresses: new Array(n).fill(entry) });
      assert.ok(decodeMessage(command, make(MAX_ADDR_TO_SEND)));
      expectWireError(() => decodeMessage(command, make(MAX_ADDR_TO_SEND + 1)), 'too-many-items');
    }
  });
});

describe('addrv2 (BIP155)', () => {
  const entry = (networkId: number, address: string, port = '208d') =>
    `01000000${'09'}${networkId.toString(16).padStart(2, '0')}${(address.length / 2).toString(16).padStart(2, '0')}${address}${port}`;

  it('decodes every known network', () => {
    const payload = fromHex(
      `05${entry(1, '01020304')}${entry(2, '20010db8000000000000000000000001')}${entry(4, '11'.repeat(32))}${entry(5, '22'.repeat(32))}${entry(6, `fc${'33'.repeat(15)}`)}`,
    );
    const m = decodeMessage('addrv2', payload);
    assert.ok(m?.command === 'addrv2');
    assert.deepEqual(
      m.addresses.map((a) => a.address.network),
      ['ipv4', 'ipv6', 'torv3', 'i2p', 'cjdns'],
    );
    assert.equal(m.addresses[0]!.address.port, 8333);
    assert.equal(m.addresses[0]!.services, 9n);
  });

  it('skips unknown networks, Tor v2, embedded IPv4 and non-fc CJDNS, and reads on', () => {
    const payload = fromHex(
      `06${entry(3, '44'.repeat(10))}${entry(99, '55'.repeat(7))}${entry(2, `00000000000000000000ffff01020304`)}${entry(2, `fd87d87eeb43${'00'.repeat(10)}`)}${entry(6, '66'.repeat(16))}${entry(1, '05060708')}`,
    );
    const m = decodeMessage('addrv2', payload);
    assert.ok(m?.command === 'addrv2');
    assert.equal(m.addresses.length, 1);
    assert.deepEqual([...m.addresses[0]!.address.bytes], [5, 6, 7, 8]);
  });

  it('rejects a known network with the wrong length, and any address over 512 bytes', () => {
    expectWireError(
      () => decodeMessage('addrv2', fromHex(`01${entry(1, '0102030405')}`)),
      'malformed-payload',
    );
    const long = `01000000090a fd0102 ${'00'.repeat(513)} 208d`.replaceAll(' ', '');
    expectWireError(() => decodeMessage('addrv2', fromHex(`01${long}`)), 'malformed-payload');
  });

  it('carries 64-bit service flags as canonical CompactSize', () => {
    for (const v of [0n, 0xfcn, 0xfdn, 0xffffn, 0x10000n, 0xffffffffn, 0x100000000n, 2n ** 64n - 1n]) {
      const bytes = (() => {
        const w = new BufferWriter();
        writeCompactSize64(w, v);
        return w.finish();
      })();
      assert.equal(readCompactSize64(new BufferReader(bytes)), v);
    }
    assert.throws(() => readCompactSize64(new BufferReader(fromHex('fe00010000'))), DecodeError);
    assert.throws(() => readCompactSize64(new BufferReader(fromHex('fdfc00'))), /non-canonical/);
    assert.equal(toHex(new BufferWriter().compactSize(1).finish()), '01');
  });

  it('encoding a Tor address in legacy addr is refused (use addrv2)', () => {
    const tor = {
      time: 1,
      services: 1n,
      address: { network: 'torv3' as const, bytes: new Uint8Array(32), port: 9050 },
    };
    assert.throws(() => encodeMessage({ command: 'addr', addresses: [tor] }), RangeError);
  });
});
