import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../src/encoding/errors.js';
import { toHex } from '../../src/encoding/hex.js';
import { parseNetAddress } from '../../src/net/address-text.js';
import { AddrMan, type AddrManOptions } from '../../src/net/addrman.js';
import {
  deserializeAddrMan,
  loadAddrMan,
  saveAddrMan,
  serializeAddrMan,
} from '../../src/net/addrman-codec.js';
import { isTerrible } from '../../src/net/addrman-entry.js';
import type { PeerAddress } from '../../src/net/wire/addr.js';
import { ipv4, type NetAddress, netAddress, netAddressKey } from '../../src/net/wire/net-address.js';
import { seededRandom } from './arbitraries.js';

const NOW = 1_700_000_000;
const KEY = new Uint8Array(32).fill(7);

function make(options: AddrManOptions = {}): { addrman: AddrMan; clock: { now: number } } {
  const clock = { now: NOW };
  const addrman = new AddrMan({ key: KEY, now: () => clock.now, random: seededRandom(42), ...options });
  return { addrman, clock };
}

const peer = (address: NetAddress, time = NOW - 60): PeerAddress => ({ time, services: 9n, address });
const addr = (text: string): NetAddress => parseNetAddress(text, 8333)!;
const SOURCE = addr('5.6.7.8');

/** Distinct routable IPv4 addresses across many /16 groups. */
function publicAddresses(n: number, seed = 1): NetAddress[] {
  const rnd = seededRandom(seed);
  const out = new Map<string, NetAddress>();
  while (out.size < n) {
    const a = ipv4(
      11 + Math.floor(rnd() * 100),
      Math.floor(rnd() * 256),
      Math.floor(rnd() * 256),
      1 + Math.floor(rnd() * 254),
      8333,
    );
    out.set(netAddressKey(a), a);
  }
  return [...out.values()];
}

