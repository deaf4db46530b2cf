import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { concatBytes } from '../../src/encoding/bytes.js';
import { toHex } from '../../src/encoding/hex.js';
import {
  decodeCommand,
  frameMessage,
  MAX_PROTOCOL_MESSAGE_LENGTH,
  MessageParser,
  type ParsedFrame,
  WireError,
} from '../../src/net/wire/index.js';

const MAGIC = regtest.messageStart;

/** A header claiming `length` bytes, with an arbitrary checksum. */
function header(command: string, length: number, magic: readonly number[] = MAGIC): Uint8Array {
  const h = new Uint8Array(24);
  h.set(magic);
  for (let i = 0; i < command.length; i++) h[4 + i] = command.charCodeAt(i);
  new DataView(h.buffer).setUint32(16, length, true);
  return h;
}

function feedAll(parser: MessageParser, chunks: Uint8Array[]): ParsedFrame[] {
  return chunks.flatMap((c) => parser.feed(c));
}

/** Splits `bytes` at the given cut points (any values; reduced modulo the length). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

const arbFrame = fc
  .tuple(fc.stringMatching(/^[a-z]{1,12}$/), fc.uint8Array({ maxLength: 200 }))
  .map(([command, payload]) => ({ command, payload, bytes: frameMessage(MAGIC, command, payload) }));

describe('framing', () => {
  it('decodeCommand follows Core IsMessageTypeValid', () => {
    const field = (s: string, tail: number[] = []) => {
      const f = new Uint8Array(12);
      for (let i = 0; i < s.length; i++) f[i] = s.charCodeAt(i);
      tail.forEach((b, i) => {
        f[s.length + 1 + i] = b;
      });
      return f;
    };
    assert.equal(decodeCommand(field('version')), 'version');
    assert.equal(decodeCommand(field('sendaddrv2')), 'sendaddrv2');
    assert.equal(decodeCommand(field('abcdefghijkl')), 'abcdefghijkl');
    assert.equal(decodeCommand(field('')), '');
    assert.equal(decodeCommand(field('ver', [0x41])), undefined, 'non-NUL after the first NUL');
    assert.equal(decodeCommand(field('ver\x01')), undefined, 'control character');
    assert.equal(decodeCommand(field('ver\x7f')), undefined, 'DEL');
  });

  it('frameMessage refuses what no peer could parse', () => {
    assert.throws(() => frameMessage(MAGIC, 'waytoolongcommand', new Uint8Array(0)), RangeError);
    assert.throws(() => frameMessage(MAGIC, 'bad\ncmd', new Uint8Array(0)), RangeError);
  });
});

describe('MessageParser', () => {
  it('reassembles frames split at arbitrary points (property)', () => {
    fc.assert(
      fc.property(
        fc.array(arbFrame, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (frames, cuts) => {
          const parser = new MessageParser(MAGIC);
          const stream = concatBytes(...frames.map((f) => f.bytes));
          const out = feedAll(parser, split(stream, cuts));
          assert.equal(out.length, frames.length);
          out.forEach((f, i) => {
            assert.ok(f.ok);
            assert.equal(f.command, frames[i]!.command);
            assert.equal(toHex(f.payload), toHex(frames[i]!.payload));
          });
          assert.equal(parser.bufferedBytes, 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a truncated stream yields only the complete frames and holds the rest', () => {
    fc.assert(
      fc.property(fc.array(arbFrame, { minLength: 1, maxLength: 4 }), fc.nat(), (frames, cutAt) => {
        const stream = concatBytes(...frames.map((f) => f.bytes));
        const cut = cutAt % stream.length;
        const parser = new MessageParser(MAGIC);
        const out = parser.feed(stream.subarray(0, cut));
        let complete = 0;
        let end = 0;
        for (const f of frames) {
          if (end + f.bytes.length > cut) break;
          end += f.bytes.length;
          complete++;
        }
        assert.equal(out.length, complete);
        assert.ok(out.every((f) => f.ok));
        assert.equal(parser.bufferedBytes, cut - end);
        // The rest completes them.
        assert.equal(parser.feed(stream.subarray(cut)).length, frames.length - complete);
      }),
      { numRuns: 200 },
    );
  });

  it('bad magic is fatal, detected from the first 4 bytes, and sticks', () => {
    const parser = new MessageParser(MAGIC);
    const out = parser.feed(Uint8Array.of(0xf9, 0xbe, 0xb4, 0xd9));
    assert.equal(out.length, 1);
    assert.ok(!out[0]!.ok);
    assert.equal(out[0]!.error.code, 'bad-magic');
    assert.ok(out[0]!.error.fatal);
    const later = parser.feed(frameMessage(MAGIC, 'verack', new Uint8Array(0)));
    assert.ok(!later[0]!.ok && later[0]!.error.code === 'bad-magic');
    assert.equal(parser.failed?.code, 'bad-magic');
  });

  it('a mainnet frame on regtest is bad magic after the frames before it', () => {
    const parser = new MessageParser(MAGIC);
    const good = frameMessage(MAGIC, 'verack', new Uint8Array(0));
    const other = frameMessage(mainnet.messageStart, 'verack', new Uint8Array(0));
    const out = parser.feed(concatBytes(good, other, good));
    assert.deepEqual(
      out.map((f) => (f.ok ? f.command : f.error.code)),
      ['verack', 'bad-magic'],
    );
  });

  it('an oversized length is refused on the header, before any payload arrives', () => {
    const parser = new MessageParser(MAGIC);
    const out = parser.feed(header('block', MAX_PROTOCOL_MESSAGE_LENGTH + 1));
    assert.equal(out.length, 1);
    assert.ok(!out[0]!.ok);
    assert.equal(out[0]!.error.code, 'oversized');
    assert.equal(out[0]!.error.command, 'block');
    assert.ok(out[0]!.error.fatal);
    assert.equal(parser.bufferedBytes, 0);
    // A header claiming the maximum is fine, and memory grows only with bytes that arrive.
    const ok = new MessageParser(MAGIC);
    assert.deepEqual(ok.feed(header('block', MAX_PROTOCOL_MESSAGE_LENGTH)), []);
    ok.feed(new Uint8Array(1000));
    assert.equal(ok.bufferedBytes, 24 + 1000);
    // A custom, lower limit.
    const small = new MessageParser(MAGIC, { maxPayload: 100 });
    const r = small.feed(header('tx', 101));
    assert.ok(!r[0]!.ok && r[0]!.error.code === 'oversized');
  });

  it('a 4,000,000-byte payload (the maximum) is accepted', () => {
    const payload = new Uint8Array(MAX_PROTOCOL_MESSAGE_LENGTH).fill(7);
    const frame = frameMessage(MAGIC, 'block', payload);
    const parser = new MessageParser(MAGIC);
    const out = feedAll(parser, split(frame, [24, 65536, 1_000_000, 3_999_000]));
    assert.equal(out.length, 1);
    assert.ok(out[0]!.ok && out[0]!.payload.length === MAX_PROTOCOL_MESSAGE_LENGTH);
  });

  it('a bad checksum drops that message only; the stream stays in sync', () => {
    const bad = frameMessage(MAGIC, 'ping', new Uint8Array(8));
    bad[20]! ^= 1;
    const good = frameMessage(MAGIC, 'pong', new Uint8Array(8));
    const parser = new MessageParser(MAGIC);
    const out = parser.feed(concatBytes(bad, good));
    assert.deepEqual(
      out.map((f) => (f.ok ? f.command : f.error.code)),
      ['bad-checksum', 'pong'],
    );
    assert.ok(!out[0]!.ok && !out[0]!.error.fatal && out[0]!.error.command === 'ping');
  });

  it('a bad command drops that message only', () => {
    const bad = frameMessage(MAGIC, 'ping', new Uint8Array(8));
    bad[4] = 0x01;
    const parser = new MessageParser(MAGIC);
    const out = parser.feed(concatBytes(bad, frameMessage(MAGIC, 'verack', new Uint8Array(0))));
    assert.deepEqual(
      out.map((f) => (f.ok ? f.command : f.error.code)),
      ['bad-command', 'verack'],
    );
  });

  it('payloads are private copies (views into socket buffers would pin them)', () => {
    const frame = frameMessage(MAGIC, 'ping', Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    const parser = new MessageParser(MAGIC);
    const [f] = parser.feed(frame);
    assert.ok(f?.ok);
    frame[24] = 99;
    assert.equal(f.payload[0], 1);
    assert.notEqual(f.payload.buffer, frame.buffer);
  });

  it('random byte streams: only WireErrors as results, never a throw, memory bounded (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 12 }),
        (withMagic, chunks) => {
          const parser = new MessageParser(MAGIC, { maxPayload: 10_000 });
          // Half the runs start with the right magic, so the header and payload paths run too.
          const stream = withMagic ? [Uint8Array.from(MAGIC), ...chunks] : chunks;
          for (const chunk of stream) {
            for (const f of parser.feed(chunk)) {
              if (!f.ok) assert.ok(f.error instanceof WireError);
            }
            assert.ok(parser.bufferedBytes <= 24 + 10_000);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('mutated valid streams: frames or WireErrors, memory bounded (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.array(arbFrame, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (frames, flips, cuts) => {
          const stream = Uint8Array.from(concatBytes(...frames.map((f) => f.bytes)));
          for (const [at, bit] of flips) stream[at % stream.length]! ^= 1 << bit;
          const parser = new MessageParser(MAGIC, { maxPayload: 1_000 });
          const out = feedAll(parser, split(stream, cuts));
          for (const f of out) if (!f.ok) assert.ok(f.error instanceof WireError);
          assert.ok(parser.bufferedBytes <= 24 + 1_000);
        },
      ),
      { numRuns: 500 },
    );
  });
});
