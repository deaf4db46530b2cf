import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toHex } from '../../src/encoding/hex.js';
import { addressGroup, isLocal, isRoutable, isValid } from '../../src/net/address-class.js';
import { formatHost, formatNetAddress, parseNetAddress } from '../../src/net/address-text.js';
import { arbLegacyAddress } from './arbitraries.js';

const parse = (text: string) => {
  const a = parseNetAddress(text, 8333);
  assert.ok(a !== undefined, text);
  return a;
};

describe('address text', () => {
  it('parses and formats IPv4 and IPv6 endpoints', () => {
    assert.equal(formatNetAddress(parse('127.0.0.1')), '127.0.0.1:8333');
    assert.equal(formatNetAddress(parse('1.2.3.4:18444')), '1.2.3.4:18444');
    assert.equal(formatNetAddress(parse('[2001:db8::1]:8333')), '[2001:db8::1]:8333');
    assert.equal(formatNetAddress(parse('::1')), '[::1]:8333');
    assert.equal(formatHost(parse('[1:0:0:2:0:0:0:3]')), '1:0:0:2::3');
    assert.equal(formatHost(parse('::')), '::');
    // IPv4-mapped IPv6 is IPv4, as on the wire.
    assert.equal(parse('::ffff:10.0.0.1').network, 'ipv4');
    assert.equal(formatHost(parse('[::ffff:10.0.0.1]:1')), '10.0.0.1');
  });

  it('refuses names, bad literals and bad ports', () => {
    for (const bad of [
      'seed.bitcoin.sipa.be',
      '1.2.3',
      '1.2.3.256',
      '01.2.3.4',
      '1::2::3',
      '[::1]:99999',
      'x:1',
      '1:2:3:4:5:6:7:8:9',
    ]) {
      assert.equal(parseNetAddress(bad, 8333), undefined, bad);
    }
  });

  it('format then parse is the identity for IP endpoints (property)', () => {
    fc.assert(
      fc.property(arbLegacyAddress, (a) => {
        const back = parse(formatNetAddress(a));
        assert.equal(back.network, a.network);
        assert.equal(toHex(back.bytes), toHex(a.bytes));
        assert.equal(back.port, a.port);
      }),
      { numRuns: 500 },
    );
  });
});

describe('address classes', () => {
  it('local, valid, routable', () => {
    assert.ok(isLocal(parse('127.0.0.1')) && !isRoutable(parse('127.0.0.1')));
    assert.ok(isLocal(parse('::1')));
    for (const text of [
      '10.1.2.3',
      '192.168.1.1',
      '172.16.0.1',
      '169.254.1.1',
      '100.64.0.1',
      '[fe80::1]',
      '[fc00::1]',
      '198.18.0.1',
    ]) {
      assert.ok(!isRoutable(parse(text)), text);
    }
    assert.ok(
      !isValid(parse('0.0.0.0')) && !isValid(parse('255.255.255.255')) && !isValid(parse('[2001:db8::5]')),
    );
    for (const text of ['8.8.8.8', '1.2.3.4', '[2a01:4f8::1]']) assert.ok(isRoutable(parse(text)), text);
  });

  it('groups IPv4 by /16 and IPv6 by /32, with local and unroutable apart', () => {
    assert.equal(toHex(addressGroup(parse('1.2.3.4'))), toHex(addressGroup(parse('1.2.200.9'))));
    assert.notEqual(toHex(addressGroup(parse('1.2.3.4'))), toHex(addressGroup(parse('1.3.3.4'))));
    assert.equal(
      toHex(addressGroup(parse('[2a01:4f8::1]'))),
      toHex(addressGroup(parse('[2a01:4f8:ffff::2]'))),
    );
    assert.notEqual(toHex(addressGroup(parse('127.0.0.1'))), toHex(addressGroup(parse('10.0.0.1'))));
  });
});