describe('AddrMan', () => {
  it('keeps gossiped routable addresses; loopback and private ones only when added by hand', () => {
    const { addrman } = make();
    assert.equal(
      addrman.add([peer(addr('1.2.3.4')), peer(addr('127.0.0.1')), peer(addr('192.168.0.5'))], SOURCE),
      1,
    );
    assert.equal(addrman.size, 1);
    assert.equal(addrman.find(addr('127.0.0.1')), undefined);
    assert.ok(addrman.addManual(addr('127.0.0.1:18444')));
    assert.ok(addrman.find(addr('127.0.0.1:18444')));
    // Unusable even by hand: unspecified address or port 0.
    assert.ok(!addrman.addManual(addr('0.0.0.0')));
    assert.ok(!addrman.addManual(addr('1.1.1.1:0')));
    assert.deepEqual(addrman.counts(), { new: 2, tried: 0 });
  });

  it('a second sighting refreshes time and services but adds nothing', () => {
    const { addrman } = make();
    const a = addr('1.2.3.4');
    addrman.add([{ time: NOW - 3 * 86400, services: 1n, address: a }], SOURCE);
    assert.equal(addrman.add([{ time: NOW - 60, services: 8n, address: a }], addr('9.9.9.9')), 0);
    const e = addrman.find(a)!;
    assert.equal(e.time, NOW - 60);
    assert.equal(e.services, 9n);
    assert.equal(toHex(e.source.bytes), toHex(SOURCE.bytes));
  });

  it('applies the time penalty to second-hand addresses', () => {
    const { addrman } = make();
    addrman.add([peer(addr('1.2.3.4'), NOW - 100)], SOURCE, 7200);
    assert.equal(addrman.find(addr('1.2.3.4'))!.time, NOW - 100 - 7200);
  });

  it('good() moves an address to tried; attempt() counts failures once per success', () => {
    const { addrman, clock } = make();
    const a = addr('1.2.3.4');
    const b = addr('2.3.4.5');
    addrman.add([peer(a), peer(b)], SOURCE);
    addrman.attempt(a, true);
    addrman.attempt(a, true); // no success anywhere since the last counted failure
    assert.equal(addrman.find(a)!.attempts, 1);
    clock.now += 10;
    assert.ok(addrman.good(b));
    addrman.attempt(a, true);
    assert.equal(addrman.find(a)!.attempts, 2);
    assert.deepEqual(addrman.counts(), { new: 1, tried: 1 });
    const tried = addrman.find(b)!;
    assert.ok(tried.tried);
    assert.equal(tried.lastSuccess, clock.now);
    assert.equal(tried.attempts, 0);
    assert.ok(!addrman.good(addr('3.3.3.3')), 'unknown addresses are not added by good()');
  });

  it('one source group reaches at most 64 new buckets: the table bounds what a peer can fill', () => {
    const { addrman } = make();
    addrman.add(
      publicAddresses(20_000).map((a) => peer(a)),
      SOURCE,
    );
    assert.ok(addrman.size <= 64 * 64, `size ${addrman.size}`);
    assert.ok(addrman.size > 1000, 'but those buckets are used');
    const fromMany = make().addrman;
    const many = publicAddresses(20_000);
    many.forEach((a, i) => {
      fromMany.add([peer(a)], ipv4(20 + (i % 200), i % 251, 1, 1, 8333));
    });
    assert.ok(fromMany.size > addrman.size, 'many sources spread wider');
    assert.ok(fromMany.size <= fromMany.capacity);
  });

  it('a full new slot goes to a newcomer only when the occupant is terrible', () => {
    const { addrman, clock } = make({ newBuckets: 1, triedBuckets: 1, bucketSize: 1 });
    const [a, b] = publicAddresses(2);
    assert.equal(addrman.add([peer(a!)], SOURCE), 1);
    assert.equal(addrman.add([peer(b!)], SOURCE), 0, 'occupant is fine: newcomer dropped');
    clock.now += 40 * 86400; // the occupant is now older than the 30-day horizon
    assert.equal(addrman.add([peer(b!, clock.now - 60)], SOURCE), 1);
    assert.equal(addrman.find(a!), undefined);
    assert.equal(addrman.size, 1);
  });

  it('tried collisions send the old entry back to new; the tables never overflow (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 59 }), fc.boolean()), { maxLength: 200 }), (ops) => {
        const { addrman } = make({ newBuckets: 4, triedBuckets: 2, bucketSize: 4 });
        const pool = publicAddresses(60, 9);
        for (const [i, good] of ops) {
          const a = pool[i]!;
          if (good) addrman.good(a);
          else addrman.add([peer(a)], pool[(i * 7) % 60]!);
          const { new: n, tried: t } = addrman.counts();
          assert.equal(n + t, addrman.size);
          assert.ok(n <= 16 && t <= 8);
          for (const e of addrman.entries()) assert.ok(addrman.find(e.address), 'every entry is findable');
        }
      }),
      { numRuns: 100 },
    );
  });

  it('select() prefers addresses not tried recently and ends quickly', () => {
    const { addrman } = make();
    assert.equal(addrman.select(), undefined);
    const pool = publicAddresses(50);
    addrman.add(
      pool.map((a) => peer(a)),
      SOURCE,
    );
    for (const a of pool.slice(0, 49)) addrman.attempt(a, false); // tried a moment ago: 1% chance
    const last = pool[49]!;
    const picks = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const e = addrman.select()!;
      picks.set(netAddressKey(e.address), (picks.get(netAddressKey(e.address)) ?? 0) + 1);
    }
    assert.ok((picks.get(netAddressKey(last)) ?? 0) > 50, 'the fresh address dominates');
    assert.equal(addrman.select(true)?.tried, false);
    addrman.good(last);
    assert.ok(addrman.select() !== undefined);
  });

  it('sample() answers getaddr with at most 23% and never terrible entries', () => {
    const { addrman } = make();
    addrman.add(
      publicAddresses(400).map((a) => peer(a)),
      SOURCE,
    );
    const stale = publicAddresses(100, 77).map((a) => peer(a, NOW - 60 * 86400));
    addrman.add(stale, SOURCE);
    const sample = addrman.sample();
    assert.ok(sample.length <= Math.floor((addrman.size * 23) / 100));
    assert.ok(sample.length > 50);
    const staleKeys = new Set(stale.map((p) => netAddressKey(p.address)));
    assert.ok(sample.every((p) => !staleKeys.has(netAddressKey(p.address))));
  });

  it('isTerrible follows Core', () => {
    const base = {
      address: SOURCE,
      source: SOURCE,
      services: 0n,
      time: NOW - 60,
      lastTry: 0,
      lastCountAttempt: 0,
      lastSuccess: 0,
      attempts: 0,
      tried: false,
    };
    assert.ok(!isTerrible(base, NOW));
    assert.ok(isTerrible({ ...base, time: NOW + 3600 }, NOW));
    assert.ok(isTerrible({ ...base, time: 0 }, NOW));
    assert.ok(isTerrible({ ...base, attempts: 3 }, NOW));
    assert.ok(!isTerrible({ ...base, attempts: 3, lastTry: NOW - 10 }, NOW), 'tried in the last minute');
    assert.ok(isTerrible({ ...base, attempts: 10, lastSuccess: NOW - 8 * 86400 }, NOW));
    assert.ok(!isTerrible({ ...base, attempts: 9, lastSuccess: NOW - 8 * 86400 }, NOW));
  });
});

