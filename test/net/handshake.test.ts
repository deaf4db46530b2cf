import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Handshake, type HandshakeOptions } from '../../src/net/handshake.js';
import type { NetMessage } from '../../src/net/wire/message.js';

function version(v = 70016, services = 9n, nonce = 1n): NetMessage {
  const zero = { services: 0n, address: { network: 'ipv4' as const, bytes: new Uint8Array(4), port: 0 } };
  return {
    command: 'version',
    version: v,
    services,
    timestamp: 0n,
    addrRecv: zero,
    addrFrom: zero,
    nonce,
    userAgent: '/t/',
    startHeight: 0,
    relay: true,
  };
}

const kinds = (h: Handshake, messages: Array<NetMessage | undefined>) =>
  messages.map((m) => h.onMessage(m).kind);

describe('Handshake', () => {
  const inbound: HandshakeOptions = { inbound: true };

  it('inbound: version, negotiation, verack, then delivery', () => {
    const h = new Handshake(inbound);
    const step = h.onMessage(version());
    assert.deepEqual(step, { kind: 'answer-version', sendVersion: true, sendWtxidRelay: true });
    assert.deepEqual(
      kinds(h, [{ command: 'wtxidrelay' }, { command: 'sendaddrv2' }, { command: 'ping', nonce: 1n }]),
      ['ignore', 'ignore', 'ignore'],
    );
    const ready = h.onMessage({ command: 'verack' });
    assert.ok(ready.kind === 'ready' && ready.remote.wtxidRelay && ready.remote.sendAddrV2);
    assert.deepEqual(
      kinds(h, [{ command: 'ping', nonce: 1n }, undefined, { command: 'verack' }, version()]),
      ['deliver', 'deliver', 'ignore', 'ignore'],
    );
  });

  it('outbound does not resend its version; old peers get no wtxidrelay', () => {
    const h = new Handshake({ inbound: false });
    assert.deepEqual(h.onMessage(version(70015)), {
      kind: 'answer-version',
      sendVersion: false,
      sendWtxidRelay: false,
    });
    h.onMessage({ command: 'wtxidrelay' }); // from a 70015 peer: not agreed
    const ready = h.onMessage({ command: 'verack' });
    assert.ok(ready.kind === 'ready' && !ready.remote.wtxidRelay && !ready.remote.sendAddrV2);
    assert.equal(ready.remote.commonVersion, 70015);
  });

  it('violations', () => {
    const v = (opts: HandshakeOptions, m: NetMessage | undefined) => new Handshake(opts).onMessage(m);
    assert.deepEqual(v(inbound, { command: 'verack' }), { kind: 'violation', code: 'no-version-first' });
    assert.deepEqual(v(inbound, undefined), { kind: 'violation', code: 'no-version-first' });
    assert.deepEqual(v({ inbound: true, minPeerVersion: 70016 }, version(70015)), {
      kind: 'violation',
      code: 'obsolete-version',
    });
    assert.deepEqual(v(inbound, version(31799)), { kind: 'violation', code: 'obsolete-version' });
    assert.deepEqual(v({ inbound: true, isOwnNonce: (n) => n === 5n }, version(70016, 9n, 5n)), {
      kind: 'violation',
      code: 'self-connection',
    });
    assert.deepEqual(v({ inbound: false, requiredServices: 8n }, version(70016, 1n)), {
      kind: 'violation',
      code: 'missing-services',
    });
    const done = new Handshake(inbound);
    kinds(done, [version(), { command: 'verack' }]);
    assert.deepEqual(done.onMessage({ command: 'sendaddrv2' }), {
      kind: 'violation',
      code: 'late-negotiation',
    });
  });
});