describe('AddrMan persistence', () => {
  function populated(): AddrMan {
    const { addrman } = make();
    const pool = publicAddresses(300);
    addrman.add(
      pool.map((a) => peer(a)),
      SOURCE,
    );
    for (const a of pool.slice(0, 40)) addrman.good(a);
    addrman.attempt(pool[100]!, true);
    addrman.addManual(addr('127.0.0.1:18444'));
    addrman.add([peer(netAddress('torv3', new Uint8Array(32).fill(3), 9050))], SOURCE);
    return addrman;
  }

  it('round-trips every entry, the key and the tables', () => {
    const original = populated();
    const bytes = serializeAddrMan(original);
    const copy = deserializeAddrMan(bytes, { now: () => NOW });
    assert.equal(toHex(copy.key), toHex(original.key));
    assert.deepEqual(copy.counts(), original.counts());
    const norm = (m: AddrMan) =>
      m
        .entries()
        .map((e) => ({ ...e, address: netAddressKey(e.address), source: netAddressKey(e.source) }))
        .sort((x, y) => x.address.localeCompare(y.address));
    assert.deepEqual(norm(copy), norm(original));
    assert.equal(toHex(serializeAddrMan(copy)).length, toHex(bytes).length);
  });

  it('refuses corrupt bytes with a DecodeError, never anything else (fuzz)', () => {
    const bytes = serializeAddrMan(populated());
    assert.throws(() => deserializeAddrMan(bytes.subarray(0, bytes.length - 1)), DecodeError);
    const flipped = Uint8Array.from(bytes);
    flipped[50]! ^= 1;
    assert.throws(() => deserializeAddrMan(flipped), /checksum/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        try {
          deserializeAddrMan(junk);
        } catch (e) {
          assert.ok(e instanceof DecodeError, String(e));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('saves atomically and loads; a missing or corrupt file gives a fresh table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-addrman-'));
    try {
      const path = join(dir, 'peers.dat');
      const missing = await loadAddrMan(path);
      assert.equal(missing.addrman.size, 0);
      assert.equal(missing.problem, undefined);
      const original = populated();
      await saveAddrMan(original, path);
      const loaded = await loadAddrMan(path, { now: () => NOW });
      assert.equal(loaded.addrman.size, original.size);
      const raw = await readFile(path);
      raw[10]! ^= 0xff;
      await writeFile(path, raw);
      const corrupt = await loadAddrMan(path);
      assert.equal(corrupt.addrman.size, 0);
      assert.match(corrupt.problem ?? '', /checksum/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
